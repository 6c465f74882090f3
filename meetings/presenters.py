"""Data prepared for the templates, so that they only loop and print."""

from collections import defaultdict
from dataclasses import dataclass, field

from council.models import CouncilTerm, RegionalGroup, Seat
from meetings.models import COUNCIL_SIZE, VOTES_NEEDED, Fact, Format, Position, ProceduralVote, Request, SourceKind

OUTCOME_WITHOUT_VOTE = {
    Format.PUBLIC: "Held without a vote on the agenda",
    Format.CLOSED: "Discussed in private; no public record",
    Format.INFORMAL: "Informal meeting, not a meeting of the Council",
    Format.NOT_HELD: "Not held",
}
# Order of the threshold cells: the votes that count towards the nine first.
CELL_ORDER = [Position.IN_FAVOUR, Position.ABSTAINING, Position.AGAINST, Position.NOT_PARTICIPATING]


def source_rank(source):
    """UN records first (verbatim record, press release, documents), then the rest."""
    return (SourceKind.values.index(source.kind), source.label)


def plural(n, one, many=None):
    return f"{n} {one if n == 1 else (many or one + 's')}"


def margin_words(in_favour):
    margin = in_favour - VOTES_NEEDED
    if margin > 0:
        return f"Adopted with {plural(margin, 'vote')} to spare: {in_favour} in favour where {VOTES_NEEDED} were needed."
    if margin == 0:
        return f"Adopted with no vote to spare: exactly the {VOTES_NEEDED} votes in favour needed."
    return f"Not adopted: {in_favour} in favour, {plural(-margin, 'vote')} short of the {VOTES_NEEDED} needed."


def tally_text(tally):
    return f"{tally[Position.IN_FAVOUR]}–{tally[Position.AGAINST]}–{tally[Position.ABSTAINING]}"


class TimelineRow:
    """One event on the timeline (from Meeting.objects.for_timeline())."""

    def __init__(self, meeting):
        self.meeting = meeting
        self.date = meeting.date
        self.url = meeting.get_absolute_url()
        self.format = meeting.format
        self.format_label = meeting.get_format_display()
        self.title = meeting.title
        self.symbol = meeting.symbol
        self.press_release = meeting.press_release
        self.speaker_count = meeting.speaker_count
        self.president = meeting.president_name
        tally = {p: getattr(meeting, f"tally_{p}") for p in Position.values}
        self.has_vote = sum(tally.values()) > 0
        if self.has_vote:
            self.tally = tally_text(tally)
            self.adopted = tally[Position.IN_FAVOUR] >= VOTES_NEEDED
            self.outcome = "Agenda adopted by vote" if self.adopted else "Agenda rejected by vote"
        else:
            self.tally = None
            self.adopted = None
            self.outcome = OUTCOME_WITHOUT_VOTE[meeting.format]


@dataclass
class MemberRow:
    state: object
    seat: str
    seat_label: str
    group_label: str
    position: str | None = None
    position_label: str = "No ballot recorded"
    requested: bool = False
    statements: list = field(default_factory=list)


@dataclass
class Cell:
    state: object
    position: str
    label: str
    number: int
    threshold: bool


class EventPage:
    """Everything the event page shows (from Meeting.objects.for_event_page())."""

    def __init__(self, meeting):
        self.meeting = meeting
        self.format_label = meeting.get_format_display()
        self.president = meeting.president_name
        self.president_iso3 = meeting.president_iso3
        self.request = self._one(meeting, "request", Request)
        self.vote = self._one(meeting, "vote", ProceduralVote)
        self.requesters = list(self.request.requesters.all()) if self.request else []
        self.statements = list(meeting.statements.all())
        self.joint_statements = list(meeting.joint_statements.all())

        self.sources_by_fact = defaultdict(list)
        for citation in sorted(meeting.citations.all(), key=lambda c: source_rank(c.source)):
            self.sources_by_fact[citation.fact].append(citation.source)
        self.caveats_by_fact = defaultdict(list)
        for caveat in meeting.caveats.all():
            self.caveats_by_fact[caveat.fact].append(caveat)
        self.sources = list(dict.fromkeys(
            [s for sources in self.sources_by_fact.values() for s in sources]
            + [st.source for st in self.statements]
            + [s for j in self.joint_statements for s in j.sources.all()]
        ))
        self.caveats = [c for caveats in self.caveats_by_fact.values() for c in caveats]
        self.facts = {fact: {"sources": self.sources_by_fact.get(fact, []), "caveats": self.caveats_by_fact.get(fact, [])}
                      for fact in Fact.values}

        self.members = self._members(meeting)
        self.statements_by_state = defaultdict(list)
        for statement in self.statements:
            if statement.state_id:
                self.statements_by_state[statement.state_id].append(statement)
        for row in self.members:
            row.statements = self.statements_by_state.get(row.state.pk, [])
        if self.vote:
            self._vote(meeting)

    @staticmethod
    def _one(meeting, name, model):
        try:
            return getattr(meeting, name)
        except model.DoesNotExist:
            return None

    def _members(self, meeting):
        requested = {s.pk for s in self.requesters}
        ballots = {b.state_id: b for b in meeting.ballots.all()}
        rows = []
        for term in CouncilTerm.objects.for_composition(meeting.date):
            ballot = ballots.get(term.state_id)
            rows.append(MemberRow(
                state=term.state,
                seat=term.seat,
                seat_label=term.get_seat_display(),
                group_label=RegionalGroup(term.state.group).label,
                position=ballot.position if ballot else None,
                position_label=ballot.get_position_display() if ballot else "No ballot recorded",
                requested=term.state_id in requested,
            ))
        return rows

    def _vote(self, meeting):
        self.tally = dict.fromkeys(Position.values, 0)
        for ballot in meeting.ballots.all():
            self.tally[ballot.position] += 1
        in_favour = self.tally[Position.IN_FAVOUR]
        self.adopted = in_favour >= VOTES_NEEDED
        self.margin_words = margin_words(in_favour)
        self.tally_text = tally_text(self.tally)
        self.announced_disagreements = [
            f"{Position(p).label}: {n} announced, {self.tally[p]} recorded"
            for p, n in self.vote.announced.items() if n != self.tally[p]
        ]
        ordered = sorted(
            (row for row in self.members if row.position),
            key=lambda row: (CELL_ORDER.index(row.position), row.seat != Seat.PERMANENT, row.state.short_name),
        )
        self.cells = [
            Cell(row.state, row.position, row.position_label, n, threshold=(n == VOTES_NEEDED))
            for n, row in enumerate(ordered, start=1)
        ]
        self.council_size = COUNCIL_SIZE
        self.votes_needed = VOTES_NEEDED
        self.positions = [(p, label, self.tally[p]) for p, label in Position.choices]
        self.breakdowns = [
            ("Seat", self._breakdown(lambda row: row.seat_label)),
            ("Regional group", self._breakdown(lambda row: row.group_label)),
            ("Request", self._breakdown(lambda row: "Signed the request" if row.requested else "Did not sign")),
        ]

    def _breakdown(self, key):
        groups = defaultdict(lambda: dict.fromkeys(Position.values, 0))
        for row in self.members:
            if row.position:
                groups[key(row)][row.position] += 1
        return [(name, [counts[p] for p in Position.values], sum(counts.values())) for name, counts in sorted(groups.items())]
