"""The Atom feed of new and corrected records: one entry per event, the latest change first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.dateformat import format as format_date
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from meetings.caching import cached_by_record_version
from meetings.downloads import published
from meetings.models import Meeting

FEED_ENTRIES = 50


class RecordFeed(Feed):
    feed_type = Atom1Feed
    title = "DPRK human rights at the UN Security Council: new and corrected records"
    subtitle = ("Each event under the Security Council item on the DPRK, listed again whenever its record "
                "is added to or corrected.")
    link = reverse_lazy("meetings:timeline")
    feed_url = reverse_lazy("data:feed")
    author_name = "DPRK human rights at the UN Security Council"

    def items(self):
        # The latest changes: a feed reader polls for what is new, not for the whole record.
        return Meeting.objects.order_by("-updated", "-date")[:FEED_ENTRIES]

    def item_title(self, meeting):
        return f"{format_date(meeting.date, 'j F Y')}: {meeting.title}"

    def item_description(self, meeting):
        return meeting.summary

    def item_pubdate(self, meeting):
        return meeting.created

    def item_updateddate(self, meeting):
        return meeting.updated

    def item_categories(self, meeting):
        return [meeting.get_format_display()]


feed = require_safe(cached_by_record_version(published(RecordFeed())))
