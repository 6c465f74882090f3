import re
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from council.models import CouncilTerm, RegionalGroup, Seat, State
from meetings.caching import cached_by_record_version
from meetings.cards import event_card, overview_card
from meetings.forms import CountryFilter, MatrixFilter, SearchForm, TimelineFilter, describe_errors
from meetings.history import EventCorrections
from meetings.models import VOTES_NEEDED, Ballot, Country, DeletedEvent, Meeting, Position, Statement
from meetings.presenters import (
    COUNTRY_LATEST,
    MATRIX_VOTES_PER_PAGE,
    OVERVIEW_EVENTS_PER_YEAR,
    OVERVIEW_VOTES,
    CountryPage,
    CountryRow,
    EventPage,
    Overview,
    TimelineRow,
    VoteMatrix,
    plural,
    vote_rows,
    words,
)
from meetings.search import search_record

# The years the record covers; a year without any event still has its place on the overview.
RECORD_FIRST_YEAR, RECORD_LAST_YEAR = 2014, 2025
# Events per page of the timeline: the whole record today (12), pages once it grows.
TIMELINE_PER_PAGE = 25


def render_page_or_fragment(request, template, fragment, context, status=200):
    """The full page, or for an htmx request only its fragment; both vary on HX-Request."""
    partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    name = f"{template}#{fragment}" if partial else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def gone(request, day):
    """An event that was in the record and has been deleted: 410, so that links and crawlers learn it."""
    message = f"The event of {day:%-d %B %Y} was removed from the record."
    response = render(request, "meetings/gone.html", {"message": message}, status=410)
    # A 410 may be cached by default; this one must not outlive a restore from the trash.
    response["Cache-Control"] = "no-cache"
    return response


def page_of(request, rows, per_page):
    """The page of `rows` that ?page= asks for (LIMIT/OFFSET plus a count), or a 400/404 response."""
    number = request.GET.get("page", "1")
    if not re.fullmatch(r"[0-9]{1,7}", number) or int(number) < 1:
        return bad_request(request, "The page number was not understood: it should be a whole number from 1.")
    paginator = Paginator(rows, per_page)
    if int(number) > max(paginator.num_pages, 1):
        raise Http404(f"There is no page {number}: the list has {paginator.num_pages}.")
    return paginator.page(number)


def bad_request(request, message):
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))


@require_safe
@cached_by_record_version
def timeline(request):
    form = TimelineFilter(request.GET)
    if not form.is_valid():
        return bad_request(request, f"The filter was not understood ({describe_errors(form)}).")
    page = page_of(request, form.filter(Meeting.objects.for_timeline()), TIMELINE_PER_PAGE)
    if not isinstance(page, Page):
        return page
    rows = [TimelineRow(m) for m in page]
    total = page.paginator.count
    filtered = any(form.cleaned_data.values())
    summary = plural(total, "event")
    if filtered:
        summary += f" {words(total, 'matches', 'match')} the filter"
    if page.paginator.num_pages > 1:
        summary += (f". Page {page.number} of {page.paginator.num_pages}, "
                    f"results {page.start_index()} to {page.end_index()}")
    others = request.GET.copy()
    others.pop("page", None)
    context = {
        "nav": "timeline",
        "summary": summary,
        "title": f"Timeline: {form.description()} — {plural(total, 'event')}" if filtered else "Timeline",
        "form": form,
        "rows": rows,
        "page": page,
        "page_query": f"{others.urlencode()}&" if others else "",
        "years": Meeting.objects.published().dates("date", "year"),
        "states": State.objects.order_by("short_name"),
        "filtered": filtered,
    }
    return render_page_or_fragment(request, "meetings/timeline.html", "meeting-list", context)


@require_safe
@cached_by_record_version
def detail(request, day):
    meeting = Meeting.objects.published().for_event_page().filter(date=day).first()
    if meeting is None:
        if DeletedEvent.objects.filter(date=day).exists() and not Meeting.objects.filter(date=day).exists():
            return gone(request, day)
        raise Http404(f"No event on {day:%-d %B %Y} is in the record.")
    neighbours = {
        "previous": Meeting.objects.published().filter(date__lt=day).order_by("-date").only("date", "title").first(),
        "next": Meeting.objects.published().filter(date__gt=day).order_by("date").only("date", "title").first(),
    }
    page = EventPage(meeting)
    return render(request, "meetings/detail.html", {"page": page, "card": event_card(page), **neighbours,
                                                    "corrections": EventCorrections.of(meeting)})


def overview_of_the_record():
    """The overview's figures, years and latest votes: a handful of queries at any size of the record."""
    counts = list(Meeting.objects.counts_by_year())
    last_year = max([year for year, _, _ in counts] + [RECORD_LAST_YEAR])
    return Overview(
        Meeting.objects.first_of_each_year(OVERVIEW_EVENTS_PER_YEAR), counts, Ballot.objects.in_favour_per_vote(),
        Statement.objects.filter(meeting__published=True).count(),
        vote_rows(Meeting.objects.latest_votes(OVERVIEW_VOTES)), RECORD_FIRST_YEAR, last_year,
    )


@require_safe
@cached_by_record_version
def overview(request):
    page = overview_of_the_record()
    return render(request, "meetings/overview.html", {"page": page, "nav": "overview", "card": overview_card(page.votes)})


