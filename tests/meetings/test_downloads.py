"""The open-data downloads: what they say, their filters, their schemas, the feed and /data/."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from jsonschema import Draft202012Validator, FormatChecker

from council.models import CouncilTerm, Seat
from meetings.history import recorded
from meetings.models import Capacity, Format, Meeting, Position, SourceKind
from tests import factories
from tests.factories import (
    make_council,
    make_meeting,
    make_presidency,
    make_state,
    make_vote,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DOWNLOADS = ["/data/meetings.json", "/data/meetings.csv", "/data/ballots.csv", "/data/statements.csv",
             "/data/members.json", "/data/members.csv"]
MEETING_DOWNLOADS = DOWNLOADS[:4]


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return json.loads(response.content.decode("utf-8"))


def get_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def validate(client, document, schema_url):
    schema = get_json(client, schema_url)
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(document)


def page_text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def timeline_dates(client, query=""):
    """The dates of the events the timeline lists for a query, as the reader sees them."""
    response = client.get(f"/meetings/?{query}", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})"', response.content.decode())


def page_positions(html):
    """Each member's position in the vote, from the event page's rows <tr id="member-xxx">."""
    positions = {}
    for code, row in re.findall(r'<tr id="member-([a-z]{3})">(.*?)</tr>', html, re.S):
        found = re.search(r"position-(in_favour|against|abstaining|not_participating)\b", row)
        if found:
            positions[code.upper()] = found.group(1)
    return positions


# -- meetings.json on the shipped record ----------------------------------------------


def test_meetings_json_gives_every_event_oldest_first(client, record):
    data = get_json(client, "/data/meetings.json")
    assert datetime.datetime.fromisoformat(data["generated"]) <= timezone.now()
    dates = [m["date"] for m in data["meetings"]]
    assert dates == sorted(dates) and len(dates) == Meeting.objects.count() == 12
    first = data["meetings"][0]
    assert first["date"] == "2014-12-22" and first["format"] == "public"
    assert (first["meeting_number"], first["symbol"], first["press_release"]) == (7353, "S/PV.7353", "SC/11720")
    assert first["request_letter"]["symbol"] == "S/2014/872"
    assert {"AUS", "FRA", "KOR", "USA"} <= set(first["request_letter"]["signatories"])
    assert first["president"] == "TCD"
    assert first["vote"]["against"] == ["CHN", "RUS"] and first["vote"]["abstaining"] == ["NGA", "TCD"]
    assert len(first["vote"]["in_favour"]) == 11 and first["vote"]["adopted"] is True
    assert first["statements"][0]["state"] == "CHN" and first["statements"][0]["timing"] == "before_vote"
    assert {"label": "S/PV.7353", "url": "https://undocs.org/S/PV.7353"} in first["sources"]


def test_meetings_json_lists_each_source_once_cited_ones_first(client, record):
    """Every source of an event once: the cited ones (UN documents first), then the statements', then the joint statements'."""
    rank = {kind: n for n, kind in enumerate(SourceKind.values)}
    for data in get_json(client, "/data/meetings.json")["meetings"]:
        meeting = Meeting.objects.get(date=data["date"])
        cited = sorted({c.source for c in meeting.citations.all()}, key=lambda s: (rank[s.kind], s.label))
        spoken = [s.source for s in meeting.statements.order_by("order")]
        joint = [s for j in meeting.joint_statements.order_by("pk") for s in j.sources.order_by("symbol", "url")]
        expected = [{"label": s.label, "url": s.url} for s in dict.fromkeys([*cited, *spoken, *joint])]
        assert data["sources"] == expected, data["date"]
        assert [c["kind"] for c in data["caveats"]] == list(meeting.caveats.order_by("fact", "pk").values_list("kind", flat=True))


def test_meetings_json_events_without_vote_or_request(client, record):
    by_date = {m["date"]: m for m in get_json(client, "/data/meetings.json")["meetings"]}
    closed = by_date["2020-12-11"]
    assert closed["format"] == "closed" and closed["vote"] is None and closed["symbol"] is None
    assert closed["meeting_number"] is None
    assert by_date["2018-12-10"]["format"] == "not_held"
    assert by_date["2023-08-17"]["vote"] is None and by_date["2023-08-17"]["symbol"] == "S/PV.9398"
    briefers = [s for m in by_date.values() for s in m["statements"] if s["capacity"] == Capacity.BRIEFER]
    assert briefers and all(s["state"] is None and s["office"] for s in briefers)


def test_meetings_json_validates_against_its_published_schema(client, record):
    validate(client, get_json(client, "/data/meetings.json"), "/data/meetings.schema.json")


def test_members_json_validates_against_its_published_schema(client, record):
    validate(client, get_json(client, "/data/members.json"), "/data/members.schema.json")


def test_schema_refuses_a_download_that_breaks_it(client, record):
    data = get_json(client, "/data/meetings.json")
    data["meetings"][0]["vote"]["in_favour"].append("china")
    schema = get_json(client, "/data/meetings.schema.json")
    assert not Draft202012Validator(schema).is_valid(data)
    assert schema["$id"] == f"{settings.SITE_URL}/data/meetings.schema.json"


# -- What the downloads say equals what the pages say ---------------------------------


def test_every_vote_and_source_in_meetings_json_is_on_the_event_page(client, record):
    meetings = get_json(client, "/data/meetings.json")["meetings"]
    votes = 0
    for meeting in meetings:
        html = client.get(f"/meetings/{meeting['date']}/").content.decode()
        shown = page_positions(html)
        for source in meeting["sources"]:
            assert f'href="{escape(source["url"])}"' in html, (meeting["date"], source["url"])
        if meeting["vote"] is None:
            assert not shown, meeting["date"]
            continue
        votes += 1
        listed = {code: position for position in Position.values for code in meeting["vote"][position]}
        assert listed == shown, meeting["date"]
        assert len(re.findall(r'<li id="statement-\d+"', html)) == len(meeting["statements"]), meeting["date"]
    assert votes == 5


def test_event_count_is_the_timelines(client, record):
    meetings = get_json(client, "/data/meetings.json")["meetings"]
    assert [m["date"] for m in meetings] == timeline_dates(client)
    assert f"{len(meetings)} events " in page_text(client.get("/meetings/"))


@pytest.mark.parametrize("query", ["year=2016", "format=closed", "state=moz", "state=CHN", "year=2023&format=public",
                                   "year=2019&format=public"])
def test_filtered_downloads_hold_the_rows_the_filtered_timeline_shows(client, record, query):
    dates = timeline_dates(client, query)
    meetings = get_json(client, f"/data/meetings.json?{query}")["meetings"]
    assert [m["date"] for m in meetings] == dates
    assert [row["date"] for row in get_csv(client, f"/data/meetings.csv?{query}")] == dates
    assert {row["date"] for row in get_csv(client, f"/data/ballots.csv?{query}")} == {m["date"] for m in meetings if m["vote"]}
    assert {row["date"] for row in get_csv(client, f"/data/statements.csv?{query}")} == {m["date"] for m in meetings if m["statements"]}


def test_ballots_csv_is_one_row_per_member_per_vote(client, record):
    response = client.get("/data/ballots.csv")
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    assert response["Content-Disposition"] == 'attachment; filename="ballots.csv"'
    rows = get_csv(client, "/data/ballots.csv")
    assert list(rows[0]) == ["date", "symbol", "state", "name", "position"]
    meetings = get_json(client, "/data/meetings.json")["meetings"]
    expected = {(m["date"], m["symbol"], code, position) for m in meetings if m["vote"]
                for position in Position.values for code in m["vote"][position]}
    assert {(r["date"], r["symbol"], r["state"], r["position"]) for r in rows} == expected
    assert len(rows) == len(expected) == 5 * 15
    china = next(r for r in rows if r["date"] == "2014-12-22" and r["state"] == "CHN")
    assert (china["name"], china["position"]) == ("China", "against")


def test_statements_csv_matches_meetings_json(client, record):
    rows = get_csv(client, "/data/statements.csv")
    meetings = get_json(client, "/data/meetings.json")["meetings"]
    statements = [(m["date"], s) for m in meetings for s in m["statements"]]
    assert len(rows) == len(statements) > 0
    for row, (date, statement) in zip(rows, statements):
        assert (row["date"], int(row["order"]), row["capacity"], row["summary"]) == (
            date, statement["order"], statement["capacity"], statement["summary"])
        assert row["state"] == (statement["state"] or "") and row["speaker"] == (statement["speaker"] or "")
        assert row["source_url"] == statement["source"]["url"]


def test_meetings_csv_flattens_the_json(client, record):
    response = client.get("/data/meetings.csv")
    assert response["Content-Disposition"] == 'attachment; filename="meetings.csv"'
    rows = {row["date"]: row for row in get_csv(client, "/data/meetings.csv")}
    assert len(rows) == 12
    row = rows["2014-12-22"]
    assert row["vote_against"] == "CHN;RUS" and row["vote_abstaining"] == "NGA;TCD" and row["vote_adopted"] == "true"
    assert row["request_symbol"] == "S/2014/872" and "KOR" in row["request_signatories"].split(";")
    assert row["president"] == "TCD" and row["meeting_number"] == "7353" and row["dprk_took_part"] == "false"
    assert row["source_urls"].split(";")[0].startswith("https://undocs.org/S/PV.7353")
    assert len(row["source_urls"].split(";")) == len(row["source_labels"].split(";"))
    closed = rows["2020-12-11"]
    assert closed["vote_in_favour"] == "" and closed["vote_adopted"] == "" and closed["meeting_number"] == ""


def test_csv_and_json_keep_names_as_written(client, record):
    assert "CIV,Côte d'Ivoire,elected,african" in client.get("/data/members.csv").content.decode("utf-8")
    assert '"name": "Côte d\'Ivoire"' in client.get("/data/members.json?state=civ").content.decode("utf-8")


# -- members ---------------------------------------------------------------------------


def test_members_json_lists_every_term_overlapping_2014_to_2025(client, record):
    members = get_json(client, "/data/members.json")["members"]
    expected = CouncilTerm.objects.exclude(end__lt=datetime.date(2014, 1, 1)).exclude(start__gt=datetime.date(2025, 12, 31))
    assert len(members) == expected.count()
    permanent = [m for m in members if m["seat"] == "permanent"]
    assert sorted(m["state"] for m in permanent) == ["CHN", "FRA", "GBR", "RUS", "USA"]
    assert all(m["end"] is None for m in permanent)
    on_the_day = [m for m in members if m["start"] <= "2014-12-22" and (m["end"] is None or m["end"] >= "2014-12-22")]
    assert len(on_the_day) == 15
    plain = ("state", "name", "seat", "group", "start", "end")
    assert [{key: m[key] for key in plain} for m in members if m["state"] == "KOR"] == [
        {"state": "KOR", "name": "Republic of Korea", "seat": "elected", "group": "asia_pacific",
         "start": "2013-01-01", "end": "2014-12-31"},
        {"state": "KOR", "name": "Republic of Korea", "seat": "elected", "group": "asia_pacific",
         "start": "2024-01-01", "end": "2025-12-31"},
    ]


def test_members_json_gives_each_terms_sources_and_caveats(client, record):
    """A term is a fact like any other: it carries what establishes it, and what a reader should know."""
    members = get_json(client, "/data/members.json")["members"]
    terms = {(t.state.iso3, t.start.isoformat()): t for t in CouncilTerm.objects.select_related("state")}
    for member in members:
        term = terms[(member["state"], member["start"])]
        assert member["sources"], member
        assert {s["url"] for s in member["sources"]} == set(term.sources.values_list("url", flat=True))
        assert member["caveats"] == [{"kind": c.kind, "text": c.text} for c in term.caveats.all()]
    chn = next(m for m in members if m["state"] == "CHN")
    assert any("Charter of the United Nations" in s["label"] for s in chn["sources"]) and chn["caveats"] == []
    inferred = [m for m in members if any(c["kind"] == "inferred" for c in m["caveats"])]
    assert sorted(m["state"] for m in inferred) == ["ALB", "ARE", "BRA", "GAB", "GHA"]
    rows = {(r["state"], r["start"]): r for r in get_csv(client, "/data/members.csv")}
    for member in members:
        row = rows[(member["state"], member["start"])]
        assert row["source_urls"].split(";") == [s["url"] for s in member["sources"]]
        assert row["source_labels"].split(";") == [s["label"] for s in member["sources"]]


@pytest.mark.parametrize(("query", "check"), [
    ("seat=permanent", lambda m: m["seat"] == "permanent"),
    ("seat=elected", lambda m: m["seat"] == "elected"),
    ("group=african", lambda m: m["group"] == "african"),
    ("state=jpn", lambda m: m["state"] == "JPN"),
    ("state=JPN&seat=elected", lambda m: m["state"] == "JPN"),
])
def test_members_filters(client, record, query, check):
    everyone = get_json(client, "/data/members.json")["members"]
    members = get_json(client, f"/data/members.json?{query}")["members"]
    assert members and members == [m for m in everyone if check(m)]
    rows = get_csv(client, f"/data/members.csv?{query}")
    assert [r["state"] for r in rows] == [m["state"] for m in members]
    assert [r["end"] for r in rows] == [m["end"] or "" for m in members]


def test_filtered_download_is_named_for_its_filter(client, record):
    assert client.get("/data/members.csv?seat=elected&state=JPN")["Content-Disposition"] == (
        'attachment; filename="members-elected-jpn.csv"')
    assert client.get("/data/meetings.json?year=2016&format=public")["Content-Disposition"] == (
        'inline; filename="meetings-2016-public.json"')


# -- Bad input, methods, headers ------------------------------------------------------


@pytest.mark.parametrize("url", MEETING_DOWNLOADS)
@pytest.mark.parametrize("query", ["year=abc", "year=20145", "format=secret", "state=zzz", "state=toolong"])
def test_bad_meeting_filter_is_a_plain_400(client, record, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    field = query.split("=")[0]
    assert response.content.decode().startswith(f"The filter was not understood ({field}: ")


@pytest.mark.parametrize("url", ["/data/members.json", "/data/members.csv"])
@pytest.mark.parametrize("query", ["seat=rotating", "group=asia", "state=zzz", "state=abcd"])
def test_bad_members_filter_is_a_plain_400(client, record, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "The filter was not understood" in response.content.decode()


@pytest.mark.parametrize("url", [*DOWNLOADS, "/data/", "/data/feed.atom", "/data/meetings.schema.json"])
def test_data_refuses_writes(client, url):
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", [*DOWNLOADS, "/data/feed.atom", "/data/members.schema.json"])
def test_downloads_are_public_and_cacheable(client, record, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    if url.endswith(".schema.json"):
        assert response["Content-Type"] == "application/schema+json; charset=utf-8"
    elif url.endswith(".json"):
        assert response["Content-Type"] == "application/json; charset=utf-8"


# -- The Atom feed --------------------------------------------------------------------


def test_feed_has_an_entry_per_event_and_per_correction_newest_first(client, record):
    corrected = Meeting.objects.get(date="2016-12-09")
    corrected.summary += " Corrected."
    with recorded(reason="Summary completed from S/PV.7830", actor="loader"):
        corrected.save()
    response = client.get("/data/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == Meeting.objects.count() + 1 == 13
    updated = [datetime.datetime.fromisoformat(e.find(f"{ATOM}updated").text) for e in entries]
    assert updated == sorted(updated, reverse=True)
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").startswith(f"{settings.SITE_URL}/meetings/2016-12-09/#change-")
    assert first.find(f"{ATOM}title").text == "Correction to 9 December 2016: Summary completed from S/PV.7830"
    assert "What changed: event (summary)" in first.find(f"{ATOM}summary").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{settings.SITE_URL}/data/feed.atom"
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith(f"{settings.SITE_URL}/") for i in ids)
    links = {e.find(f"{ATOM}link").get("href") for e in entries[1:]}
    assert links == {f"{settings.SITE_URL}{m.get_absolute_url()}" for m in Meeting.objects.all()}


# -- The /data/ page ------------------------------------------------------------------


class Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.fragments, self.hrefs = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        href = attrs.get("href") or ""
        (self.fragments if href.startswith("#") else self.hrefs).append(href)


def test_data_page_explains_every_download(client, record):
    response = client.get("/data/")
    assert response.status_code == 200
    html = response.content.decode()
    page = page_text(response)
    for url in [*DOWNLOADS, "/data/feed.atom", "/data/meetings.schema.json", "/data/members.schema.json"]:
        assert f'href="{url}"' in html, url
    for field in ["request_letter.signatories", "vote.not_participating", "statements[].capacity", "sources[].url"]:
        assert field in page
    assert "CC BY 4.0" in page and "https://creativecommons.org/licenses/by/4.0/" in html
    assert "public documents of the United Nations" in page
    last = Meeting.objects.latest("updated").updated
    assert f"last changed {last.day} {last:%B %Y}" in page


def test_data_page_anchors_and_ids_hold(client, record):
    parser = Anchors()
    parser.feed(client.get("/data/").content.decode())
    assert len(parser.ids) == len(set(parser.ids)), "ids are unique"
    assert all(href[1:] in parser.ids for href in parser.fragments), "every in-page link has its target"
    for href in {h for h in parser.hrefs if h.startswith("/data/")}:
        assert client.get(href).status_code == 200, href


def test_last_change_follows_a_correction(client, record):
    meeting = Meeting.objects.get(date="2014-12-22")
    Meeting.objects.filter(pk=meeting.pk).update(updated=timezone.now() + datetime.timedelta(days=400))
    expected = (timezone.now() + datetime.timedelta(days=400)).date()
    assert f"last changed {expected.day} {expected:%B %Y}" in page_text(client.get("/data/"))


# -- Small data and query budgets ------------------------------------------------------


@pytest.fixture
def council():
    members = make_council(2014)
    make_presidency(members[6], datetime.date(2014, 12, 1))
    return members


def make_events(n, members):
    """n public meetings with a joint statement each, and a closed discussion."""
    factories.make_events(n, members, joint_statements=True)
    make_meeting(datetime.date(2014, 12, 30), format=Format.CLOSED)


def test_small_record_in_every_download(client, council):
    make_events(1, council)
    meeting = get_json(client, "/data/meetings.json")["meetings"][0]
    assert meeting["vote"]["against"] == sorted(s.iso3 for s in council[:2])
    assert meeting["vote"]["adopted"] is True
    assert meeting["president"] == council[6].iso3
    assert [s["capacity"] for s in meeting["statements"]] == ["member"] * 3 + ["briefer"]
    assert len(get_csv(client, "/data/ballots.csv")) == 15
    assert len(get_csv(client, "/data/statements.csv")) == 4
    assert len(get_json(client, "/data/members.json")["members"]) == 15


def test_a_failed_vote_is_not_adopted(client, council):
    meeting = make_meeting(datetime.date(2014, 12, 22))
    make_vote(meeting, council, against=council[:4], abstaining=council[4:7])
    vote = get_json(client, "/data/meetings.json")["meetings"][0]["vote"]
    assert len(vote["in_favour"]) == 8 and vote["adopted"] is False


def test_a_term_outside_the_years_is_left_out(client, council):
    old = make_state()
    CouncilTerm.objects.create(state=old, seat=Seat.ELECTED, start=datetime.date(2010, 1, 1), end=datetime.date(2011, 12, 31))
    later = make_state()
    CouncilTerm.objects.create(state=later, seat=Seat.ELECTED, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 12, 31))
    codes = {m["state"] for m in get_json(client, "/data/members.json")["members"]}
    assert old.iso3 not in codes and later.iso3 not in codes and len(codes) == 15


# Queries: meetings with their vote, request and President as rows, then one query each for
# ballots, signatories, statements, citations, joint statements' sources and caveats; each
# after the record's version (the page cache's key). A whole-record download (no filter)
# first looks for the copy stored for this version (meetings/prerender.py): none here.
BUDGETS = {
    "/data/meetings.json": 9,
    "/data/meetings.csv": 9,
    "/data/meetings.json?state=chn": 9,  # the state first; a filtered download is never stored
    "/data/ballots.csv": 3,
    "/data/ballots.csv?state=chn&year=2014": 3,
    "/data/statements.csv": 3,
    "/data/members.json": 4,  # the terms with their states, their sources, their caveats
    "/data/members.csv?state=chn": 5,
    "/data/feed.atom": 3,  # the events and the recent corrections
    "/data/": 2,
}


@pytest.mark.parametrize("n", [1, 12])
@pytest.mark.parametrize(("url", "queries"), BUDGETS.items())
def test_query_budget_does_not_grow_with_rows(client, council, django_assert_num_queries, n, url, queries):
    make_events(n, council)
    for i in range(n):
        CouncilTerm.objects.create(state=make_state(), seat=Seat.ELECTED, start=datetime.date(2016 + i, 1, 1),
                                   end=datetime.date(2017 + i, 12, 31))
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/data/meetings.json"):
        assert len(json.loads(response.content)["meetings"]) == n + ("state" not in url)
