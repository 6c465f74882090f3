"""The Atom feed of new and corrected records: an entry per event and an entry per correction, newest first."""

import io

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from meetings.caching import cached_by_record_version
from meetings.downloads import published
from meetings.history import Change, recent_corrections
from meetings.models import Meeting

FEED_ENTRIES = 50


class BufferedAtom1Feed(Atom1Feed):
    """Atom1Feed written into a string, then into the response at once: the XML writer's
    ~1,500 small writes for 50 entries each went through HttpResponse.write."""

    def write(self, outfile, encoding):
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue().encode(encoding))


class RecordFeed(Feed):
    feed_type = BufferedAtom1Feed
    title = "DPRK human rights at the UN Security Council: new and corrected records"
    subtitle = ("Each event under the Security Council item on the DPRK when it enters the record, and each "
                "correction to the record, with its reason, when it is made.")

    # Absolute addresses on settings.SITE_URL, whatever host the request came to.
    def link(self):
        return f"{settings.SITE_URL}{reverse('meetings:timeline')}"

    def feed_url(self):
        return f"{settings.SITE_URL}{reverse('data:feed')}"
    author_name = "DPRK human rights at the UN Security Council"

    def items(self):
        # The latest events and corrections: a feed reader polls for what is new, not for the whole record.
        entries = [*Meeting.objects.published().order_by("-created", "-date")[:FEED_ENTRIES],
                   *recent_corrections(FEED_ENTRIES)]
        return sorted(entries, key=lambda entry: entry.when if isinstance(entry, Change) else entry.created,
                      reverse=True)[:FEED_ENTRIES]

    def item_title(self, entry):
        if isinstance(entry, Change):
            about = ", ".join(format_date(m.date, "j F Y") for m in entry.meetings) or "the record"
            return f"Correction to {about}: {entry.public_reason}"
        return f"{format_date(entry.date, 'j F Y')}: {entry.title}"

    def item_description(self, entry):
        if isinstance(entry, Change):
            return f"{entry.public_reason} What changed: {entry.summary()}."
        return entry.summary

    def item_link(self, entry):
        # Also each entry's id: a correction's anchor holds its time, so no two share a link.
        if isinstance(entry, Change):
            if len(entry.meetings) == 1:
                return f"{settings.SITE_URL}{entry.meetings[0].get_absolute_url()}#{entry.anchor}"
            return f"{settings.SITE_URL}{reverse('meetings:changes')}#{entry.anchor}"
        return f"{settings.SITE_URL}{entry.get_absolute_url()}"

    def item_pubdate(self, entry):
        return entry.when if isinstance(entry, Change) else entry.created

    def item_updateddate(self, entry):
        return self.item_pubdate(entry)

    def item_categories(self, entry):
        return ["Correction"] if isinstance(entry, Change) else [entry.get_format_display()]


feed = require_safe(cached_by_record_version(published(RecordFeed())))
