import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import (
    Ballot,
    Capacity,
    Caveat,
    CaveatKind,
    Citation,
    Fact,
    Format,
    Meeting,
    Position,
    ProceduralVote,
    Request,
    Statement,
    Timing,
)
from tests.factories import (
    make_council,
    make_meeting,
    make_presidency,
    make_request,
    make_source,
    make_state,
    make_statement,
    make_vote,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2014, 12, 22)


@pytest.fixture
def members():
    return make_council(2014)


@pytest.fixture
def meeting(members):
    return make_meeting(DAY)


def test_symbol_derives_from_meeting_number():
    assert make_meeting(number=7353).symbol == "S/PV.7353"
    assert make_meeting(datetime.date(2020, 12, 11), format=Format.CLOSED).symbol is None


def test_public_meeting_needs_a_number():
    with transaction.atomic(), pytest.raises(IntegrityError, match="meeting_number_exactly_for_public_meetings"):
        Meeting.objects.create(date=DAY, format=Format.PUBLIC, title="t", summary="s")


def test_closed_discussion_has_no_number():
    with transaction.atomic(), pytest.raises(IntegrityError, match="meeting_number_exactly_for_public_meetings"):
        Meeting.objects.create(date=DAY, format=Format.CLOSED, meeting_number=1, title="t", summary="s")


def test_clean_explains_the_meeting_number_rule():
    meeting = Meeting(date=DAY, format=Format.CLOSED, meeting_number=1, title="t", summary="s")
    with pytest.raises(ValidationError, match="Only a public meeting has a meeting number"):
        meeting.full_clean()


def test_one_event_per_day_and_unique_meeting_numbers():
    make_meeting(DAY, number=7353)
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_meeting(DAY, number=7354)
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_meeting(DAY + datetime.timedelta(days=1), number=7353)


def test_press_release_symbol_form():
    with transaction.atomic(), pytest.raises(IntegrityError, match="meeting_press_release_symbol"):
        make_meeting(press_release="11720")


def test_summary_is_required():
    with transaction.atomic(), pytest.raises(IntegrityError, match="meeting_has_summary"):
        make_meeting(summary="")


def test_request_symbol_form(meeting):
    with transaction.atomic(), pytest.raises(IntegrityError, match="request_letter_symbol"):
        Request.objects.create(meeting=meeting, symbol="2014/872")


def test_request_cannot_postdate_the_event(meeting):
    request = Request(meeting=meeting, symbol="S/2014/872", date=DAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="on or before the event"):
        request.full_clean()


def test_announced_tally_cannot_exceed_fifteen(meeting):
    with transaction.atomic(), pytest.raises(IntegrityError, match="vote_announced_tally_at_most_fifteen"):
        ProceduralVote.objects.create(meeting=meeting, announced_in_favour=12, announced_against=2, announced_abstaining=2)


def test_only_public_meetings_vote(members):
    closed = make_meeting(datetime.date(2014, 12, 23), format=Format.CLOSED)
    vote = ProceduralVote(meeting=closed, announced_in_favour=9, announced_against=0, announced_abstaining=0)
    with pytest.raises(ValidationError, match="Only a public meeting has a procedural vote"):
        vote.full_clean()


def test_one_ballot_per_member_per_vote(meeting, members):
    make_vote(meeting, members)
    with transaction.atomic(), pytest.raises(IntegrityError, match="ballot_one_per_member_per_vote"):
        Ballot.objects.create(meeting=meeting, state=members[0], position=Position.AGAINST)


def test_database_refuses_a_ballot_from_a_state_not_on_the_council(meeting):
    outsider = make_state()
    with transaction.atomic(), pytest.raises(IntegrityError, match="ballot_state_on_council"):
        Ballot.objects.create(meeting=meeting, state=outsider, position=Position.IN_FAVOUR)


def test_database_refuses_moving_a_ballot_to_a_non_member(meeting, members):
    make_vote(meeting, members)
    ballot = Ballot.objects.get(meeting=meeting, state=members[0])
    ballot.state = make_state()
    with transaction.atomic(), pytest.raises(IntegrityError, match="ballot_state_on_council"):
        ballot.save()


def test_clean_explains_a_ballot_from_a_non_member(meeting):
    outsider = make_state(short_name="Japan")
    with pytest.raises(ValidationError, match="Japan was not on the Council on 22 December 2014"):
        Ballot(meeting=meeting, state=outsider, position=Position.IN_FAVOUR).full_clean()


def test_result_follows_from_the_ballots_and_needs_nine(meeting, members):
    vote = make_vote(meeting, members, against=members[:2], abstaining=members[5:9])
    # 9 in favour: adopted with nothing to spare, whatever two permanent members did.
    assert vote.tally()[Position.IN_FAVOUR] == 9
    assert vote.adopted and vote.margin == 0
    ballot = Ballot.objects.get(meeting=meeting, state=members[10])
    ballot.position = Position.ABSTAINING
    ballot.save()
    vote = ProceduralVote.objects.get(pk=vote.pk)
    assert not vote.adopted and vote.margin == -1


def test_announced_tally_disagreement_is_reported(meeting, members):
    vote = make_vote(meeting, members, against=members[:2])
    assert vote.disagreements() == []
    vote.announced_in_favour = 12
    assert vote.disagreements() == ["In favour: 12 announced, 13 ballots recorded"]


def test_statement_order_is_unique_and_from_one(meeting, members):
    make_statement(meeting, members[0], order=1)
    with transaction.atomic(), pytest.raises(IntegrityError, match="statement_unique_order_per_meeting"):
        make_statement(meeting, members[1], order=1)
    with transaction.atomic(), pytest.raises(IntegrityError, match="statement_order_from_one"):
        make_statement(meeting, members[1], order=0)


