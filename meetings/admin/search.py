"""Finding events in the admin: symbols, speakers and years in the search box; filters for what needs attention."""

import re

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q

from meetings.models import Caveat, Citation, Fact, ProceduralVote, Request, Statement

VERBATIM = re.compile(r"^\s*S/PV\.(\d+)\s*$", re.IGNORECASE)
YEAR = re.compile(r"^\s*(19|20)\d\d\s*$")


def search_meetings(base, request, queryset, term):
    """The admin's word search, plus S/PV symbols (the meeting number) and years (the date)."""
    results, distinct = base.get_search_results(request, queryset, term)
    extra = Q()
    if match := VERBATIM.match(term):
        extra |= Q(meeting_number=int(match.group(1)))
    if YEAR.match(term):
        extra |= Q(date__year=int(term))
    if extra:
        results = results | queryset.filter(extra)
    return results, distinct


def cited(fact):
    return Exists(Citation.objects.filter(meeting=OuterRef("pk"), fact=fact))


def needs_attention():
    """A statement without summary, a fact without a source (date, vote, request), or a caveat."""
    return (
        Exists(Statement.objects.filter(meeting=OuterRef("pk"), summary=""))
        | ~cited(Fact.DATE)
        | Exists(ProceduralVote.objects.filter(meeting=OuterRef("pk"))) & ~cited(Fact.VOTE)
        | Exists(Request.objects.filter(meeting=OuterRef("pk"))) & ~cited(Fact.REQUEST)
        | Exists(Caveat.objects.filter(meeting=OuterRef("pk")))
    )


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


class VoteFilter(admin.SimpleListFilter):
    title = "procedural vote"
    parameter_name = "vote"

    def lookups(self, request, model_admin):
        return [("yes", "Has a vote"), ("no", "No vote")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(vote__isnull=False)
        if self.value() == "no":
            return queryset.filter(vote__isnull=True)
        return queryset


class NeedsAttention(admin.SimpleListFilter):
    title = "attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", "Needs attention"), ("no", "In order")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(needs_attention())
        if self.value() == "no":
            return queryset.exclude(needs_attention())
        return queryset
