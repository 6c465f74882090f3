"""Read the text of a Security Council verbatim record into a `Record`.

The text is what a PDF extractor gives: the cover page (President, members), then the
meeting, with page headers, footers and document numbers scattered through it and the
two columns of a page sometimes interleaved. The reader drops that noise, reads the
cover page, the vote (if any) and every turn at the floor, and reports any state name it
does not know instead of guessing.
"""

import dataclasses
import datetime
import re

from meetings.verbatim import names

TITLES = r"(?:Mr|Ms|Mrs|Miss|Mme|Dr|Sir|Dame|Lord|Lady|Baroness|Archbishop|Monsignor|Cardinal|Prince|Princess|Sheikh|Sheikha|Judge|Justice|Rev|Nana)\.?"
MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), start=1)}
WORD_NUMBERS = {"none": 0, "no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15}

SYMBOL_LINE = re.compile(r"^S/PV\.\s?(\d+)(?:\s*\((Resumption(?:\s*\d+)?)\))?$")
DOC_NUMBER = re.compile(r"^\d{2}-\d{5}")
GLUED_DOC_NUMBER = re.compile(r"[a-z,;](\d{2}-\d{5})(?:\d{1,3}/\d{1,3})?$")
PAGE_OF = re.compile(r"^\d{1,3}/\d{1,3}$")
DATE_LINE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
BARCODE = re.compile(r"^\*\d+\*$")
# A turn at the floor opens with the speaker, an optional state, an optional language, and a colon.
OPENING = re.compile(
    r"^(?P<who>The (?:Deputy )?Secretary-General|The President|(?P<title>" + TITLES + r")\s+"
    r"(?P<name>[^\s(),:;“”\"0-9][^(),:;“”\"0-9]{0,60}?))"
    r"\s*(?:\((?!spoke in)(?P<state>[^()]*(?:\([^()]*\)[^()]*)?)\))?"
    r"\s*(?:\(spoke in (?P<language>[A-Z][a-z]+)\))?\s*:\s*(?P<rest>.*)$",
    re.S,
)
# "I shall now make a statement in my (national) capacity [as the representative of Chad]."
NATIONAL_CAPACITY = re.compile(r"(?:statement|speak)\s+in\s+my\s+(?:national\s+)?capacity(?!\s+as\s+(?:the\s+)?President)", re.I)
VOTE_START = re.compile(r"^A (?:recorded )?vote was taken by (?:a )?show of hands", re.I)
LIST_HEADINGS = {
    "in favour": "in_favour", "against": "against", "abstaining": "abstaining", "abstention": "abstaining",
    "abstentions": "abstaining", "not participating": "not_participating", "not participating in the vote": "not_participating",
}
LIST_HEADING = re.compile(r"^(In favour|Against|Abstaining|Abstentions?|Not participating(?: in the vote)?)\s*:\s*(.*)$", re.I)
TALLY = re.compile(
    r"(?P<f>\d+|[a-z]+) votes? in favour,\s*(?P<a>\d+|[a-z]+)(?: votes?)? against,? and\s*(?P<x>\d+|[a-z]+) (?:abstentions?|abstaining)",
    re.I,
)


class NotAVerbatimRecord(ValueError):
    """The text is not a verbatim record of the Security Council."""


@dataclasses.dataclass
class Vote:
    in_favour: list
    against: list
    abstaining: list
    not_participating: list
    adopted: bool
    announced: dict

    def position_of(self, iso3):
        for position in ("in_favour", "against", "abstaining", "not_participating"):
            if iso3 in getattr(self, position):
                return position
        return None


@dataclasses.dataclass
class Speaker:
    order: int
    name: str
    state: str | None
    capacity: str | None
    language: str | None
    page: int | None = None
    before_vote: bool | None = None


@dataclasses.dataclass
class Record:
    symbol: str
    meeting_number: int
    date: datetime.date
    president: dict
    members: list
    vote: Vote | None
    speakers: list
    resumption: str | None = None
    problems: list = dataclasses.field(default_factory=list)

    def as_json(self):
        """The structure documented in docs/verbatim.md (and its JSON Schema)."""
        return {
            "symbol": self.symbol,
            "meeting_number": self.meeting_number,
            "date": self.date.isoformat(),
            "president": dict(self.president),
            "members": list(self.members),
            "vote": None if self.vote is None else {
                "in_favour": self.vote.in_favour, "against": self.vote.against,
                "abstaining": self.vote.abstaining, "not_participating": self.vote.not_participating,
                "adopted": self.vote.adopted, "announced": dict(self.vote.announced),
            },
            "speakers": [
                {"order": s.order, "name": s.name, "state": s.state, "capacity": s.capacity, "language": s.language}
                for s in self.speakers
            ],
        }


def _lines(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return [line.strip() for line in text.split("\n")]


def _number(word):
    word = word.lower()
    return int(word) if word.isdigit() else WORD_NUMBERS.get(word)


def _strip_leaders(line):
    """A cover-page line without its dot leaders: "Chile . . . . . ." -> "Chile"."""
    return re.split(r"\s*(?:\.\s*){3,}", line)[0].strip()


def read_text(text):
    """Read a verbatim record's text; raise NotAVerbatimRecord if it is not one of the Security Council."""
    if not text or not text.strip():
        raise NotAVerbatimRecord("The file is empty.")
    lines = _lines(text)
    head = "\n".join(lines[:60])
    if re.search(r"^A/(?:ES-)?\d+/PV\.\d+", head, re.M) or ("General Assembly" in head and "Security Council" not in head):
        raise NotAVerbatimRecord("This is a record of the General Assembly, not of the Security Council.")
    symbol_match = next((SYMBOL_LINE.match(line) for line in lines[:40] if SYMBOL_LINE.match(line)), None)
    number_match = re.search(r"^(\d+)\s?(?:st|nd|rd|th) meeting", head, re.M)
    if not symbol_match or not number_match or "Security Council" not in head:
        raise NotAVerbatimRecord(
            "This is not a verbatim record of the Security Council: no S/PV symbol and meeting number on its cover page."
        )
    number = int(symbol_match.group(1))
    resumption = symbol_match.group(2)
    symbol = f"S/PV.{number}" + (f" ({resumption})" if resumption else "")
    date_match = re.search(r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})", head)
    if not date_match or date_match.group(2) not in MONTHS:
        raise NotAVerbatimRecord("The cover page gives no date of the meeting.")
    day = datetime.date(int(date_match.group(3)), MONTHS[date_match.group(2)], int(date_match.group(1)))
    problems = []

    cover_end = next((i for i, line in enumerate(lines) if re.match(r"^(?:Provisional )?[Aa]genda\b", line)), None)
    if cover_end is None:
        raise NotAVerbatimRecord("The cover page has no agenda.")
    president, members = _read_cover(lines[:cover_end], problems)

    body_start = next((i for i, line in enumerate(lines)
                       if re.match(r"^The meeting (?:was called to order|resumed|was resumed)", line)), None)
    if body_start is None:
        raise NotAVerbatimRecord("The record does not say when the meeting was called to order or resumed.")
    running_titles = _running_titles(lines, body_start)
    body, pages = _clean_body(lines, cover_end, body_start, running_titles)

    vote, vote_at = _read_vote(body, problems)
    speakers = _read_speakers(body, pages, vote_at, president, members, problems)
    return Record(symbol=symbol, meeting_number=number, date=day, president=president, members=members,
                  vote=vote, speakers=speakers, resumption=resumption, problems=problems)


def _read_cover(cover, problems):
    president_at = next((i for i, line in enumerate(cover) if line.startswith("President")), None)
    members_at = next((i for i, line in enumerate(cover) if line.startswith("Members")), None)
    if president_at is None or members_at is None:
        raise NotAVerbatimRecord("The cover page does not list the President and the members.")
    block = re.sub(r"(?:\s*\.){3,}", " ", " ".join(cover[president_at:members_at]))  # without dot leaders
    found = re.search(r"President\s*:?\s*(" + TITLES + r"\s+[^()]+?)\s*\(([^()]*(?:\([^()]*\))?[^()]*)\)", block)
    if not found:
        raise NotAVerbatimRecord("The cover page does not name the President and the President's state.")
    president_state = names.code_for(found.group(2))
    if president_state is None:
        problems.append(f"Unknown state name on the cover page: “{found.group(2)}”.")
    president = {"name": re.sub(r"\s+", " ", found.group(1)).strip(), "state": president_state}

    members, pending = [], ""
    for line in cover[members_at:]:
        line = re.sub(r"^Members\s*:?\s*", "", line)
        if not line:
            continue
        if re.match(TITLES + r"\s", line) and not pending:
            break  # the representatives' names follow the list of states
        has_leaders = bool(re.search(r"(?:\.\s*){3,}", line))
        name = (pending + " " + _strip_leaders(line)).strip()
        if not has_leaders and not line.endswith(")") and names.code_for(name) is None:
            pending = name  # a name wrapped onto the next line
            continue
        pending = ""
        code = names.code_for(name)
        if code is None:
            problems.append(f"Unknown state name among the members: “{name}”.")
        elif code not in members:
            members.append(code)
    if pending:
        problems.append(f"Unknown state name among the members: “{pending}”.")
    all_members = sorted(set(members) | ({president_state} if president_state else set()))
    return president, all_members


def _running_titles(lines, body_start):
    """The page header under the symbol (the agenda item's title), repeated on every page."""
    for i in range(body_start - 1, max(body_start - 8, 0), -1):
        if SYMBOL_LINE.match(lines[i]):
            title = next((line for line in lines[i + 1:body_start] if line), None)
            return {title} if title and not title.startswith("The meeting") else set()
    return set()


def _clean_body(lines, cover_end, body_start, running_titles):
    """Body lines without headers, footers and document numbers, each with the page it is on.

    Pages are counted from what each layout prints once per page: since about 2010 the
    footer's document number ("14-71508", or "14-715083/21" run into the page number);
    before that, the symbol at the top of every page, the footers being bare numbers
    printed after either column. A PDF's own page breaks (form feeds) win over both.
    """
    uses_form_feeds = any("\f" in line for line in lines)
    old_layout = not any(PAGE_OF.match(line) for line in lines)
    if uses_form_feeds:
        page = 1 + sum(line.count("\f") for line in lines[:body_start])
    elif old_layout:
        page = 1 + sum(1 for line in lines[cover_end:body_start] if SYMBOL_LINE.match(line))
    else:
        page = 1 + sum(1 for line in lines[:body_start] if DOC_NUMBER.match(line))
    body, pages = [], []
    for line in lines[body_start:]:
        if "\f" in line:
            page += line.count("\f")
            line = line.replace("\f", "").strip()
        if not line:
            continue
        if DOC_NUMBER.match(line):
            if not uses_form_feeds and not old_layout:
                page += 1
            continue
        if SYMBOL_LINE.match(line):
            if not uses_form_feeds and old_layout:
                page += 1
            continue
        glued = GLUED_DOC_NUMBER.search(line)
        if glued:
            # The footer's document number run into the last line of a page: "and ballistic17-43606".
            line = line[: glued.start(1)]
            body.append(line)
            pages.append(page)
            if not uses_form_feeds and not old_layout:
                page += 1
            continue
        if PAGE_OF.match(line) or DATE_LINE.match(line) or BARCODE.match(line) or re.fullmatch(r"\d{1,3}", line):
            continue
        if line in running_titles:
            continue
        body.append(line)
        pages.append(page)
    return body, pages


def _read_vote(body, problems):
    """The first vote by show of hands: its lists, the announced tally, the outcome.

    The lists are looked for in the lines after "A vote was taken", not only right after
    it: on two-column pages the extractor can put the President's announcement, or the
    first speech after the vote, before the lists. A list runs for as long as its lines
    read as state names (a name may wrap over up to three lines).
    """
    start = next((i for i, line in enumerate(body) if VOTE_START.match(line)), None)
    if start is None:
        return None, None
    window = body[start + 1:start + 80]
    found = {}
    i = 0
    while i < len(window):
        heading = LIST_HEADING.match(window[i])
        if not heading:
            i += 1
            continue
        position = LIST_HEADINGS[heading.group(1).lower()]
        if position in found:
            break  # a second vote
        pieces = [heading.group(2)] if heading.group(2).strip() else []
        i += 1
        candidates = []
        while i + len(candidates) < len(window) and len(candidates) < 12:
            line = window[i + len(candidates)]
            if LIST_HEADING.match(line) or line.startswith("The President") or _opening_at(window, i + len(candidates)):
                break
            candidates.append(line)
        if candidates and candidates[0].strip(" .").lower() == "none":
            taken = 1
        else:
            # The longest run of lines that reads as state names; the rest is someone's speech.
            taken = next((n for n in range(len(candidates), 0, -1) if _all_states(pieces + candidates[:n])), 0)
            pieces += candidates[:taken]
        i += taken
        found[position] = pieces
    result = {}
    for position in ("in_favour", "against", "abstaining", "not_participating"):
        codes, unknown = names.split_list(" ".join(found.get(position, [])))
        for name in unknown:
            problems.append(f"Unknown state name in the vote ({position.replace('_', ' ')}): “{name}”.")
        result[position] = sorted(set(codes))
    after = re.sub(r"\s+", " ", " ".join(window))
    tally = TALLY.search(_president_text(window)) or TALLY.search(after)
    counts = {"in_favour": len(result["in_favour"]), "against": len(result["against"]),
              "abstaining": len(result["abstaining"])}
    numbers = tally and [_number(tally.group(g)) for g in ("f", "a", "x")]
    if numbers and None not in numbers:
        announced = dict(zip(("in_favour", "against", "abstaining"), numbers))
    else:
        announced = counts  # The President gave the result without all three numbers; the lists are the count.
    outcome = re.search(r"\b(has not been adopted|not adopted|failed to obtain|has been adopted|is adopted|was adopted)", after)
    if outcome:
        adopted = "not" not in outcome.group(1) and "failed" not in outcome.group(1)
    else:
        adopted = announced["in_favour"] >= 9
    return Vote(adopted=adopted, announced=announced, **result), start


def _president_text(lines):
    """What the President says in these lines (the announcement of a vote's result)."""
    said, speaking = [], False
    for i, line in enumerate(lines):
        if line.startswith("The President"):
            speaking = True
        elif _opening_at(lines, i):
            speaking = False
        if speaking:
            said.append(line)
    return re.sub(r"\s+", " ", " ".join(said))


def _all_states(lines):
    """Whether these lines read, joined, as a list of known state names and nothing else."""
    codes, unknown = names.split_list(" ".join(lines))
    return bool(codes) and not unknown


def _opening_at(body, i):
    """The turn that opens at line i, joining up to two more lines for a speaker line that wraps."""
    first = body[i]
    if not (first.startswith("The President") or first.startswith("The Secretary-General")
            or first.startswith("The Deputy Secretary-General") or re.match(TITLES + r"\s", first)):
        return None
    joined = first
    for extra in range(0, 3):
        if extra:
            if i + extra >= len(body):
                break
            joined = joined + " " + body[i + extra]
        match = OPENING.match(joined)
        if match and (match.group("who").startswith("The ") or len(match.group("name").split()) <= 6):
            head = joined[: match.start("rest")]
            if "(" in head and ")" not in head.split("(")[-1]:
                continue
            return match
        if ":" in joined:
            return None
    return None


def _read_speakers(body, pages, vote_at, president, members, problems):
    openings = [(i, m) for i in range(len(body)) if (m := _opening_at(body, i))]
    speakers = []
    for n, (i, match) in enumerate(openings):
        who, language = match.group("who"), match.group("language")
        if who == "The President":
            # A procedural turn, unless the President speaks for their own country.
            until = openings[n + 1][0] if n + 1 < len(openings) else len(body)
            turn = re.sub(r"\s+", " ", " ".join(body[i:min(until, i + 12)]))
            if NATIONAL_CAPACITY.search(turn):
                _add(speakers, president["name"], president["state"], "president", language, pages[i], vote_at, i)
            continue
        if who.startswith("The "):
            _add(speakers, who, None, "briefer", language, pages[i], vote_at, i)
            continue
        name = match.group("title") + " " + re.sub(r"\s+", " ", match.group("name")).strip()
        state_name = match.group("state")
        if state_name is None:
            _add(speakers, name, None, "briefer", language, pages[i], vote_at, i)
            continue
        state_name = re.sub(r"\s+", " ", state_name)
        code = names.code_for(state_name)
        if code is None:
            problems.append(f"Unknown state name for {name}: “{state_name}”.")
            _add(speakers, name, None, None, language, pages[i], vote_at, i)
            continue
        _add(speakers, name, code, "member" if code in members else "non_member", language, pages[i], vote_at, i)
    return speakers


def _add(speakers, name, state, capacity, language, page, vote_at, line_at):
    before = None if vote_at is None else line_at < vote_at
    speakers.append(Speaker(order=len(speakers) + 1, name=name, state=state, capacity=capacity,
                            language=language, page=page, before_vote=before))