@require_safe
@cached_by_record_version
def vote_matrix(request):
    form = MatrixFilter(request.GET)
    if not form.is_valid():
        return bad_request(request, f"The filter was not understood ({describe_errors(form)}).")
    # The most recent procedural votes are the columns, older ones a page away; the years run
    # to the last vote, and each state's totals count every vote.
    votes = Meeting.objects.published().filter(vote__isnull=False)
    vote_years = dict(votes.order_by().values_list(ExtractYear("date")).annotate(n=Count("pk")).values_list("date__year", "n"))
    vote_count, page_number = sum(vote_years.values()), form.cleaned_data["page"] or 1
    pages = max(-(-vote_count // MATRIX_VOTES_PER_PAGE), 1)
    if page_number > pages:
        raise Http404(f"There is no page {page_number} of votes: there are {pages}.")
    newest = (page_number - 1) * MATRIX_VOTES_PER_PAGE
    meetings = list(votes.with_tallies().order_by("-date")[newest:newest + MATRIX_VOTES_PER_PAGE])[::-1]
    years = range(RECORD_FIRST_YEAR, max([*vote_years, RECORD_LAST_YEAR]) + 1)
    countries = Country.objects.for_vote_matrix(years, meetings)
    if form.cleaned_data["group"]:
        countries = countries.filter(group=form.cleaned_data["group"])
    permanent = CouncilTerm.objects.filter(seat=Seat.PERMANENT).values("state")
    if form.cleaned_data["seat"] == Seat.PERMANENT:
        countries = countries.filter(pk__in=permanent)
    elif form.cleaned_data["seat"] == Seat.ELECTED:
        countries = countries.exclude(pk__in=permanent)
    sort = form.cleaned_data["sort"] or "name"
    matrix = VoteMatrix(countries, meetings, years, sort, set(vote_years), vote_count, page_number, pages)
    filters = {key: form.cleaned_data[key] for key in ("seat", "group") if form.cleaned_data[key]}
    sort_links = {key: "?" + urlencode({**filters, "sort": key}) for key, _ in MatrixFilter.SORTS}
    kept = {**filters, **({"sort": form.cleaned_data["sort"]} if form.cleaned_data["sort"] else {})}
    page_links = {
        "newer": "?" + urlencode({**kept, "page": page_number - 1}) if page_number > 1 else None,
        "older": "?" + urlencode({**kept, "page": page_number + 1}) if page_number < pages else None,
    }
    count_columns = [(p, label, sort_links[p]) for p, label in Position.choices if p in sort_links]
    return render_page_or_fragment(request, "meetings/votes.html", "vote-matrix", {
        "form": form, "matrix": matrix, "nav": "votes", "sort": sort, "sort_links": sort_links,
        "count_columns": count_columns, "filters": urlencode(filters), "title": matrix.title, "page_links": page_links,
    })


@require_safe
@cached_by_record_version
def country_list(request):
    form = CountryFilter(request.GET)
    if not form.is_valid():
        return bad_request(request, f"The filter was not understood ({describe_errors(form)}).")
    countries = Country.objects.for_country_list()
    if form.cleaned_data["group"]:
        countries = countries.filter(group=form.cleaned_data["group"])
    rows = [CountryRow(c) for c in countries if c.in_the_record]
    summary = plural(len(rows), "state")
    group = form.cleaned_data["group"]
    title = f"Countries: {RegionalGroup(group).label} — {summary}" if group else "Countries"
    return render_page_or_fragment(request, "meetings/countries.html", "country-list",
                                   {"form": form, "countries": rows, "nav": "countries", "summary": summary, "title": title})


@require_safe
@cached_by_record_version
def country_detail(request, iso3):
    if iso3 != iso3.lower():
        return redirect("meetings:country", iso3=iso3.lower(), permanent=True)
    country = Country.objects.for_country_page(iso3.upper(), COUNTRY_LATEST)
    if country is None:
        raise Http404(f"No state with the code “{iso3}” is in the record.")
    return render(request, "meetings/country.html", {"page": CountryPage(country), "nav": "countries",
                                                     "state_query": urlencode({"state": country.iso3.lower()})})


@require_safe
@cached_by_record_version
def search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, f"The search was not understood ({describe_errors(form)}).")
    query = form.cleaned_data["q"]
    results = None
    if query:
        results = search_record(query, form)
        page_number = form.cleaned_data["page"] or 1
        if page_number > results.num_pages:
            raise Http404(f"There is no page {page_number} of results.")
        results = results.page(page_number)
    others = request.GET.copy()
    others.pop("page", None)
    heading, summary, title = None, "", "Search"
    if query:
        count = results.paginator.count
        filtered = any(form.cleaned_data[k] for k in ("year", "format", "state"))
        heading = (f"{plural(count, 'result')} for “{query}”" if count
                   else f"Nothing matches “{query}”{' with these filters' if filtered else ''}")
        summary = heading
        if results.paginator.num_pages > 1:
            summary += (f". Page {results.number} of {results.paginator.num_pages}, "
                        f"results {results.start_index()} to {results.end_index()}")
        title = f"Search: {query} — {plural(count, 'result')}"
        if results.number > 1:
            title += f", page {results.number}"
    context = {"form": form, "query": query, "results": results, "nav": "search",
               "heading": heading, "summary": summary, "title": title,
               "page_query": f"{others.urlencode()}&" if others else "",
               "years": Meeting.objects.published().dates("date", "year"), "states": State.objects.order_by("short_name")}
    return render_page_or_fragment(request, "meetings/search.html", "search-results", context)


@require_safe
@cached_by_record_version
def method(request):
    return render(request, "meetings/method.html", {"nav": "method", "votes_needed": VOTES_NEEDED})
