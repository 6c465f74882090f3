from django.contrib import admin
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.dateparse import parse_date

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


# Names editors type that are neither the UN's name nor the short name (the state picker finds them too).
USUAL_NAMES = {
    "DPRK": "PRK", "NORTH KOREA": "PRK", "SOUTH KOREA": "KOR", "ROK": "KOR", "KOREA, REPUBLIC OF": "KOR",
    "UK": "GBR", "BRITAIN": "GBR", "GREAT BRITAIN": "GBR", "US": "USA", "USA": "USA", "AMERICA": "USA",
    "RUSSIA": "RUS", "IRAN": "IRN", "SYRIA": "SYR", "VIETNAM": "VNM", "BOLIVIA": "BOL", "VENEZUELA": "VEN",
}


def ranked_states(queryset, term):
    """States matching `term` by name, short name, ISO code or usual name: exact matches first, then prefixes."""
    term = " ".join(term.split())
    key = term.upper()
    exact_codes = [USUAL_NAMES[key]] if key in USUAL_NAMES else []
    prefix_codes = [code for name, code in USUAL_NAMES.items() if name.startswith(key)]
    exact = Q(name__iexact=term) | Q(short_name__iexact=term) | Q(iso3__iexact=term) | Q(iso3__in=exact_codes)
    prefix = Q(name__istartswith=term) | Q(short_name__istartswith=term) | Q(iso3__in=prefix_codes)
    words = Q()
    for word in term.split():
        words &= Q(name__icontains=word) | Q(short_name__icontains=word)
    return (queryset.filter(exact | prefix | words)
            .annotate(rank=Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2)))
            .order_by("rank", "short_name"))


@admin.register(State)
class StateAdmin(RecordedChangeAdmin, admin.ModelAdmin):
    list_display = ["short_name", "iso3", "name", "group"]
    list_filter = ["group"]
    search_fields = ["short_name", "name", "iso3"]
    ordering = ["short_name"]

    def get_search_results(self, request, queryset, search_term):
        """The state picker: ranked matches; for a ballot or a member's statement on a known day, only its members."""
        if search_term.strip():
            queryset = ranked_states(queryset, search_term)
        try:
            day = parse_date(request.GET.get("day") or "")
        except ValueError:
            day = None
        only_members = request.GET.get("model_name") == "ballot" or (
            request.GET.get("model_name") == "statement" and request.GET.get("members") == "1")
        if day is not None and only_members:
            queryset = queryset.filter(terms__in=CouncilTerm.objects.active_on(day))
        elif day is not None and request.GET.get("model_name") == "statement":
            # A member of that day is the usual speaker: members first, then every other state.
            members = CouncilTerm.objects.active_on(day).filter(state=OuterRef("pk"))
            order = queryset.query.order_by or ("short_name",)
            queryset = queryset.annotate(member=Exists(members)).order_by("-member", *order)
        return queryset, False


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
