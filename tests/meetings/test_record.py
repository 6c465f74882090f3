"""The shipped record, and the loader's refusal of bad files."""

import datetime
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from council.models import CouncilTerm, Seat, State
from meetings.models import Format, Meeting, Position, Source, SourceKind, Statement
from meetings.record import RECORD_DIR, RecordError, dump_event, load
from meetings.source_policy import CHARTER_URL, STATEMENT_COPIES, WEAK_DOMAINS, domain_of, is_weak

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_copy(tmp_path):
    target = tmp_path / "record"
    shutil.copytree(RECORD_DIR, target)
    return target


def edit(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def snapshot():
    return [dump_event(m) for m in Meeting.objects.order_by("date")]


def test_shipped_record_has_every_event(record):
    events = {m.date.isoformat(): m.format for m in Meeting.objects.all()}
    assert events == {
        "2014-12-22": "public", "2015-12-10": "public", "2016-12-09": "public", "2017-12-11": "public",
        "2018-12-10": "not_held", "2019-12-10": "not_held",
        "2020-12-11": "closed", "2021-12-15": "closed", "2022-12-09": "closed",
        "2023-03-17": "informal", "2023-08-17": "public", "2024-06-12": "public",
    }


def test_2014_vote(record):
    meeting = Meeting.objects.get(date="2014-12-22")
    assert meeting.symbol == "S/PV.7353" and meeting.press_release == "SC/11720"
    positions = {b.state.iso3: b.position for b in meeting.ballots.select_related("state")}
    assert sorted(s for s, p in positions.items() if p == Position.AGAINST) == ["CHN", "RUS"]
    assert sorted(s for s, p in positions.items() if p == Position.ABSTAINING) == ["NGA", "TCD"]
    assert sum(p == Position.IN_FAVOUR for p in positions.values()) == 11
    assert meeting.vote.adopted
    assert meeting.request.symbol == "S/2014/872"


def test_2024_vote(record):
    meeting = Meeting.objects.get(date=datetime.date(2024, 6, 12))
    tally = meeting.vote.tally()
    assert (tally[Position.IN_FAVOUR], tally[Position.AGAINST], tally[Position.ABSTAINING]) == (12, 2, 1)
    assert meeting.ballots.get(position=Position.ABSTAINING).state.iso3 == "MOZ"


def test_every_vote_has_the_fifteen_members_of_its_day(record):
    for meeting in Meeting.objects.filter(vote__isnull=False):
        members = set(CouncilTerm.objects.active_on(meeting.date).values_list("state__iso3", flat=True))
        assert len(members) == 15, meeting
        assert set(meeting.ballots.values_list("state__iso3", flat=True)) == members, meeting
        assert meeting.vote.disagreements() == [], meeting


def test_every_public_meeting_has_statements(record):
    for meeting in Meeting.objects.filter(format=Format.PUBLIC):
        assert meeting.statements.exists(), meeting


def test_loading_twice_changes_nothing(record):
    before = snapshot()
    updated = list(Meeting.objects.order_by("date").values_list("updated", flat=True))
    counts = (State.objects.count(), Statement.objects.count())
    load()
    assert snapshot() == before
    assert list(Meeting.objects.order_by("date").values_list("updated", flat=True)) == updated
    assert (State.objects.count(), Statement.objects.count()) == counts


def test_a_real_change_is_loaded_and_dated(record, record_copy):
    path = record_copy / "events" / "2014-12-22.json"
    edit(path, lambda d: d.update(title="A corrected title"))
    old = Meeting.objects.get(date="2014-12-22").updated
    load(record_copy)
    meeting = Meeting.objects.get(date="2014-12-22")
    assert meeting.title == "A corrected title" and meeting.updated > old


BAD_FILES = [
    ("events/2014-12-22.json", lambda d: d["vote"]["against"].append("XXX"),
     "events/2014-12-22.json: vote.against[2]: unknown state 'XXX'"),
    ("events/2014-12-22.json", lambda d: d["vote"]["announced"].update(in_favour=10),
     "events/2014-12-22.json: vote.announced: disagrees with the ballots (In favour: 10 announced, 11 ballots recorded)"),
    ("events/2014-12-22.json", lambda d: d["vote"]["in_favour"].remove("ARG"),
     "events/2014-12-22.json: vote: the ballots must be exactly the members of that day; missing ARG"),
    ("events/2014-12-22.json", lambda d: d["statements"][0].update(capacity="non_member"),
     "events/2014-12-22.json: statements[0].capacity: China was on the Council"),
    ("events/2014-12-22.json", lambda d: d.update(summary=""),
     "events/2014-12-22.json: (event).summary: must not be empty"),
    ("events/2014-12-22.json", lambda d: d.update(date="2014-12-23"),
     "events/2014-12-22.json: date: 2014-12-23 does not match the file name"),
    ("events/2014-12-22.json", lambda d: d.update(format="secret"),
     "events/2014-12-22.json: (event).format: 'secret' is not one of public, closed, informal, not_held"),
    ("events/2014-12-22.json", lambda d: d["statements"][0].update(source="S/PV.0000"),
     "events/2014-12-22.json: statements[0].source: unknown source 'S/PV.0000'"),
    ("events/2024-06-12.json", lambda d: d.update(meeting_number="9653"),
     "events/2024-06-12.json: (event).meeting_number: expected a whole number"),
    ("council.json", lambda d: d["terms"].append({**d["terms"][-1]}),
     "council.json: terms["),
    ("council.json", lambda d: d["states"][0].update(group="nordic"),
     "council.json: states[0].group: 'nordic' is not one of"),
    ("sources.json", lambda d: d["sources"].append(dict(d["sources"][0])),
     "sources.json: sources["),
    ("council.json", lambda d: next(t for t in d["terms"] if t["caveats"])["caveats"][0].update(kind="maybe"),
     ".caveats[0].kind: 'maybe' is not one of disagreement"),
]


@pytest.mark.parametrize(("name", "change", "message"), BAD_FILES)
def test_bad_file_is_refused_whole_on_an_empty_database(record_copy, name, change, message):
    edit(record_copy / name, change)
    with pytest.raises(RecordError) as refused:
        load(record_copy)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems
    assert not Meeting.objects.exists() and not State.objects.exists()


@pytest.mark.parametrize(("name", "change", "message"), BAD_FILES)
def test_bad_file_leaves_a_loaded_record_as_it_was(record, record_copy, name, change, message):
    before = snapshot()
    edit(record_copy / name, change)
    edit(record_copy / "events" / "2015-12-10.json", lambda d: d.update(title="Should not be loaded"))
    with pytest.raises(RecordError):
        load(record_copy)
    assert snapshot() == before


def test_unreadable_json_is_named(record_copy):
    (record_copy / "events" / "2016-12-09.json").write_text("{not json")
    with pytest.raises(RecordError, match=r"2016-12-09.json: not valid JSON"):
        load(record_copy)


def test_command_explains_and_changes_nothing(record_copy):
    edit(record_copy / "events" / "2014-12-22.json", lambda d: d["vote"]["against"].append("XXX"))
    with pytest.raises(CommandError, match=r"(?s)nothing was changed.*unknown state 'XXX'"):
        call_command("load_record", dir=str(record_copy))
    assert not Meeting.objects.exists()


def test_command_if_empty_keeps_editors_changes(record):
    Meeting.objects.filter(date="2014-12-22").update(title="Edited in the admin")
    call_command("load_record", if_empty=True)
    assert Meeting.objects.get(date="2014-12-22").title == "Edited in the admin"


def test_shipped_record_cites_only_what_the_source_policy_allows(record):
    cited = Source.objects.filter(Q(citations__isnull=False) | Q(terms__isnull=False) | Q(presidencies__isnull=False)
                                  | Q(joint_statements__isnull=False) | Q(statements__isnull=False)).distinct()
    assert set(Source.objects.all()) == set(cited), "sources.json lists a source nothing cites"
    copies = {s.url for s in Source.objects.all() if is_weak(s)}
    assert copies == set(Statement.objects.filter(source__url__in=copies).values_list("source__url", flat=True))
    assert {domain_of(url, WEAK_DOMAINS) for url in copies} == STATEMENT_COPIES
    for term in CouncilTerm.objects.filter(seat=Seat.PERMANENT).prefetch_related("sources"):
        assert CHARTER_URL in {s.url for s in term.sources.all()}, term
        assert {s.kind for s in term.sources.all()} == {SourceKind.UN_DOCUMENT}, term


def test_a_term_inferred_from_indirect_sources_says_so_on_the_country_page(record, client):
    html = client.get("/countries/alb/").content.decode()
    terms = html[html.index('id="terms-heading"'):html.index('id="ballots-heading"')]
    assert "Inferred" in terms and "No UN announcement of the June 2021 election was found." in terms
    assert "https://undocs.org/S/PV.9398" in terms and "security-council-elections-2021" in terms
    assert "latestly" not in html and "ummnews" not in html and "argumentum" not in html
