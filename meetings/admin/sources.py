from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from meetings.admin.history import RecordedChangeAdmin
from meetings.models import Source


@admin.register(Source)
class SourceAdmin(RecordedChangeAdmin, admin.ModelAdmin):
    list_display = ["label", "kind", "url"]
    list_filter = ["kind"]
    search_fields = ["symbol", "title", "url"]
    filter_horizontal = ["terms", "presidencies"]
    readonly_fields = ["cited_for"]

    @admin.display(description="cited for")
    def cited_for(self, source):
        """Every fact that rests on this source, each linked to its event or record."""
        if source.pk is None:
            return "Nothing yet."
        uses = []
        for citation in source.citations.select_related("meeting").order_by("meeting__date", "fact"):
            uses.append((meeting_link(citation.meeting), f"{citation.get_fact_display()} of the event"))
        for statement in source.statements.select_related("meeting", "state").order_by("meeting__date", "order"):
            uses.append((meeting_link(statement.meeting), f"statement {statement.order} ({statement.state or statement.office})"))
        for joint in source.joint_statements.select_related("meeting").order_by("meeting__date"):
            uses.append((meeting_link(joint.meeting), "a joint statement"))
        for term in source.terms.select_related("state"):
            uses.append((format_html('<a href="{}">{}</a>', reverse("admin:council_councilterm_change", args=[term.pk]), term),
                         "Council term"))
        for presidency in source.presidencies.select_related("state"):
            uses.append((format_html('<a href="{}">{}</a>', reverse("admin:council_presidency_change", args=[presidency.pk]),
                                     presidency), "presidency"))
        if not uses:
            return "No fact cites this source."
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", uses))


def meeting_link(meeting):
    return format_html('<a href="{}">{}</a>', reverse("admin:meetings_meeting_change", args=[meeting.pk]), meeting)
