"""The reader's pages beyond the timeline: overview, vote matrix, countries, search, method."""

import datetime
import re

import pytest

from council.models import State
from meetings.models import Capacity, Country, Meeting
from tests import factories
from tests.factories import (
    make_council,
    make_events,
    make_presidency,
)
from tests.meetings.test_views import HX, text

pytestmark = pytest.mark.django_db


# -- Overview ---------------------------------------------------------------------------


def test_overview_has_every_year_and_why(client, record):
    page = text(client.get("/"))
    for year in range(2014, 2026):
        assert f" {year} " in page
    assert "2018 Request failed" in page and "2020 Closed discussion" in page
    assert "2025 No meeting Nothing in the record" in page
    assert "6 public meetings" in page and "5 procedural votes" in page and "all adopted" in page


def test_overview_chart_has_title_description_and_table(client, record):
    html = client.get("/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<title" in svg and "<desc" in svg
    assert "10 December 2015: 9 in favour of 15, no vote to spare." in svg
    assert svg.count('class="chart-bar"') == 5
    table = text(client.get("/"))
    assert "12 Jun 2024 S/PV.9653 12 2 1 3 votes to spare" in table


@pytest.mark.parametrize("n", [1, 10, 25])
def test_overview_query_budget(client, django_assert_num_queries, n):
    members = make_council(2014)
    make_events(n, members)
    # The record's version; events by year and format, votes in favour per vote, statements
    # counted; each year's first events, the latest votes.
    with django_assert_num_queries(6):
        response = client.get("/")
    assert f"{n} procedural vote{'s' if n > 1 else ''} all adopted" in text(response)


# -- The vote matrix --------------------------------------------------------------------


def row_of(html, iso3):
    return re.search(rf'<tr>\s*<th scope="row" class="matrix-state"><a href="/countries/{iso3}/">.*?</tr>', html, re.S).group(0)


def test_matrix_columns_are_the_votes_and_other_years_one_line(client, record):
    html = client.get("/votes/").content.decode()
    headers = re.findall(r'<th scope="col" class="matrix-vote"><a href="/meetings/(\d{4}-\d\d-\d\d)/#vote">(\d{4})</a>', html)
    assert [year for _, year in headers] == ["2014", "2015", "2016", "2017", "2024"]
    china = row_of(html, "chn")
    assert re.findall(r'<span class="cell-text">([^<]+)</span>', china) == ["Against"] * 5
    assert re.sub(r"<[^>]+>", "", re.search(r'<td class="matrix-other">.*?</td>', china).group(0)) == "2018–2023, 2025"
    japan = row_of(html, "jpn")
    japan_cells = re.findall(r'<span class="cell-text">([^<]+)</span>', japan)
    assert japan_cells[0] == "Not on the Council" and japan_cells[3] == "In favour"
    # "Not on the Council" is a quiet mark, not 648 cells of text.
    assert html.count("Not on the Council</span>") < 69 * 5
    assert html.count("No vote held") == 0


def test_matrix_totals_per_vote_and_per_member(client, record):
    html = client.get("/votes/").content.decode()
    tallies = re.findall(r'#vote">(\d{4})</a> <span class="vote-date">[^<]+</span> <span class="vote-tally"><span class="tally">([^<]+)</span> <span class="vote-outcome">(\w+)</span>', html)
    assert tallies == [("2014", "11–2–2", "adopted"), ("2015", "9–4–2", "adopted"), ("2016", "9–5–1", "adopted"),
                       ("2017", "10–3–2", "adopted"), ("2024", "12–2–1", "adopted")]
    china = row_of(html, "chn")
    assert re.findall(r'<td class="num matrix-total">(\d+)</td>', china) == ["0", "5", "0"]
    phone = re.search(r'<span class="row-phone">(.*?)</span>\s*</th>', row_of(client.get("/votes/?seat=permanent").content.decode(), "chn"), re.S)
    assert re.sub(r"<[^>]+>", "", phone.group(1)) == "5 against; also on the Council in 2018–2023, 2025."


def test_matrix_cell_links_to_the_member_on_the_event_page(client, record):
    html = client.get("/votes/").content.decode()
    assert 'href="/meetings/2024-06-12/#member-moz"' in html


def test_matrix_filters_and_sorts(client, record):
    page = text(client.get("/votes/?seat=permanent"))
    assert "5 states, sorted by name" in page
    html = client.get("/votes/?seat=permanent&sort=against").content.decode()
    assert "<title>Votes: 5 states, sorted by votes against" in html
    order = re.findall(r'<th scope="row" class="matrix-state"><a href="/countries/(\w+)/">', html)
    assert order[:2] == ["chn", "rus"]
    assert "Asia-Pacific" in text(client.get("/votes/?group=asia_pacific"))
    assert "Argentina" not in text(client.get("/votes/?group=asia_pacific"))


def test_matrix_fragment(client, record):
    response = client.get("/votes/?seat=elected", **HX)
    assert response.content.decode().lstrip().startswith('<div id="vote-matrix"')
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("query", ["seat=observer", "group=nordic", "sort=random"])
def test_matrix_bad_filter_is_400(client, record, query):
    assert client.get(f"/votes/?{query}").status_code == 400


@pytest.mark.parametrize("n", [1, 8, 25])
def test_matrix_query_budget(client, django_assert_num_queries, n):
    members = make_council(2014)
    make_events(n, members)
    # The record's version, the votes per year, the page of voting meetings, states, their terms, their ballots.
    with django_assert_num_queries(6):
        client.get("/votes/")


# -- Countries --------------------------------------------------------------------------


def test_country_list(client, record):
    page = text(client.get("/countries/"))
    assert "China Asia-Pacific States Permanent member 0 5 0" in page
    assert "Japan" in page and "Mozambique" in page
    fragment = client.get("/countries/?group=african", **HX).content.decode()
    assert fragment.lstrip().startswith('<div id="country-list"') and "Japan" not in fragment


def test_country_list_lists_the_states_in_the_record_and_no_others(client, record):
    """The list works out in Python, from its counts, which states in_the_record() selects in SQL."""
    def listed():
        return [c.iso3 for c in Country.objects.for_country_list() if c.in_the_record]

    def selected():
        return list(Country.objects.in_the_record().order_by("short_name").values_list("iso3", flat=True))

    assert listed() == selected() and "CHN" in listed() and len(listed()) < State.objects.count()
    # A state only in a draft is not in the record; once the event is published, it is.
    newcomer = factories.make_state()
    draft = factories.make_meeting(day=datetime.date(2030, 5, 5), published=False)
    factories.make_statement(draft, state=newcomer, capacity=Capacity.NON_MEMBER)
    assert newcomer.iso3 not in listed() and listed() == selected()
    assert f">{newcomer.short_name}<" not in client.get("/countries/").content.decode()
    Meeting.objects.filter(pk=draft.pk).update(published=True)
    assert newcomer.iso3 in listed() and listed() == selected()


def test_country_page_shows_terms_ballots_statements_letters(client, record):
    page = text(client.get("/countries/jpn/"))
    assert "Japan" in page and "2016–2017" in page and "2023–2024" in page
    assert "December 2017" in page  # Japan presided in December 2017
    assert "Statements" in page and "Rule 37" not in page
    html = client.get("/countries/chn/").content.decode()
    assert 'href="/meetings/2014-12-22/#member-chn"' in html
    assert re.search(r'href="/meetings/2014-12-22/#statement-1"', html)


def test_country_urls(client, record):
    response = client.get("/countries/CHN/")
    assert response.status_code == 301 and response["Location"] == "/countries/chn/"
    assert client.get("/countries/xyz/").status_code == 404
    assert client.get("/countries/chinese/").status_code == 404


@pytest.mark.parametrize("n", [1, 8, 25])
def test_country_pages_query_budget(client, django_assert_num_queries, n):
    members = make_council(2014)
    make_presidency(members[0], datetime.date(2014, 12, 1))
    make_events(n, members)
    with django_assert_num_queries(3):  # the record's version, the states with their counts, their terms
        client.get("/countries/")
    # The record's version; the state with its counts, terms and their sources and caveats, the
    # latest ballots and the statements at their meetings, the latest statements, requests and
    # joint statements, presidencies and their sources.
    with django_assert_num_queries(12):
        client.get(f"/countries/{members[0].iso3.lower()}/")


# -- Search -----------------------------------------------------------------------------


def test_search_ranks_and_highlights(client, record):
    response = client.get("/search/?q=forced+labour")
    page = text(response)
    assert re.search(r"\d+ results for “forced labour”", page)
    assert "<title>Search: forced labour — " in response.content.decode()
    assert "<mark>forced labour</mark>" in response.content.decode()


def test_search_filters(client, record):
    page = text(client.get("/search/?q=abductions&state=jpn"))
    assert "Japan" in page
    assert "China:" not in page
    assert "Nothing matches" in text(client.get("/search/?q=abductions&year=2020"))


def test_search_escapes_what_it_shows(client, record):
    response = client.get("/search/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_search_fragment_and_pages(client, record):
    response = client.get("/search/?q=korea", **HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="search-results"')
    assert "Page 1 of" in html and 'rel="next"' in html
    second = text(client.get("/search/?q=korea&page=2"))
    assert "Page 2 of" in second


@pytest.mark.parametrize(("query", "status"), [("q=korea&page=999", 404), ("q=korea&page=0", 400),
                                                ("q=korea&page=x", 400), ("q=" + "a" * 201, 400),
                                                ("q=korea&format=secret", 400)])
def test_search_bad_input(client, record, query, status):
    assert client.get(f"/search/?{query}").status_code == status


def test_empty_search_explains_itself(client, record):
    assert "Use quotation marks for a phrase" in text(client.get("/search/"))


@pytest.mark.parametrize("n", [1, 8])
def test_search_query_budget(client, django_assert_num_queries, n):
    members = make_council(2014)
    make_events(n, members)
    with django_assert_num_queries(6):  # the version, count, the page's keys, their snippets, years and states
        client.get("/search/?q=said")


def test_method_page(client, record):
    page = text(client.get("/method/"))
    assert "the veto of a permanent member does not apply" in page


def test_matrix_column_headers_sort_and_keep_the_filters(client, record):
    html = client.get("/votes/?seat=elected&sort=abstaining").content.decode()
    assert '<th scope="col" class="num matrix-total" aria-sort="descending"><a id="sort-abstaining" href="?seat=elected&amp;sort=abstaining"' in html
    assert 'href="?seat=elected&amp;sort=against"' in html and 'href="?seat=elected&amp;sort=name"' in html
    order = re.findall(r'<th scope="row" class="matrix-state"><a href="/countries/(\w+)/">', html)
    assert order[0] in ("tcd", "nga", "egy", "eth") and "chn" not in order
