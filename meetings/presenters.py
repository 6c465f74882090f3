"""Data prepared for the templates, so that they only loop and print."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from html import escape

from django.urls import get_script_prefix, reverse
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from council.models import FAR_FUTURE, CouncilTerm, RegionalGroup, Seat, name_in_sentence
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

# Enum .values, .choices and .label are rebuilt on every access; these are read per state and per cell.
POSITION_LABELS = dict(Position.choices)
POSITIONS = tuple(POSITION_LABELS)
SEAT_LABELS = dict(Seat.choices)
GROUP_LABELS = dict(RegionalGroup.choices)


@cache
def _country_url_pattern(script_prefix):
    return reverse("meetings:country", kwargs={"iso3": "zzz"}).replace("/zzz/", "/{}/")


def country_url(iso3):
    """The address of a state's page: reversed once per script prefix, since the matrix and the
    countries list each need one for ~100 rows."""
    return _country_url_pattern(get_script_prefix()).format(iso3.lower())


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


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen"]


def number_words(n):
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def outcome_line(tally):
    """The vote in one line: "Agenda adopted, 12–2–1: three votes to spare"."""
    margin = tally[Position.IN_FAVOUR] - VOTES_NEEDED
    verdict = "Agenda adopted" if margin >= 0 else "Agenda rejected"
    if margin >= 0:
        spare = f"{number_words(margin)} {words(margin, 'vote')} to spare"
    else:
        spare = f"{number_words(-margin)} {words(-margin, 'vote')} short of the {number_words(VOTES_NEEDED)} needed"
    return f"{verdict}, {tally_text(tally)}: {spare}"


def vote_in_words(tally):
    """The vote as a sentence a screen reader reads out (share-card alt text, chart descriptions)."""
    parts = [f"{tally[Position.IN_FAVOUR]} in favour", f"{tally[Position.AGAINST]} against",
             f"{tally[Position.ABSTAINING]} abstaining"]
    if tally[Position.NOT_PARTICIPATING]:
        parts.append(f"{tally[Position.NOT_PARTICIPATING]} not participating")
    return f"{', '.join(parts[:-1])} and {parts[-1]}; {VOTES_NEEDED} votes in favour were needed."


# A source's kind as one short word beside it in a list of sources.
SOURCE_KIND_WORDS = {
    SourceKind.VERBATIM_RECORD: "Verbatim",
    SourceKind.PRESS_RELEASE: "Release",
    SourceKind.UN_DOCUMENT: "Document",
    SourceKind.UN_NEWS: "UN News",
    SourceKind.RESEARCH: "Research",
    SourceKind.GOVERNMENT: "Government",
    SourceKind.NEWS: "News",
}


@dataclass
class SourceItem:
    """One source as a list of sources shows it: the kind in a word, the label, the title where it adds."""

    url: str
    label: str
    title: str
    kind: str
    kind_word: str

    @classmethod
    def of(cls, source):
        return cls(url=source.url, label=source.label, title=source.title if source.symbol else "",
                   kind=source.kind, kind_word=SOURCE_KIND_WORDS.get(source.kind, source.get_kind_display()))


def source_items(sources):
    """Sources for one fact, UN records first, each once."""
    unique = {source.pk: source for source in sorted(sources, key=source_rank)}
    return [SourceItem.of(source) for source in unique.values()]


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
        tally = {p: getattr(meeting, f"tally_{p}") for p in POSITIONS}
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


def join_words(names):
    """"A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass
