"""Data prepared for the templates, so that they only loop and print."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse

from council.models import FAR_FUTURE, CouncilTerm, RegionalGroup, Seat
from meetings.models import (
    COUNCIL_SIZE,
    VOTES_NEEDED,
    Capacity,
    Fact,
    Format,
    Position,
    ProceduralVote,
    Request,
    SourceKind,
)

OUTCOME_WITHOUT_VOTE = {
    Format.PUBLIC: "Held without a vote on the agenda",
    Format.CLOSED: "Discussed in private; no public record",
    Format.INFORMAL: "Informal meeting, not a meeting of the Council",
    Format.NOT_HELD: "Not held",
}
# Order of the threshold cells: the votes that count towards the nine first.
CELL_ORDER = [Position.IN_FAVOUR, Position.ABSTAINING, Position.AGAINST, Position.NOT_PARTICIPATING]


# SourceKind.values is rebuilt on every access, and this runs for every citation.
SOURCE_KIND_RANK = {kind: rank for rank, kind in enumerate(SourceKind.values)}


def source_rank(source):
    """UN records first (verbatim record, press release, documents), then the rest."""
    return (SOURCE_KIND_RANK[source.kind], source.label)


def words(n, one, many=None):
    return one if n == 1 else (many or one + "s")


def plural(n, one, many=None):
    return f"{n} {words(n, one, many)}"


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
    joined: bool = False
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
        self.coverage = self._coverage(meeting)

    def _coverage(self, meeting):
        """Statements known against the members expected to speak (public meetings only)."""
        if meeting.format != Format.PUBLIC:
            return None
        spoke = [row for row in self.members if row.statements]
        return {
            "members": len(spoke),
            "expected": len(self.members),
            "missing": [row.state for row in self.members if not row.statements],
            "briefers": sum(1 for s in self.statements if s.capacity == Capacity.BRIEFER),
            "non_members": sorted({s.state.short_name for s in self.statements if s.capacity == Capacity.NON_MEMBER}),
            "dprk": meeting.dprk_took_part,
        }

    @staticmethod
    def _one(meeting, name, model):
        try:
            return getattr(meeting, name)
        except model.DoesNotExist:
            return None

    def _members(self, meeting):
        requested = {s.pk for s in self.requesters}
        joined = {s.pk for j in self.joint_statements for s in j.states.all()}
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
                joined=term.state_id in joined,
            ))
        return rows

    def _vote(self, meeting):
        self.tally = self.vote.tally()
        self.adopted = self.vote.adopted
        self.margin_words = margin_words(self.tally[Position.IN_FAVOUR])
        self.tally_text = tally_text(self.tally)
        self.announced_disagreements = self.vote.disagreements()
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


# -- The overview ---------------------------------------------------------------------

YEAR_WITHOUT_EVENT = "Nothing in the record: no meeting, request or closed discussion on the item was found for this year."


@dataclass
class Year:
    year: int
    rows: list

    @property
    def status(self):
        formats = {row.format for row in self.rows}
        for fmt, label in [(Format.PUBLIC, "Public meeting"), (Format.CLOSED, "Closed discussion"),
                           (Format.INFORMAL, "Informal meeting"), (Format.NOT_HELD, "Request failed")]:
            if fmt in formats:
                return fmt, label
        return "none", "No meeting"


class VoteChart:
    """A bar per procedural vote: its votes in favour against the nine needed, drawn as SVG."""

    width, height = 560, 260
    left, right, top, bottom = 44, 84, 16, 44

    def __init__(self, rows):
        self.bars = []
        plot_width = self.width - self.left - self.right
        self.plot_height = self.height - self.top - self.bottom
        step = plot_width / max(len(rows), 1)
        for i, row in enumerate(rows):
            value = row.in_favour
            height = self.plot_height * value / COUNCIL_SIZE
            x = self.left + i * step + step * 0.2
            self.bars.append({
                "row": row, "x": round(x, 1), "width": round(step * 0.6, 1),
                "y": round(self.top + self.plot_height - height, 1), "height": round(height, 1),
                "label_x": round(x + step * 0.3, 1), "label_y": round(self.top + self.plot_height - height - 6, 1),
                "year_y": self.height - self.bottom + 18,
            })
        self.threshold_y = round(self.top + self.plot_height * (1 - VOTES_NEEDED / COUNCIL_SIZE), 1)
        self.threshold_label_y = round(self.threshold_y + 4, 1)
        self.threshold_label_x = self.width - self.right + 6
        self.tick_x = self.left - 8
        self.axis_y = self.top + self.plot_height
        self.ticks = [{"value": v, "y": round(self.top + self.plot_height * (1 - v / COUNCIL_SIZE), 1)} for v in (0, 5, 10, 15)]
        self.plot_right = self.width - self.right


@dataclass
class VoteRow:
    date: object
    url: str
    symbol: str
    in_favour: int
    against: int
    abstaining: int

    @property
    def margin(self):
        return self.in_favour - VOTES_NEEDED

    @property
    def margin_words(self):
        if self.margin > 0:
            return f"{plural(self.margin, 'vote')} to spare"
        if self.margin == 0:
            return "no vote to spare"
        return f"{plural(-self.margin, 'vote')} short"


class Overview:
    def __init__(self, meetings, first_year, last_year):
        rows = [TimelineRow(m) for m in meetings]
        by_year = defaultdict(list)
        for row in rows:
            by_year[row.date.year].append(row)
        self.years = [Year(year, by_year.get(year, [])) for year in range(first_year, last_year + 1)]
        self.year_without_event = YEAR_WITHOUT_EVENT
        self.votes = [
            VoteRow(m.date, m.get_absolute_url(), m.symbol, m.tally_in_favour, m.tally_against, m.tally_abstaining)
            for m in meetings if m.tally_in_favour + m.tally_against + m.tally_abstaining + m.tally_not_participating
        ]
        self.chart = VoteChart(self.votes)
        formats = defaultdict(int)
        for row in rows:
            formats[row.format] += 1
        statements = sum(row.speaker_count for row in rows)
        self.figures = [
            (formats[Format.PUBLIC], words(formats[Format.PUBLIC], "public meeting"), f"{len(self.votes)} of them opened by a procedural vote"),
            (len(self.votes), words(len(self.votes), "procedural vote"), self._votes_words()),
            (formats[Format.CLOSED], words(formats[Format.CLOSED], "closed discussion"), "no public record"),
            (formats[Format.NOT_HELD], words(formats[Format.NOT_HELD], "request not held", "requests not held"), "sought, but never became meetings"),
            (statements, words(statements, "statement in the record", "statements in the record"), "each with its source"),
        ]
        self.votes_needed = VOTES_NEEDED
        self.council_size = COUNCIL_SIZE

    def _votes_words(self):
        if not self.votes:
            return "none yet"
        adopted = sum(v.margin >= 0 for v in self.votes)
        closest = min(v.in_favour for v in self.votes)
        outcome = "all adopted" if adopted == len(self.votes) else f"{adopted} adopted"
        return f"{outcome}; the closest had {closest} in favour, where {VOTES_NEEDED} were needed"


# -- The vote matrix ------------------------------------------------------------------


POSITION_LABELS = dict(Position.choices)
MARKS = {Position.IN_FAVOUR: "✓", Position.AGAINST: "✗", Position.ABSTAINING: "–", "no_vote": "·"}


@dataclass
class MatrixCell:
    key: str
    label: str
    url: str | None = None

    @property
    def mark(self):
        """A symbol beside the colour, so that no position is told by colour alone."""
        return MARKS.get(self.key, "")


class VoteMatrix:
    """States by year: each cell a position, 'not on the Council' or 'no vote held'."""

    def __init__(self, countries, meetings, years, sort):
        self.columns = []
        votes_by_year = defaultdict(list)
        for meeting in meetings:
            votes_by_year[meeting.date.year].append(meeting)
        for year in years:
            for meeting in votes_by_year.get(year) or [None]:
                self.columns.append((year, meeting))
        self.rows = []
        # Once per column, not once per cell: reverse() and the choices lookup add up over ~1,000 cells.
        event_urls = {meeting.pk: meeting.get_absolute_url() for _, meeting in self.columns if meeting}
        for country in countries:
            terms = list(country.terms.all())
            ballots = {b.meeting_id: b for b in country.ballot_list}
            cells, counts = [], dict.fromkeys(Position.values, 0)
            for year, meeting in self.columns:
                if meeting is None:
                    on_council = any(t.start.year <= year <= (t.end or FAR_FUTURE).year for t in terms)
                    cells.append(MatrixCell("no_vote", "No vote held") if on_council else MatrixCell("off", "Not on the Council"))
                    continue
                ballot = ballots.get(meeting.pk)
                if ballot:
                    counts[ballot.position] += 1
                    cells.append(MatrixCell(ballot.position, POSITION_LABELS[ballot.position],
                                            f"{event_urls[meeting.pk]}#member-{country.iso3.lower()}"))
                elif any(t.covers(meeting.date) for t in terms):
                    cells.append(MatrixCell("unknown", "No ballot recorded"))
                else:
                    cells.append(MatrixCell("off", "Not on the Council"))
            seat = Seat.PERMANENT if any(t.seat == Seat.PERMANENT for t in terms) else Seat.ELECTED
            self.rows.append({"country": country, "cells": cells, "counts": counts, "seat": seat,
                              "url": reverse("meetings:country", kwargs={"iso3": country.iso3.lower()}),
                              "seat_label": Seat(seat).label, "group_label": RegionalGroup(country.group).label})
        keys = {
            "name": lambda r: r["country"].short_name,
            "group": lambda r: (r["group_label"], r["country"].short_name),
            "in_favour": lambda r: (-r["counts"][Position.IN_FAVOUR], r["country"].short_name),
            "against": lambda r: (-r["counts"][Position.AGAINST], r["country"].short_name),
            "abstaining": lambda r: (-r["counts"][Position.ABSTAINING], r["country"].short_name),
        }
        self.rows.sort(key=keys[sort or "name"])


# -- Countries ------------------------------------------------------------------------


def terms_text(terms):
    parts = []
    for term in terms:
        if term.seat == Seat.PERMANENT:
            parts.append("Permanent member")
        elif term.start.year == term.end.year:
            parts.append(f"{term.start.year}")
        else:
            parts.append(f"{term.start.year}–{term.end.year}")
    return ", ".join(parts) or "Never on the Council"


class CountryRow:
    def __init__(self, country):
        self.country = country
        self.url = reverse("meetings:country", kwargs={"iso3": country.iso3.lower()})
        self.group_label = RegionalGroup(country.group).label
        self.terms = terms_text(country.terms.all())
        self.in_favour = country.in_favour_count
        self.against = country.against_count
        self.abstaining = country.abstaining_count
        self.ballots = country.ballot_count
        self.statements = country.statement_count
        self.requests = country.request_count
        self.joint = country.joint_count


@dataclass
class CountryBallot:
    ballot: object
    meeting: object
    statements: list


class CountryPage:
    def __init__(self, country):
        self.country = country
        self.group_label = RegionalGroup(country.group).label
        self.terms = list(country.terms.all())
        self.terms_text = terms_text(self.terms)
        self.statements = list(country.statements.all())
        by_meeting = defaultdict(list)
        for statement in self.statements:
            by_meeting[statement.meeting_id].append(statement)
        self.ballots = [CountryBallot(b, b.meeting, by_meeting.get(b.meeting_id, [])) for b in country.ballots.all()]
        self.requests = list(country.requests.all())
        self.joint_statements = list(country.joint_statements.all())
        self.presidencies = list(country.presidencies.all())
        self.tally = dict.fromkeys(Position.values, 0)
        for row in self.ballots:
            self.tally[row.ballot.position] += 1
