import datetime
import re

import pytest

from meetings.models import Capacity, Format
from tests.factories import (
    make_council,
    make_events,
    make_meeting,
    make_presidency,
    make_state,
    make_statement,
)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


# -- The shipped record, as a reader sees it ------------------------------------------


def test_timeline_lists_every_event(client, record):
    response = client.get("/meetings/")
    assert response.status_code == 200
    page = text(response)
    assert "12 events " in page
    for day in ["22 Dec 2014", "10 Dec 2015", "9 Dec 2016", "11 Dec 2017", "10 Dec 2018", "10 Dec 2019",
                "11 Dec 2020", "15 Dec 2021", "9 Dec 2022", "17 Mar 2023", "17 Aug 2023", "12 Jun 2024"]:
        assert day in page
    assert "Agenda adopted by vote 11–2–2" in page
    assert "Agenda adopted by vote 12–2–1" in page
    assert "Held without a vote on the agenda" in page  # 17 August 2023


def test_2014_event_page(client, record):
    page = text(client.get("/meetings/2014-12-22/"))
    assert "S/PV.7353" in page
    assert "Agenda adopted, 11–2–2: two votes to spare" in page
    assert re.search(r"China Against Permanent Asia-Pacific States", page)
    assert re.search(r"Russia Against Permanent Eastern European States", page)
    assert re.search(r"Chad Abstaining Elected African States", page)
    assert re.search(r"Nigeria Abstaining Elected African States", page)
    assert "the veto does not apply" in page
    assert "9th vote" in page


def test_2024_event_page(client, record):
    response = client.get("/meetings/2024-06-12/")
    page = text(response)
    assert "Wednesday 12 June 2024" in page
    assert "Agenda adopted, 12–2–1: three votes to spare" in page
    assert re.search(r"Mozambique Abstaining Elected African States", page)
    assert "statements 7 to 13 are listed alphabetically" in page


def test_event_page_links_each_member_to_its_statement(client, record):
    html = client.get("/meetings/2014-12-22/").content.decode()
    china_row = re.search(r'<tr id="member-chn">.*?</tr>', html, re.S).group(0)
    anchors = re.findall(r'href="#(statement-\d+)"', china_row)
    assert anchors, "China's row links to its statements"
    for anchor in anchors:
        statement = re.search(rf'<li id="{anchor}".*?</li>', html, re.S).group(0)
        assert "China" in statement


def test_every_event_page_renders(client, record):
    from meetings.models import Meeting

    for meeting in Meeting.objects.all():
        response = client.get(meeting.get_absolute_url())
        assert response.status_code == 200, meeting
        assert "Every source of this page" in text(response)


# -- Filters, fragments and bad input --------------------------------------------------


def test_timeline_filters_by_year_format_and_state(client, record):
    assert "1 event matches the filter " in text(client.get("/meetings/?year=2016"))
    page = text(client.get("/meetings/?format=closed"))
    assert "3 events match the filter " in page and "11 Dec 2020" in page and "22 Dec 2014" not in page
    page = text(client.get("/meetings/?state=moz"))
    assert "12 Jun 2024" in page and "22 Dec 2014" not in page
    page = text(client.get("/meetings/?year=2023"))
    assert "17 Mar 2023" in page and "17 Aug 2023" in page and "2 events match the filter " in page


