import datetime

import pytest
from django.core.management import CommandError, call_command

from council.models import CaveatKind, CouncilTerm, Seat, TermCaveat
from meetings.checks import find_problems
from meetings.models import (
    Ballot,
    Capacity,
    Caveat,
    Citation,
    Fact,
    Meeting,
    Position,
    ProceduralVote,
    Source,
    SourceKind,
    Statement,
    Timing,
)
from meetings.source_policy import CHARTER_URL
from tests.factories import (
    make_council,
    make_meeting,
    make_presidency,
    make_source,
    make_state,
    make_statement,
    make_vote,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2014, 12, 22)


def test_the_shipped_record_passes(record):
    assert find_problems() == []
    call_command("check_record")


@pytest.fixture
def meeting():
    members = make_council(2014)
    make_presidency(members[6], DAY)
    meeting = make_meeting(DAY)
    make_vote(meeting, members, against=members[:2])
    return meeting


def test_clean_fixture_passes(meeting):
    assert find_problems() == []


def test_missing_ballot(meeting):
    ballot = meeting.ballots.select_related("state").first()
    ballot.delete()
    assert find_problems() == [
        f"2014-12-22 (public meeting): the ballots do not add up to the fifteen members; missing {ballot.state.short_name}.",
        "2014-12-22 (public meeting): the announced tally says 13 in favour, the ballots 12." if ballot.position == Position.IN_FAVOUR
        else "2014-12-22 (public meeting): the announced tally says 2 against, the ballots 1.",
    ]


def test_announced_tally_disagrees(meeting):
    ProceduralVote.objects.filter(meeting=meeting).update(announced_in_favour=12, announced_against=3)
    assert find_problems() == ["2014-12-22 (public meeting): the announced tally says 12 in favour, the ballots 13.",
                               "2014-12-22 (public meeting): the announced tally says 3 against, the ballots 2."]


def test_ballots_without_a_vote(meeting):
    ProceduralVote.objects.filter(meeting=meeting).delete()
    assert "2014-12-22 (public meeting): has ballots but no procedural vote." in find_problems()


def test_speaker_who_was_not_a_member(meeting):
    japan = make_state(short_name="Japan")
    make_statement(meeting, japan, capacity=Capacity.NON_MEMBER)
    Statement.objects.update(capacity=Capacity.MEMBER)
    assert find_problems() == ["2014-12-22 (public meeting): statement 1 (Japan) is recorded as a Council member's, "
                               "but that state was not on the Council that day."]


def test_president_who_was_not_president(meeting):
    make_statement(meeting, meeting.ballots.first().state, capacity=Capacity.MEMBER)
    Statement.objects.update(capacity=Capacity.PRESIDENT)
    assert "is recorded as the President's" in " ".join(find_problems())


def test_timing_without_vote(meeting):
    make_statement(meeting, meeting.ballots.first().state)
    Statement.objects.update(timing=Timing.NO_VOTE)
    assert "does not fit whether a vote was held" in " ".join(find_problems())


def test_event_without_a_source(meeting):
    Citation.objects.all().delete()
    assert find_problems() == ["2014-12-22 (public meeting): no source is cited for this event."]


def test_command_fails_on_problems(meeting):
    Citation.objects.all().delete()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_record")
    assert Meeting.objects.count() == 1 and Ballot.objects.count() == 15


# -- The source policy (meetings/source_policy.py) -----------------------------------------


def test_a_weak_source_added_again_is_reported(meeting):
    copy = Source.objects.create(url="https://www.latestly.com/agency-news/x.html", kind=SourceKind.NEWS, title="LatestLY")
    Citation.objects.create(meeting=meeting, fact=Fact.VOTE, source=copy)
    CouncilTerm.objects.filter(seat=Seat.ELECTED).first().sources.add(copy)
    problems = [p for p in find_problems() if copy.url in p]
    assert len(problems) == 2
    assert problems[0].startswith(f"2014-12-22 (procedural vote) cites {copy.url}, a copy or aggregator site")
    assert problems[1].startswith("Term of State ") and "(elected, 2013–2014) cites" in problems[1]


def test_a_permanent_seat_must_cite_the_charter(meeting):
    term = CouncilTerm.objects.get(state__iso3="CHN")
    term.sources.set([make_source(kind=SourceKind.NEWS)])
    assert find_problems() == [f"Term of China (permanent): a permanent seat is cited to the Charter, Article 23 ({CHARTER_URL})."]


def test_a_term_with_only_copies_needs_a_caveat(meeting):
    term = CouncilTerm.objects.filter(seat=Seat.ELECTED).first()
    term.sources.set([Source.objects.create(url="https://ummnews.org/node/1", kind=SourceKind.NEWS, title="Umm News")])
    assert f"Term of {term} has no source, or only copies; cite one, or add a caveat that says so." in find_problems()
    term.sources.clear()
    TermCaveat.objects.create(term=term, kind=CaveatKind.INCOMPLETE, text="No source was found.")
    assert find_problems() == []


def test_a_kept_statement_copy_needs_a_caveat_that_names_it(meeting):
    copy = Source.objects.create(url="https://news-pravda.com/world/1.html", kind=SourceKind.NEWS, title="copy")
    make_statement(meeting, meeting.ballots.first().state, source=copy)
    assert find_problems() == [f"2014-12-22: statement 1 cites {copy.url}, a copy; cite the original, "
                               "or keep a listed copy with a caveat that names it."]
    Caveat.objects.create(meeting=meeting, fact=Fact.STATEMENTS, kind=CaveatKind.SINGLE_SOURCE,
                          text="Statement 1 rests on a copy at news-pravda.com.")
    assert find_problems() == []
