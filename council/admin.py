from django.contrib import admin

from council.models import CouncilTerm, Presidency, State, TermCaveat
from meetings.admin.history import RecordedChangeAdmin


class TermSourceInline(admin.TabularInline):
    model = CouncilTerm.sources.through
    extra = 0
    min_num = 1
    autocomplete_fields = ["source"]
    verbose_name = verbose_name_plural = "sources for this term"


class TermCaveatInline(admin.TabularInline):
    model = TermCaveat
    extra = 0
    verbose_name_plural = "caveats: what a reader should know about this term's sources"


class PresidencySourceInline(admin.TabularInline):
    model = Presidency.sources.through
    extra = 0
    min_num = 1
    autocomplete_fields = ["source"]
    verbose_name = verbose_name_plural = "sources for this presidency"


@admin.register(State)
class StateAdmin(RecordedChangeAdmin, admin.ModelAdmin):
    list_display = ["short_name", "iso3", "name", "group"]
    list_filter = ["group"]
    search_fields = ["short_name", "name", "iso3"]
    ordering = ["short_name"]


@admin.register(CouncilTerm)
class CouncilTermAdmin(RecordedChangeAdmin, admin.ModelAdmin):
    list_display = ["state", "seat", "start", "end"]
    list_filter = ["seat", "state__group"]
    list_select_related = ["state"]
    search_fields = ["state__short_name", "state__name", "state__iso3"]
    autocomplete_fields = ["state"]
    date_hierarchy = "start"
    inlines = [TermSourceInline, TermCaveatInline]


@admin.register(Presidency)
class PresidencyAdmin(RecordedChangeAdmin, admin.ModelAdmin):
    list_display = ["month", "state"]
    list_select_related = ["state"]
    search_fields = ["state__short_name", "state__iso3"]
    autocomplete_fields = ["state"]
    date_hierarchy = "month"
    inlines = [PresidencySourceInline]