def test_briefer_has_an_office_and_no_state(meeting, members):
    with transaction.atomic(), pytest.raises(IntegrityError, match="statement_state_or_office_by_capacity"):
        make_statement(meeting, members[0], capacity=Capacity.BRIEFER)
    with transaction.atomic(), pytest.raises(IntegrityError, match="statement_state_or_office_by_capacity"):
        make_statement(meeting, None, capacity=Capacity.MEMBER)


def test_statement_page_and_summary(meeting, members):
    with transaction.atomic(), pytest.raises(IntegrityError, match="statement_page_from_one"):
        make_statement(meeting, members[0], page=0)
    with transaction.atomic(), pytest.raises(IntegrityError, match="statement_has_summary"):
        make_statement(meeting, members[0], summary="")


def test_quotation_is_short(meeting, members):
    statement = make_statement(meeting, members[0])
    statement.quotation = "x" * 301
    with pytest.raises(ValidationError, match="at most 300 characters"):
        statement.full_clean()


def test_member_capacity_needs_a_member(meeting):
    outsider = make_state(short_name="Japan")
    statement = make_statement(meeting, outsider, capacity=Capacity.NON_MEMBER)
    statement.capacity = Capacity.MEMBER
    with pytest.raises(ValidationError, match="Japan was not on the Council .* rule 37"):
        statement.full_clean()


def test_non_member_capacity_refuses_a_member(meeting, members):
    statement = make_statement(meeting, members[0], capacity=Capacity.NON_MEMBER)
    with pytest.raises(ValidationError, match="was on the Council on 22 December 2014"):
        statement.full_clean()


def test_president_capacity_must_be_the_president(meeting, members):
    make_presidency(members[6], DAY)
    make_statement(meeting, members[6], capacity=Capacity.PRESIDENT).full_clean()
    statement = make_statement(meeting, members[0], capacity=Capacity.PRESIDENT)
    with pytest.raises(ValidationError, match="held the presidency in December 2014"):
        statement.full_clean()


def test_timing_must_match_whether_a_vote_was_held(meeting, members):
    statement = make_statement(meeting, members[0], timing=Timing.BEFORE_VOTE)
    with pytest.raises(ValidationError, match="no procedural vote"):
        statement.full_clean()
    make_vote(meeting, members)
    statement.timing = Timing.NO_VOTE
    with pytest.raises(ValidationError, match="had a procedural vote"):
        statement.full_clean()


def test_citation_unique_per_fact(meeting):
    source = make_source("S/PV.7353")
    Citation.objects.create(meeting=meeting, fact=Fact.VOTE, source=source)
    with transaction.atomic(), pytest.raises(IntegrityError, match="citation_unique_per_fact"):
        Citation.objects.create(meeting=meeting, fact=Fact.VOTE, source=source)


def test_caveat_needs_text(meeting):
    with transaction.atomic(), pytest.raises(IntegrityError, match="caveat_has_text"):
        Caveat.objects.create(meeting=meeting, fact=Fact.REQUEST, kind=CaveatKind.DISAGREEMENT, text="")


def test_source_url_and_symbol(members):
    from meetings.models import Source

    with transaction.atomic(), pytest.raises(IntegrityError, match="source_url_is_web_address"):
        Source.objects.create(url="ftp://x", kind="news", title="x")
    with transaction.atomic(), pytest.raises(IntegrityError, match="source_symbol_null_not_blank"):
        Source.objects.create(url="https://a.example", symbol="", kind="news", title="x")


def test_natural_keys():
    meeting = make_meeting(DAY)
    assert Meeting.objects.get_by_natural_key(DAY) == meeting
    source = make_source("SC/11720")
    assert type(source).objects.get_by_natural_key(source.url) == source


def test_deleting_a_state_with_ballots_is_refused(meeting, members):
    make_vote(meeting, members)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        members[0].delete()


def test_request_requesters(meeting, members):
    request = make_request(meeting, members[:3])
    assert set(request.requesters.all()) == set(members[:3])
    assert Meeting.objects.involving(members[2]).get() == meeting
    assert not Meeting.objects.involving(members[4]).exists()
    assert Statement.objects.count() == 0


def test_unique_natural_keys_and_symbols(meeting, members):
    from meetings.models import JointStatement, Source

    source = make_source("S/PV.7353")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Source.objects.create(url="https://elsewhere.example", symbol="S/PV.7353", kind="news", title="x")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Source.objects.create(url=source.url, kind="news", title="x")
    Meeting.objects.filter(pk=meeting.pk).update(press_release="SC/11720")
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_meeting(DAY + datetime.timedelta(days=3), press_release="SC/11720")
    make_request(meeting, members[:2])
    other = make_meeting(DAY + datetime.timedelta(days=4))
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_request(other, members[:2])  # the same letter symbol twice
    ProceduralVote.objects.create(meeting=meeting, announced_in_favour=9, announced_against=0, announced_abstaining=0)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProceduralVote.objects.create(meeting=meeting, announced_in_favour=9, announced_against=0, announced_abstaining=0)
    with transaction.atomic(), pytest.raises(IntegrityError, match="joint_statement_has_summary"):
        JointStatement.objects.create(meeting=meeting, summary="")


def test_briefer_rules_in_clean(meeting, members):
    statement = make_statement(meeting, None, capacity=Capacity.BRIEFER)
    statement.state = members[0]
    statement.office = ""
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert "A briefer speaks for an office, not a state" in str(error.value)
    assert "Name the office the briefer spoke for" in str(error.value)
