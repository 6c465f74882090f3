"""Factories that always make valid records: a small Council of fifteen, events, votes."""

import datetime
import itertools

from council.models import CouncilTerm, Presidency, RegionalGroup, Seat, State
from meetings.models import (
    Ballot,
    Capacity,
    Citation,
    Fact,
    Format,
    JointStatement,
    Meeting,
    Position,
    ProceduralVote,
    Request,
    Source,
    SourceKind,
    Statement,
    Timing,
)
from meetings.source_policy import CHARTER_URL

PERMANENT = [("CHN", "China"), ("FRA", "France"), ("RUS", "Russian Federation"),
             ("GBR", "United Kingdom"), ("USA", "United States")]
_codes = itertools.count()


def code():
    """A fresh three-letter code, AAA, AAB, ..."""
    n = next(_codes)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "Q" + letters[n // 26 % 26] + letters[n % 26]


def make_state(iso3=None, short_name=None, group=RegionalGroup.WESTERN_EUROPEAN_OTHERS):
    iso3 = iso3 or code()
    short_name = short_name or f"State {iso3}"
    return State.objects.create(iso3=iso3, name=f"Republic of {short_name}", short_name=short_name, group=group)


def make_source(symbol=None, kind=SourceKind.VERBATIM_RECORD):
    key = symbol or code()
    return Source.objects.create(url=f"https://undocs.org/{key}", symbol=symbol, kind=kind, title=f"Document {key}")


def charter():
    """The Charter's Chapter V, which every permanent seat cites (meetings/source_policy.py)."""
    return Source.objects.get_or_create(url=CHARTER_URL, defaults={"kind": SourceKind.UN_DOCUMENT, "title": "Charter, Chapter V"})[0]


def make_council(year=2014):
    """Fifteen members for `year`: the five permanent members and ten elected (five of them for year-1..year)."""
    members = []
    for iso3, name in PERMANENT:
        state = State.objects.filter(iso3=iso3).first() or make_state(iso3, name)
        if not state.terms.filter(seat=Seat.PERMANENT).exists():
            term = CouncilTerm.objects.create(state=state, seat=Seat.PERMANENT, start=datetime.date(1945, 10, 24))
            term.sources.add(charter())
        members.append(state)
    for i in range(10):
        state = make_state(group=RegionalGroup.AFRICAN if i % 2 else RegionalGroup.ASIA_PACIFIC)
        first = year - 1 if i < 5 else year
        term = CouncilTerm.objects.create(state=state, seat=Seat.ELECTED, start=datetime.date(first, 1, 1),
                                          end=datetime.date(first + 1, 12, 31))
        term.sources.add(make_source(kind=SourceKind.PRESS_RELEASE))
        members.append(state)
    return members


def make_presidency(state, day):
    return Presidency.objects.create(month=day.replace(day=1), state=state)


def make_meeting(day=datetime.date(2014, 12, 22), format=Format.PUBLIC, number=None, source=None, **fields):
    if format == Format.PUBLIC and number is None:
        number = 7000 + next(_codes)
    meeting = Meeting.objects.create(
        date=day, format=format, meeting_number=number if format == Format.PUBLIC else None,
        title=fields.pop("title", "The Council takes up the item"),
        summary=fields.pop("summary", "A neutral summary."), **fields,
    )
    Citation.objects.create(meeting=meeting, fact=Fact.DATE, source=source or make_source())
    return meeting


def make_vote(meeting, members, against=(), abstaining=(), not_participating=()):
    """A vote where everyone named votes so, and every other member votes in favour."""
    positions = {}
    for state in members:
        if state in against:
            positions[state] = Position.AGAINST
        elif state in abstaining:
            positions[state] = Position.ABSTAINING
        elif state in not_participating:
            positions[state] = Position.NOT_PARTICIPATING
        else:
            positions[state] = Position.IN_FAVOUR
    vote = ProceduralVote.objects.create(
        meeting=meeting,
        announced_in_favour=sum(p == Position.IN_FAVOUR for p in positions.values()),
        announced_against=len(against), announced_abstaining=len(abstaining),
    )
    Ballot.objects.bulk_create(Ballot(meeting=meeting, state=s, position=p) for s, p in positions.items())
    return vote


def make_request(meeting, requesters, symbol="S/2014/872", day=None):
    request = Request.objects.create(meeting=meeting, symbol=symbol, date=day or meeting.date - datetime.timedelta(days=17))
    request.requesters.set(requesters)
    return request


def make_statement(meeting, state=None, order=None, capacity=Capacity.MEMBER, timing=None, **fields):
    if timing is None:
        timing = Timing.AFTER_VOTE if ProceduralVote.objects.filter(meeting=meeting).exists() else Timing.NO_VOTE
    if order is None:
        order = meeting.statements.count() + 1
    return Statement.objects.create(
        meeting=meeting, order=order, capacity=capacity, state=state, timing=timing,
        office="" if state else fields.pop("office", "Office of the High Commissioner for Human Rights"),
        speaker=fields.pop("speaker", "A. Speaker"), summary=fields.pop("summary", "Said something."),
        source=fields.pop("source", None) or make_source(), **fields,
    )


def make_events(n, members, joint_statements=False):
    """n public meetings on consecutive days of December 2014, each with a vote, a request and statements."""
    meetings = []
    for i in range(n):
        meeting = make_meeting(datetime.date(2014, 12, 1 + i))
        make_vote(meeting, members, against=members[:2], abstaining=members[5:7])
        make_request(meeting, members[:4], symbol=f"S/2014/{800 + i}")
        for state in members[:3]:
            make_statement(meeting, state)
        make_statement(meeting, None, capacity=Capacity.BRIEFER)
        if joint_statements:
            joint = JointStatement.objects.create(meeting=meeting, read_by=members[3], summary="Together.")
            joint.states.set(members[3:5])
            joint.sources.set([make_source()])
        meetings.append(meeting)
    return meetings