def test_timeline_fragment_for_htmx(client, record):
    response = client.get("/meetings/?format=public", **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="meeting-list"')
    assert "<html" not in html and "6 events match the filter " in text(response)
    assert "HX-Request" in response["Vary"]


def test_timeline_full_page_on_history_restore(client, record):
    response = client.get("/meetings/?format=public", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_full_page_varies_on_htmx_too(client, record):
    assert "HX-Request" in client.get("/meetings/")["Vary"]


@pytest.mark.parametrize("query", ["year=abc", "year=20145", "format=secret", "state=zzz", "state=toolong"])
def test_bad_filter_is_a_400_that_says_why(client, record, query):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 400
    assert "The filter was not understood" in text(response)


@pytest.mark.parametrize("url", ["/meetings/2014-12-23/", "/meetings/2014-02-30/", "/meetings/2014-13-01/",
                                 "/meetings/22-12-2014/", "/meetings/nothing/"])
def test_unknown_or_impossible_dates_are_404(client, record, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Not found" in text(response)


def test_pages_refuse_writes(client, record):
    assert client.post("/meetings/").status_code == 405
    assert client.post("/meetings/2014-12-22/").status_code == 405


# -- Query budgets that do not grow with the rows -------------------------------------


@pytest.fixture
def council():
    members = make_council(2014)
    make_presidency(members[6], datetime.date(2014, 12, 1))
    return members


@pytest.mark.parametrize("n", [1, 12])
def test_timeline_query_budget(client, council, django_assert_num_queries, n):
    make_events(n, council)
    make_meeting(datetime.date(2020, 12, 11), format=Format.CLOSED)
    with django_assert_num_queries(5):  # the record's version, the count, a page of events with tallies, years, states
        response = client.get("/meetings/")
    assert f"{n + 1} events " in text(response)


@pytest.mark.parametrize("n", [1, 12])
def test_timeline_filtered_fragment_query_budget(client, council, django_assert_num_queries, n):
    make_events(n, council)
    with django_assert_num_queries(4):  # the record's version, the state, the count, then the page of events
        response = client.get(f"/meetings/?state={council[0].iso3.lower()}", **HX)
    assert f"{n} event" in text(response)


@pytest.mark.parametrize("speakers", [1, 25])
def test_event_page_query_budget(client, council, django_assert_num_queries, speakers):
    meeting = make_events(1, council)[0]
    outsider = make_state()
    for i in range(speakers):
        make_statement(meeting, outsider if i % 2 else council[i % 15], capacity=Capacity.NON_MEMBER if i % 2 else Capacity.MEMBER)
    # The record's version; the event with its president, ballots, requesters, statements,
    # citations, caveats, joint statements; the members that day; the events before and after;
    # its corrections.
    with django_assert_num_queries(12):
        response = client.get(meeting.get_absolute_url())
    assert text(response).count("A. Speaker") == 4 + speakers


@pytest.mark.parametrize("query", ["", "?format=closed", "?year=2016", "?state=moz"])
def test_timeline_download_links_give_the_rows_shown(client, record, query):
    import json

    html = client.get(f"/meetings/{query}").content.decode()
    shown = re.findall(r'<th scope="row"><a href="/meetings/([\d-]+)/">', html)
    link = re.search(r'<a href="(/data/meetings\.json[^"]*)">JSON</a>', html).group(1).replace("&amp;", "&")
    downloaded = [m["date"] for m in json.loads(client.get(link).content)["meetings"]]
    assert downloaded == shown and shown


@pytest.mark.parametrize(("url", "message"), [
    ("/meetings/2014-12-23/", "No event on 23 December 2014 is in the record."),
    ("/meetings/2014-02-30/", "“2014-02-30” is not a date on the calendar."),
    ("/countries/xyz/", "No state with the code “xyz” is in the record."),
    ("/search/?q=korea&page=999", "There is no page 999 of results."),
])
def test_404_says_what_was_wrong(client, record, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in text(response).replace("&quot;", '"')


def test_closed_discussion_shows_who_asked_and_who_joined_the_joint_statement(client, record):
    page = text(client.get("/meetings/2022-12-09/"))
    assert "Joined the joint statement" in page
    assert re.search(r"United States Permanent Western European and other States Yes Yes", page)
    assert re.search(r"China Permanent Asia-Pacific States No No", page)
    assert "Read by Linda Thomas-Greenfield of the United States" in page


def test_event_page_links_to_the_events_before_and_after(client, record):
    html = client.get("/meetings/2015-12-10/").content.decode()
    assert re.search(r'<a href="/meetings/2014-12-22/" rel="prev">', html)
    assert re.search(r'<a href="/meetings/2016-12-09/" rel="next">', html)
    first = client.get("/meetings/2014-12-22/").content.decode()
    assert 'rel="prev"' not in first and 'href="/meetings/2015-12-10/" rel="next"' in first
