"""The queue of readers' correction reports: read, answer, accept or decline."""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When

from meetings.corrections import CorrectionReport, ReportStatus


@admin.register(CorrectionReport)
class CorrectionReportAdmin(admin.ModelAdmin):
    list_display = ["received", "meeting", "excerpt", "status"]
    list_filter = ["status", "received"]
    list_select_related = ["meeting"]
    search_fields = ["text", "source", "reply"]
    date_hierarchy = "received"
    # What the reader sent is shown as text (escaped), never edited.
    readonly_fields = ["meeting", "received", "text", "source", "email"]
    fields = ["meeting", "received", "text", "source", "email", "status", "reply"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).order_by(
            # New reports first, then the rest; newest first in each.
            Case(When(status=ReportStatus.NEW, then=Value(0)), default=Value(1), output_field=IntegerField()), "-received")

    @admin.display(description="what is wrong")
    def excerpt(self, report):
        return report.text if len(report.text) <= 120 else f"{report.text[:117]}…"

