from django.contrib import admin

from meetings.admin.history import RecordedChangeAdmin
from meetings.models import Source


@admin.register(Source)
class SourceAdmin(RecordedChangeAdmin, admin.ModelAdmin):
    list_display = ["label", "kind", "url"]
    list_filter = ["kind"]
    search_fields = ["symbol", "title", "url"]
    filter_horizontal = ["terms", "presidencies"]