class FactView:
    """A fact of the event with its sources (behind a marker) and its doubts (always shown)."""

    sources: list
    caveats: list


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
        self.joint_statements = [JointView.of(joint) for joint in meeting.joint_statements.all()]

        sources_by_fact = defaultdict(list)
        for citation in meeting.citations.all():
            sources_by_fact[citation.fact].append(citation.source)
        caveats_by_fact = defaultdict(list)
        for caveat in meeting.caveats.all():
            caveats_by_fact[caveat.fact].append(caveat)
        self.facts = {fact: FactView(source_items(sources_by_fact.get(fact, [])), caveats_by_fact.get(fact, []))
                      for fact in Fact.values}
        self.sources = source_items(
            [s for sources in sources_by_fact.values() for s in sources]
            + [st.source for st in self.statements]
            + [s for j in meeting.joint_statements.all() for s in j.sources.all()]
        )

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
        self.request_text = self._request_text()
        self.president_text = (f"{capfirst(name_in_sentence(self.president_iso3, self.president))} held the presidency that month."
                               if self.president else "Not in the record.")
        self.shows_statements = bool(self.statements) or meeting.format == Format.PUBLIC
        # Each doubt is printed once, beside its fact; a doubt about a fact the page does not
        # show (a vote on an event without one) goes with the record's details.
        shown = {Fact.DATE, Fact.FORMAT, Fact.MEETING, Fact.REQUEST, Fact.SUMMARY, Fact.PRESIDENT, Fact.STATEMENTS}
        if self.vote or meeting.format == Format.PUBLIC or self.facts[Fact.VOTE].caveats:
            shown.add(Fact.VOTE)
        if self.joint_statements:
            shown.add(Fact.JOINT_STATEMENTS)
        self.other_caveats = [c for fact in Fact.values if fact not in shown for c in self.facts[fact].caveats]

    def _request_text(self):
        request = self.request
        if request is None:
            return "No request is in the record."
        text = f"Letter {request.symbol}" if request.symbol else "A request (no published letter)"
        if request.date:
            text += f" of {date_format(request.date, 'j F Y')}"
        if self.requesters:
            names = join_words(state.sentence_name for state in self.requesters)
            return f"{text}, from {plural(len(self.requesters), 'state')}: {names}."
        return f"{text}; who asked is not in the record."

    def _coverage(self, meeting):
        """Statements known against the members expected to speak (public meetings only)."""
        if meeting.format != Format.PUBLIC:
            return None
        spoke = [row for row in self.members if row.statements]
        missing = [row.state.sentence_name for row in self.members if not row.statements]
        briefers = sum(1 for s in self.statements if s.capacity == Capacity.BRIEFER)
        non_members = sorted({s.state.sentence_name for s in self.statements if s.capacity == Capacity.NON_MEMBER},
                             key=lambda name: name.removeprefix("the "))
        text = f"Statements by {len(spoke)} of the {len(self.members)} members"
        if missing:
            text += f"; none recorded for {join_words(missing)}"
        text += f". {plural(briefers, 'briefer')}"
        if non_members:
            text += f"; invited {words(len(non_members), 'non-member')}: {join_words(non_members)}"
        text += "."
        if meeting.dprk_took_part is True:
            text += " The DPRK took part."
        elif meeting.dprk_took_part is False:
            text += " The DPRK did not take part: it was not invited to the table."
        else:
            text += " Whether the DPRK took part is not in the sources found."
        return text

    @staticmethod
    def _one(meeting, name, model):
        try:
            return getattr(meeting, name)
        except model.DoesNotExist:
            return None

    def _members(self, meeting):
        requested = {s.pk for s in self.requesters}
        joined = {s.pk for j in meeting.joint_statements.all() for s in j.states.all()}
        ballots = {b.state_id: b for b in meeting.ballots.all()}
        rows = []
        for term in CouncilTerm.objects.for_composition(meeting.date):
            ballot = ballots.get(term.state_id)
            rows.append(MemberRow(
                state=term.state,
                seat=term.seat,
                seat_label=term.get_seat_display(),
                group_label=GROUP_LABELS[term.state.group],
                position=ballot.position if ballot else None,
                position_label=ballot.get_position_display() if ballot else "No ballot recorded",
                requested=term.state_id in requested,
                joined=term.state_id in joined,
            ))
        return rows

    def _vote(self, meeting):
        self.tally = self.vote.tally()
        self.adopted = self.vote.adopted
        self.outcome = outcome_line(self.tally)
        self.vote_in_words = vote_in_words(self.tally)
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
        shown = [p for p in POSITIONS if self.tally[p]]
        self.positions = [(p, label, self.tally[p]) for p, label in POSITION_LABELS.items() if p in shown]
        self.breakdowns = [
            ("Seat", self._breakdown(lambda row: row.seat_label, shown)),
            ("Regional group", self._breakdown(lambda row: row.group_label, shown)),
            ("Request", self._breakdown(lambda row: "Signed the request" if row.requested else "Did not sign", shown)),
        ]

    def _breakdown(self, key, shown):
        groups = defaultdict(lambda: dict.fromkeys(POSITIONS, 0))
        for row in self.members:
            if row.position:
                groups[key(row)][row.position] += 1
        labels = POSITION_LABELS
        return [(name, [(labels[p], counts[p]) for p in shown], sum(counts.values()))
                for name, counts in sorted(groups.items())]


