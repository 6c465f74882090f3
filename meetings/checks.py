"""Rules across rows that the database cannot hold, checked over the whole record."""

from collections import defaultdict

from council.models import CouncilTerm, Presidency
from meetings.models import (
    Ballot,
    Capacity,
    Meeting,
    Position,
    ProceduralVote,
    Statement,
    Timing,
)
from meetings.source_policy import find_source_problems


def members_by_day(days):
    terms = list(CouncilTerm.objects.select_related("state"))
    return {day: {t.state for t in terms if t.covers(day)} for day in days}


def find_problems():
    """Every broken rule in the record, as sentences an editor can act on."""
    problems = []
    meetings = list(Meeting.objects.with_president().prefetch_related("citations").order_by("date"))
    members = members_by_day([m.date for m in meetings] + list(Presidency.objects.values_list("month", flat=True)))
    votes = {v.meeting_id: v for v in ProceduralVote.objects.all()}
    ballots = defaultdict(list)
    for ballot in Ballot.objects.select_related("state"):
        ballots[ballot.meeting_id].append(ballot)
    statements = defaultdict(list)
    for statement in Statement.objects.select_related("state"):
        statements[statement.meeting_id].append(statement)

    for meeting in meetings:
        where = f"{meeting.date} ({meeting.get_format_display().lower()})"
        day_members = members[meeting.date]
        if not meeting.citations.all():
            problems.append(f"{where}: no source is cited for this event.")
        if len(day_members) != 15:
            problems.append(f"{where}: the record has {len(day_members)} members of the Council that day, not 15; check the terms.")
        vote = votes.get(meeting.pk)
        voted = {b.state for b in ballots[meeting.pk]}
        if vote is None and voted:
            problems.append(f"{where}: has ballots but no procedural vote.")
        if vote is not None:
            missing = sorted(s.short_name for s in day_members - voted)
            outsiders = sorted(s.short_name for s in voted - day_members)
            if missing:
                problems.append(f"{where}: the ballots do not add up to the fifteen members; missing {', '.join(missing)}.")
            if outsiders:
                problems.append(f"{where}: ballots from states not on the Council that day: {', '.join(outsiders)}.")
            counts = dict.fromkeys(Position.values, 0)
            for ballot in ballots[meeting.pk]:
                counts[ballot.position] += 1
            for position, announced in vote.announced.items():
                if counts[position] != announced:
                    problems.append(f"{where}: the announced tally says {announced} {Position(position).label.lower()}, the ballots {counts[position]}.")
        for statement in statements[meeting.pk]:
            who = f"{where}: statement {statement.order} ({statement.state or statement.office})"
            if statement.capacity in (Capacity.MEMBER, Capacity.PRESIDENT) and statement.state not in day_members:
                problems.append(f"{who} is recorded as a Council member's, but that state was not on the Council that day.")
            if statement.capacity == Capacity.NON_MEMBER and statement.state in day_members:
                problems.append(f"{who} is recorded as a non-member's, but that state was on the Council that day.")
            if statement.capacity == Capacity.PRESIDENT and statement.state.iso3 != meeting.president_iso3:
                problems.append(f"{who} is recorded as the President's, but the presidency that month is "
                                f"{meeting.president_name or 'not in the record'}.")
            if (vote is None) != (statement.timing == Timing.NO_VOTE):
                problems.append(f"{who}: its timing ({statement.get_timing_display().lower()}) does not fit whether a vote was held.")

    for presidency in Presidency.objects.select_related("state"):
        if presidency.state not in members[presidency.month]:
            problems.append(f"Presidency of {presidency.month:%B %Y}: {presidency.state} was not on the Council.")
    return problems + find_source_problems()
