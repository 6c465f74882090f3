import re
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from council.models import Seat, State
from meetings.caching import cached_by_record_version
from meetings.forms import CountryFilter, MatrixFilter, SearchForm, TimelineFilter, describe_errors
from meetings.models import VOTES_NEEDED, Country, Meeting, Position
from meetings.presenters import (
    CountryPage,
    CountryRow,
    EventPage,
    Overview,
    TimelineRow,
    VoteMatrix,
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
    others = request.GET.copy()
    others.pop("page", None)
    context = {
        "nav": "timeline",
        "form": form,
        "rows": rows,
        "page": page,
        "page_query": f"{others.urlencode()}&" if others else "",
        "years": Meeting.objects.dates("date", "year"),
        "states": State.objects.order_by("short_name"),
        "filtered": any(form.cleaned_data.values()),
    }
    return render_page_or_fragment(request, "meetings/timeline.html", "meeting-list", context)


@require_safe
@cached_by_record_version
def detail(request, day):
    meeting = Meeting.objects.for_event_page().filter(date=day).first()
    if meeting is None:
        raise Http404(f"No event on {day:%-d %B %Y} is in the record.")
    neighbours = {
        "previous": Meeting.objects.filter(date__lt=day).order_by("-date").only("date", "title").first(),
        "next": Meeting.objects.filter(date__gt=day).order_by("date").only("date", "title").first(),
    }
    return render(request, "meetings/detail.html", {"page": EventPage(meeting), **neighbours})


@require_safe
@cached_by_record_version
def overview(request):
    meetings = list(Meeting.objects.for_timeline())
    last_year = max([m.date.year for m in meetings] + [RECORD_LAST_YEAR])
    return render(request, "meetings/overview.html", {"page": Overview(meetings, RECORD_FIRST_YEAR, last_year), "nav": "overview"})


@require_safe
@cached_by_record_version
def vote_matrix(request):
    form = MatrixFilter(request.GET)
    if not form.is_valid():
        return bad_request(request, f"The filter was not understood ({describe_errors(form)}).")
    years = range(RECORD_FIRST_YEAR, RECORD_LAST_YEAR + 1)
    countries = Country.objects.for_vote_matrix(years)
    if form.cleaned_data["group"]:
        countries = countries.filter(group=form.cleaned_data["group"])
    if form.cleaned_data["seat"] == Seat.PERMANENT:
        countries = countries.filter(terms__seat=Seat.PERMANENT)
    elif form.cleaned_data["seat"] == Seat.ELECTED:
        countries = countries.exclude(terms__seat=Seat.PERMANENT)
    meetings = Meeting.objects.filter(vote__isnull=False, date__year__in=years).order_by("date")
    sort = form.cleaned_data["sort"] or "name"
    matrix = VoteMatrix(countries, meetings, years, sort)
    filters = {key: form.cleaned_data[key] for key in ("seat", "group") if form.cleaned_data[key]}
    sort_links = {key: "?" + urlencode({**filters, "sort": key}) for key, _ in MatrixFilter.SORTS}
    count_columns = [(p, label, sort_links[p]) for p, label in Position.choices if p in sort_links]
    return render_page_or_fragment(request, "meetings/votes.html", "vote-matrix", {
        "form": form, "matrix": matrix, "nav": "votes", "sort": sort, "sort_links": sort_links,
        "count_columns": count_columns,
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
    return render_page_or_fragment(request, "meetings/countries.html", "country-list",
                                   {"form": form, "countries": [CountryRow(c) for c in countries], "nav": "countries"})


@require_safe
@cached_by_record_version
def country_detail(request, iso3):
    if iso3 != iso3.lower():
        return redirect("meetings:country", iso3=iso3.lower(), permanent=True)
    country = Country.objects.for_country_page().filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404(f"No state with the code “{iso3}” is in the record.")
    return render(request, "meetings/country.html", {"page": CountryPage(country), "nav": "countries"})


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
    context = {"form": form, "query": query, "results": results, "nav": "search",
               "page_query": f"{others.urlencode()}&" if others else "",
               "years": Meeting.objects.dates("date", "year"), "states": State.objects.order_by("short_name")}
    return render_page_or_fragment(request, "meetings/search.html", "search-results", context)


@require_safe
@cached_by_record_version
def method(request):
    return render(request, "meetings/method.html", {"nav": "method", "votes_needed": VOTES_NEEDED})