@dataclass
class JointView:
    """A joint statement: who read it for whom, in one sentence, with its sources."""

    reading: str
    summary: str
    sources: list

    @classmethod
    def of(cls, joint):
        states = join_words(state.sentence_name for state in joint.states.all())
        if joint.read_by:
            reader = joint.speaker or "the representative"
            reading = f"Read by {reader} of {joint.read_by.sentence_name} on behalf of {states}."
        else:
            reading = f"Issued on behalf of {states}."
        return cls(reading=reading, summary=joint.summary, sources=source_items(joint.sources.all()))


# -- The overview ---------------------------------------------------------------------

YEAR_WITHOUT_EVENT = "Nothing in the record: no meeting, request or closed discussion on the item was found for this year."


@dataclass
class Year:
    """A year of the overview: its first events, and every format it had and how many events."""

    year: int
    rows: list
    formats: set = field(default_factory=set)
    count: int = 0

    @property
    def status(self):
        for fmt, label in [(Format.PUBLIC, "Public meeting"), (Format.CLOSED, "Closed discussion"),
                           (Format.INFORMAL, "Informal meeting"), (Format.NOT_HELD, "Request failed")]:
            if fmt in self.formats:
                return fmt, label
        return "none", "No meeting"

    @property
    def more(self):
        """"All 100 events of 2016" once the year has more than are listed, else ""."""
        return f"All {self.count} events of {self.year}" if self.count > len(self.rows) else ""

    @property
    def more_url(self):
        return f"{reverse('meetings:timeline')}?year={self.year}"


class VoteChart:
    """A bar per procedural vote: its votes in favour against the nine needed, drawn as SVG."""

    def __init__(self, rows, name, width=560, height=260, left=44, right=84, top=16, bottom=44):
        """`name` tells two drawings of one chart apart (their ids); a narrow one for phones
        is drawn at the width it is shown, so that its 12 px text stays 12 px."""
        self.name = name
        self.width, self.height = width, height
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
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


def vote_rows(meetings):
    """VoteRow per meeting of Meeting.objects.latest_votes()."""
    return [VoteRow(m.date, m.get_absolute_url(), m.symbol, m.tally_in_favour, m.tally_against, m.tally_abstaining)
            for m in meetings]


# The overview lists a year's first events and the latest votes: every one of the shipped
# record's (at most two events a year, five votes), then links to the rest.
OVERVIEW_EVENTS_PER_YEAR = 4
OVERVIEW_VOTES = 10


class Overview:
    """The whole record in figures, year by year, and its latest procedural votes.

    `first_events` are the first events of each year (Meeting.objects.first_of_each_year()),
    `counts` (year, format, n) rows for every event, `in_favour` the votes in favour of every
    procedural vote, `statements` their number, and `votes` the latest votes (VoteRow).
    """

    def __init__(self, first_events, counts, in_favour, statements, votes, first_year, last_year):
        by_year = defaultdict(list)
        for meeting in first_events:
            by_year[meeting.date.year].append(TimelineRow(meeting))
        self.years = [Year(year, by_year.get(year, [])) for year in range(first_year, last_year + 1)]
        formats = defaultdict(int)
        for year, fmt, n in counts:
            if first_year <= year <= last_year:
                self.years[year - first_year].formats.add(fmt)
                self.years[year - first_year].count += n
            formats[fmt] += n
        self.year_without_event = YEAR_WITHOUT_EVENT
        self.votes = votes
        in_favour = list(in_favour)
        self.vote_count = len(in_favour)
        self.adopted = sum(n >= VOTES_NEEDED for n in in_favour)
        self.closest = min(in_favour, default=None)
        self.more_votes = (f"The {len(votes)} most recent of {self.vote_count} procedural votes."
                           if self.vote_count > len(votes) else "")
        # Drawn twice: for the half-width column of a desktop, and for a phone's full width.
        self.charts = [VoteChart(self.votes, "wide"), VoteChart(self.votes, "narrow", width=340, height=240, left=30, right=84)]
        self.figures = [
            (formats[Format.PUBLIC], words(formats[Format.PUBLIC], "public meeting"), f"{self.vote_count} of them opened by a procedural vote"),
            (self.vote_count, words(self.vote_count, "procedural vote"), self._votes_words()),
            (formats[Format.CLOSED], words(formats[Format.CLOSED], "closed discussion"), "no public record"),
            (formats[Format.NOT_HELD], words(formats[Format.NOT_HELD], "request not held", "requests not held"), "sought, but never became meetings"),
            (statements, words(statements, "statement in the record", "statements in the record"), "each with its source"),
        ]
        self.votes_needed = VOTES_NEEDED
        self.council_size = COUNCIL_SIZE

    def _votes_words(self):
        if not self.vote_count:
            return "none yet"
        outcome = "all adopted" if self.adopted == self.vote_count else f"{self.adopted} adopted"
        return f"{outcome}; the closest had {self.closest} in favour, where {VOTES_NEEDED} were needed"


# -- The vote matrix ------------------------------------------------------------------


def name_key(name):
    """A sort key that orders names as a reader expects: "Côte d'Ivoire" before "Croatia"."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def year_range_list(years):
    """[2018, 2019, 2020, 2025] -> ["2018–2020", "2025"]: each range is printed unbroken."""
    parts, run = [], []
    for year in sorted(years):
        if run and year != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(year)
    if run:
        parts.append(run)
    return [f"{r[0]}–{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in parts]


def counts_any(counts):
    return any(counts[p] for p in POSITIONS if p != Position.NOT_PARTICIPATING)


# A shape and a word beside the colour, so that no position is told by colour alone.
MARKS = {
    Position.IN_FAVOUR: "✓",
    Position.AGAINST: "✗",
    Position.ABSTAINING: "–",
    Position.NOT_PARTICIPATING: "∅",
    "unknown": "?",
    "off": "",
}



# Procedural votes shown as columns of the matrix: the whole record today (5), then the latest
# six with links to older ones. Seven columns already scroll sideways at 1280 px wide.
MATRIX_VOTES_PER_PAGE = 6


@dataclass
class MatrixCell:
    key: str
    label: str
    year: int
    url: str | None = None

    @property
    def mark(self):
        return MARKS[self.key]

    @property
    def html(self):
        """The cell as one table cell: the matrix has hundreds, and template nodes per cell add up."""
        # Python's own escape (as Django's, quotes included) without format_html's lazy wrapping.
        inner = (f'<span class="mark mark-{escape(self.key)}" aria-hidden="true">{escape(self.mark)}</span>'
                 f'<span class="cell-text">{escape(self.label)}</span>')
        if self.url:
            inner = f'<a href="{escape(self.url)}">{inner}</a>'
        return mark_safe(f'<td class="matrix-vote vote-{escape(self.key)}" data-label="{self.year}">{inner}</td>')


def matrix_row_html(row):
    """A member's row of the matrix as HTML: ~100 rows of ~20 template nodes each were a third of
    the page's render. Escaped as Django escapes (Python's html.escape, quotes included)."""
    years = ", ".join(f'<span class="nowrap">{escape(y)}</span>' for y in row["other_years"])
    phone = escape(row["votes_text"]) + (f"; {escape(row['also'])} {years}" if row["other_years"] else "")
    counts = row["counts"]
    totals = "".join(f'<td class="num matrix-total">{counts[p]}</td>'
                     for p in (Position.IN_FAVOUR, Position.AGAINST, Position.ABSTAINING))
    return mark_safe(
        f'<tr>\n        <th scope="row" class="matrix-state"><a href="{escape(row["url"])}">'
        f'{escape(row["country"].short_name)}</a>\n'
        f'          <span class="row-meta">{escape(row["seat_label"])} · {escape(row["group_label"])}</span>\n'
        f'          <span class="row-phone">{phone}.</span></th>\n'
        f'        {"".join(cell.html for cell in row["cells"])}\n'
        f'        {totals}\n'
        f'        <td class="matrix-other">{years or "—"}</td>\n'
        f'      </tr>'
    )


@dataclass
class VoteColumn:
    """One procedural vote, a column of the matrix, with the Council's tally."""

    meeting: object
    tally: dict

    @property
    def year(self):
        return self.meeting.date.year

    @property
    def tally_text(self):
        return tally_text(self.tally)

    @property
    def adopted(self):
        return self.tally[Position.IN_FAVOUR] >= VOTES_NEEDED

    @property
    def outcome(self):
        return "adopted" if self.adopted else "rejected"


class VoteMatrix:
    """Members by procedural vote: each cell a position, or a quiet mark for 'not on the Council'.

    The years a member sat on the Council without a vote are one short line
    ("2018–2023, 2025"), not a column of empty cells per year.
    """

    SORT_LABELS = {
        "name": "Sorted by name",
        "in_favour": "Sorted by votes in favour",
        "against": "Sorted by votes against",
        "abstaining": "Sorted by abstentions",
        "group": "Sorted by regional group",
    }

    def __init__(self, countries, meetings, years, sort, vote_years, vote_count, page=1, pages=1):
        """`meetings` are the votes shown as columns; `vote_years` and `vote_count` cover every vote."""
        self.votes = [VoteColumn(m, {p: getattr(m, f"tally_{p}") for p in POSITIONS}) for m in meetings]
        self.vote_count, self.page, self.pages, self.per_page = vote_count, page, pages, MATRIX_VOTES_PER_PAGE
        self.sort = sort or "name"
        self.sort_label = self.SORT_LABELS[self.sort]
        self.rows = []
        # Once per column, not once per cell: reverse() and the choices lookup add up over ~1,000 cells.
        event_urls = {vote.meeting.pk: vote.meeting.get_absolute_url() for vote in self.votes}
        for country in countries:
            terms = list(country.terms.all())
            ballots = {b.meeting_id: b for b in country.ballot_list}
            cells, counts = [], {p: getattr(country, f"total_{p}") for p in POSITIONS}
            for vote in self.votes:
                meeting = vote.meeting
                ballot = ballots.get(meeting.pk)
                if ballot:
                    cells.append(MatrixCell(ballot.position, POSITION_LABELS[ballot.position], vote.year,
                                            f"{event_urls[meeting.pk]}#member-{country.iso3.lower()}"))
                elif any(t.covers(meeting.date) for t in terms):
                    cells.append(MatrixCell("unknown", "No ballot recorded", vote.year))
                else:
                    cells.append(MatrixCell("off", "Not on the Council", vote.year))
            on_council = {y for y in years if any(t.start.year <= y <= (t.end or FAR_FUTURE).year for t in terms)}
            seat = Seat.PERMANENT if any(t.seat == Seat.PERMANENT for t in terms) else Seat.ELECTED
            other_years = year_range_list(on_council - vote_years)
            votes_text = self._votes_text(counts)
            row = {"country": country, "cells": cells, "counts": counts, "seat": seat,
                   "other_years": other_years, "votes_text": votes_text,
                   "also": "also on the Council in" if counts_any(counts) else "on the Council in",
                   "url": country_url(country.iso3),
                   "seat_label": SEAT_LABELS[seat], "group_label": GROUP_LABELS[country.group]}
            row["html"] = matrix_row_html(row)
            self.rows.append(row)
        name = lambda r: name_key(r["country"].short_name)  # noqa: E731
        keys = {
            "name": name,
            "group": lambda r: (r["group_label"], name(r)),
            "in_favour": lambda r: (-r["counts"][Position.IN_FAVOUR], name(r)),
            "against": lambda r: (-r["counts"][Position.AGAINST], name(r)),
            "abstaining": lambda r: (-r["counts"][Position.ABSTAINING], name(r)),
        }
        self.rows.sort(key=keys[self.sort])
        self.first_year, self.last_year = years[0], years[-1]

    @staticmethod
    def _votes_text(counts):
        """A member's totals in words, for screens too narrow for their columns."""
        votes = ", ".join(f"{counts[p]} {label.lower()}" for p, label in POSITION_LABELS.items()
                          if counts[p] and p != Position.NOT_PARTICIPATING)
        return votes[:1].upper() + votes[1:] if votes else "No vote while on the Council"

    @property
    def shown(self):
        """Which votes the columns are, once they are not all of them: "votes 11 to 20 of 500, newest first"."""
        if self.pages == 1:
            return ""
        first = (self.page - 1) * MATRIX_VOTES_PER_PAGE + 1
        return f"Votes {first} to {first + len(self.votes) - 1} of {self.vote_count}, newest first"

    @property
    def summary(self):
        """What the live region says after a filter or a sort: "69 states. Sorted by votes against"."""
        summary = f"{plural(len(self.rows), 'state')}. {self.sort_label}"
        return f"{summary}. {self.shown}" if self.shown else summary

    @property
    def title(self):
        return f"Votes: {plural(len(self.rows), 'state')}, {self.sort_label.lower()}"


# -- Countries ------------------------------------------------------------------------


def terms_parts(terms):
    """Each term as a short text ("2016–2017", "Permanent member"), printed unbroken."""
    parts = []
    for term in terms:
        if term.seat == Seat.PERMANENT:
            parts.append("Permanent member")
        elif term.start.year == term.end.year:
            parts.append(f"{term.start.year}")
        else:
            parts.append(f"{term.start.year}–{term.end.year}")
    return parts


class CountryRow:
    def __init__(self, country):
        self.country = country
        self.url = country_url(country.iso3)
        self.group_label = GROUP_LABELS[country.group]
        self.terms = terms_parts(country.terms.all())
        self.in_favour = country.in_favour_count
        self.against = country.against_count
        self.abstaining = country.abstaining_count
        self.ballots = country.ballot_count
        self.statements = country.statement_count
        self.requests = country.request_count
        self.joint = country.joint_count

    @property
    def html(self):
        """The state's row of /countries/ as HTML, written here as the matrix's rows are: a
        hundred rows of fourteen template nodes each were most of the page's render."""
        terms = ", ".join(f'<span class="nowrap">{escape(term)}</span>' for term in self.terms) or "Never on the Council"
        numbers = "".join(f'<td class="num" data-label="{label}">{value}</td>' for label, value in (
            ("In favour", self.in_favour), ("Against", self.against), ("Abstaining", self.abstaining),
            ("Statements", self.statements), ("Requests signed", self.requests), ("Joint statements", self.joint)))
        return mark_safe(f'<tr><th scope="row"><a href="{escape(self.url)}">{escape(self.country.short_name)}</a></th>'
                         f'<td data-label="Regional group">{escape(self.group_label)}</td>'
                         f'<td data-label="On the Council">{terms}</td>{numbers}</tr>')


@dataclass
class CountryBallot:
    ballot: object
    meeting: object
    statements: list


# Rows of each list on a country's page: every one of the shipped record's (at most 10), then
# the latest ten, with links to the rest (the filtered timeline and the downloads).
COUNTRY_LATEST = 10


@dataclass
class CountryList:
    """One list of a country's page: its latest rows, oldest first, and how many there are in all."""

    rows: list
    count: int
    noun: str

    @property
    def more(self):
        """"The 10 most recent of 500 ballots." when the list is cut, else ""."""
        if self.count <= len(self.rows):
            return ""
        return f"The {len(self.rows)} most recent of {self.count:,} {self.noun}."


class CountryPage:
    def __init__(self, country):
        self.country = country
        self.group_label = GROUP_LABELS[country.group]
        self.terms = list(country.terms.all())
        self.terms_parts = terms_parts(self.terms)
        self.statements = country.latest_statements[::-1]
        ballots = [CountryBallot(b, b.meeting, [s for s in b.meeting.statement_list if s.state_id == country.pk])
                   for b in country.latest_ballots[::-1]]
        self.ballots = CountryList(ballots, country.ballot_count, "ballots")
        self.statement_list = CountryList(self.statements, country.statement_count, "statements")
        self.requests = CountryList(country.latest_requests[::-1], country.request_count, "requests for an event")
        self.joint_statements = CountryList(country.latest_joint_statements[::-1], country.joint_count, "joint statements")
        self.presidencies = list(country.presidencies.all())
        self.tally = {Position.IN_FAVOUR: country.in_favour_count, Position.AGAINST: country.against_count,
                      Position.ABSTAINING: country.abstaining_count}
