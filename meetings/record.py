"""Reading and writing the record's JSON files (format: meetings/record/README.md).

`load()` checks every file completely before it writes anything, then writes everything
in one transaction: a bad file is refused with messages naming file, record and field,
and nothing of it is loaded. `dump()` writes the database back in the same format, so a
load of a dump gives the same database.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from council.models import CouncilTerm, Presidency, RegionalGroup, Seat, State, TermCaveat
from meetings.history import LOADER, recorded
from meetings.models import (
    Ballot,
    Capacity,
    Caveat,
    CaveatKind,
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
    verbatim_symbol,
)

RECORD_DIR = Path(__file__).resolve().parent / "record"


class RecordError(Exception):
    """The record files are invalid; `problems` lists every one found."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Checker:
    """Collects problems with a JSON document, each with the path to the bad field."""

    file: str
    problems: list = field(default_factory=list)

    def fail(self, where, message):
        self.problems.append(f"{self.file}: {where}: {message}")

    def get(self, obj, key, where, kinds, required=True, choices=None):
        if not isinstance(obj, dict):
            self.fail(where, "expected an object")
            return None
        if key not in obj:
            if required:
                self.fail(f"{where}.{key}", "missing")
            return None
        value = obj[key]
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "must not be null")
            return None
        if not isinstance(value, kinds) or isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
            self.fail(f"{where}.{key}", f"expected {describe(kinds)}, got {json.dumps(value)[:60]}")
            return None
        if choices is not None and value not in choices:
            self.fail(f"{where}.{key}", f"{value!r} is not one of {', '.join(choices)}")
            return None
        if isinstance(value, str) and required and not value.strip():
            self.fail(f"{where}.{key}", "must not be empty")
            return None
        return value

    def date(self, obj, key, where, required=True, month=False):
        text = self.get(obj, key, where, str, required)
        if text is None:
            return None
        try:
            if month:
                return datetime.date.fromisoformat(f"{text}-01") if len(text) == 7 else _bad()
            return datetime.date.fromisoformat(text) if len(text) == 10 else _bad()
        except ValueError:
            self.fail(f"{where}.{key}", f"{text!r} is not a date in the form {'YYYY-MM' if month else 'YYYY-MM-DD'}")
            return None

    def states(self, obj, key, where, known, required=True):
        codes = self.get(obj, key, where, list, required) or []
        for i, code in enumerate(codes):
            if code not in known:
                self.fail(f"{where}.{key}[{i}]", f"unknown state {code!r}: add it to council.json or use its ISO 3166-1 alpha-3 code")
        if len(set(codes)) != len(codes):
            self.fail(f"{where}.{key}", "lists a state twice")
        return [c for c in codes if c in known]

    def sources(self, obj, key, where, known, required=True):
        refs = self.get(obj, key, where, list, required) or []
        if required and not refs:
            self.fail(f"{where}.{key}", "cite at least one source")
        for i, ref in enumerate(refs):
            if ref not in known:
                self.fail(f"{where}.{key}[{i}]", f"unknown source {ref!r}: list it in sources.json (by symbol or url)")
        return [known[r] for r in refs if r in known]


def _bad():
    raise ValueError


def describe(kinds):
    names = {str: "text", int: "a whole number", list: "a list", dict: "an object", bool: "true or false"}
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def read_json(path, problems):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name}: file not found")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(f"{path.name}: not valid JSON ({error})")
    return None


# -- Parsing: JSON to plain, checked values ---------------------------------------------


def parse(directory=RECORD_DIR):
    """Read and check all files; return the parsed record or raise RecordError."""
    directory = Path(directory)
    problems = []
    sources_doc = read_json(directory / "sources.json", problems)
    council_doc = read_json(directory / "council.json", problems)
    event_paths = sorted((directory / "events").glob("*.json"))
    events_docs = [(p, read_json(p, problems)) for p in event_paths]
    if problems:
        raise RecordError(problems)

    record = {"sources": [], "states": [], "terms": [], "presidencies": [], "events": []}
    check = Checker("sources.json", problems)
    source_refs = {}
    for i, raw in enumerate(check.get({"sources": sources_doc.get("sources") if isinstance(sources_doc, dict) else None}, "sources", "", list) or []):
        where = f"sources[{i}]"
        item = {
            "url": check.get(raw, "url", where, str),
            "symbol": check.get(raw, "symbol", where, str, required=False),
            "kind": check.get(raw, "kind", where, str, choices=SourceKind.values),
            "title": check.get(raw, "title", where, str),
        }
        for key in ("url", "symbol"):
            if item[key] and item[key] in source_refs:
                check.fail(f"{where}.{key}", f"{item[key]!r} is listed twice")
            elif item[key]:
                source_refs[item[key]] = item["url"]
        record["sources"].append(item)

    check = Checker("council.json", problems)
    if not isinstance(council_doc, dict):
        check.fail("(top)", "expected an object with states, terms and presidencies")
        raise RecordError(problems)
    known_states = set()
    for i, raw in enumerate(check.get(council_doc, "states", "(top)", list) or []):
        where = f"states[{i}]"
        item = {
            "iso3": check.get(raw, "iso3", where, str),
            "name": check.get(raw, "name", where, str),
            "short_name": check.get(raw, "short_name", where, str),
            "group": check.get(raw, "group", where, str, choices=RegionalGroup.values),
        }
        if item["iso3"] in known_states:
            check.fail(f"{where}.iso3", f"{item['iso3']!r} is listed twice")
        known_states.add(item["iso3"])
        record["states"].append(item)
    for i, raw in enumerate(check.get(council_doc, "terms", "(top)", list) or []):
        where = f"terms[{i}]"
        record["terms"].append({
            "state": (check.states({"s": [raw.get("state")]} if isinstance(raw, dict) else {}, "s", f"{where}.state", known_states) or [None])[0],
            "seat": check.get(raw, "seat", where, str, choices=Seat.values),
            "start": check.date(raw, "start", where),
            "end": check.date(raw, "end", where, required=False),
            "sources": check.sources(raw, "sources", where, source_refs),
            "caveats": [
                {"kind": check.get(c, "kind", f"{where}.caveats[{j}]", str, choices=CaveatKind.values),
                 "text": check.get(c, "text", f"{where}.caveats[{j}]", str)}
                for j, c in enumerate(check.get(raw, "caveats", where, list, required=False) or [])
            ],
        })
    for i, raw in enumerate(check.get(council_doc, "presidencies", "(top)", list) or []):
        where = f"presidencies[{i}]"
        record["presidencies"].append({
            "month": check.date(raw, "month", where, month=True),
            "state": (check.states({"s": [raw.get("state")]} if isinstance(raw, dict) else {}, "s", f"{where}.state", known_states) or [None])[0],
            "sources": check.sources(raw, "sources", where, source_refs),
        })

    seen = set()
    for i, term in enumerate(record["terms"]):
        if (term["state"], term["start"]) in seen:
            check.fail(f"terms[{i}]", f"{term['state']} has two terms starting {term['start']}")
        seen.add((term["state"], term["start"]))
    months = [p["month"] for p in record["presidencies"]]
    for i, month in enumerate(months):
        if month is not None and months.index(month) != i:
            check.fail(f"presidencies[{i}].month", f"{month:%Y-%m} is listed twice")

    for path, doc in events_docs:
        record["events"].append(parse_event(Checker(f"events/{path.name}", problems), path, doc, known_states, source_refs))
    if problems:
        raise RecordError(problems)
    return record


def parse_event(check, path, doc, known_states, source_refs):
    where = "(event)"
    if not isinstance(doc, dict):
        check.fail(where, "expected an object")
        return None
    event = {
        "date": check.date(doc, "date", where),
        "format": check.get(doc, "format", where, str, choices=Format.values),
        "title": check.get(doc, "title", where, str),
        "meeting_number": check.get(doc, "meeting_number", where, int, required=False),
        "press_release": check.get(doc, "press_release", where, str, required=False),
        "summary": check.get(doc, "summary", where, str),
        "dprk_took_part": check.get(doc, "dprk_took_part", where, bool, required=False),
        # A file without the key holds a published event; only drafts say "published": false.
        "published": check.get(doc, "published", where, bool, required=False) is not False,
    }
    if event["date"] and path.stem != event["date"].isoformat():
        check.fail("date", f"{event['date']} does not match the file name {path.name}")
    symbol = check.get(doc, "symbol", where, str, required=False)
    if symbol and event["meeting_number"] and symbol != f"S/PV.{event['meeting_number']}":
        check.fail("symbol", f"{symbol!r} does not match meeting number {event['meeting_number']} (expected S/PV.{event['meeting_number']})")

    raw = doc.get("request")
    event["request"] = None
    if raw is not None:
        event["request"] = {
            "symbol": check.get(raw, "symbol", "request", str, required=False),
            "date": check.date(raw, "date", "request", required=False),
            "requesters": check.states(raw, "requesters", "request", known_states),
            "sources": check.sources(raw, "sources", "request", source_refs, required=False),
        }

    raw = doc.get("vote")
    event["vote"] = None
    if raw is not None:
        announced = check.get(raw, "announced", "vote", dict) or {}
        event["vote"] = {
            "question": check.get(raw, "question", "vote", str),
            "announced": {k: check.get(announced, k, "vote.announced", int) for k in ("in_favour", "against", "abstaining")},
            "ballots": {},
            "sources": check.sources(raw, "sources", "vote", source_refs),
        }
        seen = set()
        for position in Position.values:
            codes = check.states(raw, position, "vote", known_states)
            for code in codes:
                if code in seen:
                    check.fail(f"vote.{position}", f"{code} also has another position in this vote")
                seen.add(code)
                event["vote"]["ballots"][code] = position

    event["statements"] = []
    for i, raw in enumerate(check.get(doc, "statements", where, list) or []):
        w = f"statements[{i}]"
        state = raw.get("state") if isinstance(raw, dict) else None
        if state is not None and state not in known_states:
            check.fail(f"{w}.state", f"unknown state {state!r}: add it to council.json")
        source = check.get(raw, "source", w, str)
        if source and source not in source_refs:
            check.fail(f"{w}.source", f"unknown source {source!r}: list it in sources.json")
        event["statements"].append({
            "order": check.get(raw, "order", w, int),
            "speaker": check.get(raw, "speaker", w, str, required=False) or "",
            "role": check.get(raw, "role", w, str, required=False) or "",
            "capacity": check.get(raw, "capacity", w, str, choices=Capacity.values),
            "state": state if state in known_states else None,
            "office": check.get(raw, "office", w, str, required=False) or "",
            "timing": check.get(raw, "timing", w, str, choices=Timing.values),
            "summary": check.get(raw, "summary", w, str),
            "quotation": check.get(raw, "quotation", w, str, required=False) or "",
            "source": source_refs.get(source),
            "page": check.get(raw, "page", w, int, required=False),
        })

    orders = [s["order"] for s in event["statements"] if s["order"] is not None]
    if len(orders) != len(set(orders)):
        check.fail("statements", "two statements have the same place in the speaking order")
    event["joint_statements"] = []
    for i, raw in enumerate(check.get(doc, "joint_statements", where, list, required=False) or []):
        w = f"joint_statements[{i}]"
        read_by = raw.get("read_by") if isinstance(raw, dict) else None
        if read_by is not None and read_by not in known_states:
            check.fail(f"{w}.read_by", f"unknown state {read_by!r}")
        event["joint_statements"].append({
            "read_by": read_by if read_by in known_states else None,
            "speaker": check.get(raw, "speaker", w, str, required=False) or "",
            "states": check.states(raw, "states", w, known_states),
            "summary": check.get(raw, "summary", w, str),
            "sources": check.sources(raw, "sources", w, source_refs),
        })

    event["citations"] = []
    for i, raw in enumerate(check.get(doc, "citations", where, list) or []):
        w = f"citations[{i}]"
        fact = check.get(raw, "fact", w, str, choices=Fact.values)
        for url in check.sources(raw, "sources", w, source_refs):
            event["citations"].append((fact, url))
    event["caveats"] = []
    for i, raw in enumerate(check.get(doc, "caveats", where, list, required=False) or []):
        w = f"caveats[{i}]"
        event["caveats"].append({
            "fact": check.get(raw, "fact", w, str, choices=Fact.values),
            "kind": check.get(raw, "kind", w, str, choices=CaveatKind.values),
            "text": check.get(raw, "text", w, str),
        })
    return event


# -- Writing: checked values to the database ------------------------------------------


def report(error, label, problems):
    for name, messages in error.message_dict.items():
        where = label if name == "__all__" else f"{label}.{name}"
        problems.extend(f"{where}: {m}" for m in messages)
    raise RecordError(problems)


def checked(obj, label, problems, exclude=None, constraints=True):
    """Run the model's own validation (fields, clean(), constraints); a failure names record and field."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=constraints, validate_constraints=constraints)
    except ValidationError as error:
        report(error, label, problems)
    return obj


def saved(obj, label, problems, **options):
    checked(obj, label, problems, **options)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        problems.append(f"{label}: refused by the database: {str(error).splitlines()[0]}")
        raise RecordError(problems)
    return obj


def bulk_saved(model, objects, label, problems):
    """Insert rows already checked with checked(); the database's constraints have the last word."""
    try:
        with transaction.atomic():
            return model.objects.bulk_create(objects)
    except IntegrityError as error:
        problems.append(f"{label}: refused by the database: {str(error).splitlines()[0]}")
        raise RecordError(problems)


def upsert(existing, model, lookup, values, label, problems, new=None, exclude=None):
    """Create or update one row, writing only when something differs.

    With `new` (a list), a row not yet in the database is checked and appended there
    for one bulk insert instead of being saved at once.
    """
    obj = existing.get(tuple(lookup.values())) or model(**lookup)
    changed = obj.pk is None or any(getattr(obj, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(obj, key, value)
    if obj.pk is None and new is not None:
        new.append(checked(obj, label, problems, exclude=exclude, constraints=False))
    elif changed:
        saved(obj, label, problems, exclude=exclude)
    return obj


def upsert_all(model, existing, rows, problems, exclude=None):
    """upsert() each (lookup, values, label); insert the new rows in one go."""
    new = []
    objects = [upsert(existing, model, lookup, values, label, problems, new, exclude) for lookup, values, label in rows]
    bulk_saved(model, new, f"{model._meta.verbose_name_plural}", problems)
    return objects


def set_if_changed(related, objects):
    """Set a many-to-many relation; Django's set() adds and removes only the links that differ."""
    if {o.pk for o in related.all()} != {o.pk for o in objects}:
        related.set(objects)


def load(directory=RECORD_DIR, reason="Loaded from the record files"):
    """Load the record files into the database; return counts. Raises RecordError.

    Only what differs from the database is written, so a load of unchanged files writes,
    and records in the history, nothing; what it writes is recorded as the loader's, with
    `reason`.
    """
    record = parse(directory)
    problems = []
    with transaction.atomic(), recorded(reason=reason, actor=LOADER):
        rows = [({"url": item["url"]}, {k: item[k] for k in ("symbol", "kind", "title")},
                 f"sources.json: sources[{i}] ({item['url']})") for i, item in enumerate(record["sources"])]
        sources = {s.url: s for s in upsert_all(Source, {(s.url,): s for s in Source.objects.all()}, rows, problems)}
        rows = [({"iso3": item["iso3"]}, {k: item[k] for k in ("name", "short_name", "group")},
                 f"council.json: states[{i}] ({item['iso3']})") for i, item in enumerate(record["states"])]
        states = {s.iso3: s for s in upsert_all(State, {(s.iso3,): s for s in State.objects.all()}, rows, problems)}
        rows = [({"state": states[item["state"]], "start": item["start"]}, {"seat": item["seat"], "end": item["end"]},
                 f"council.json: terms[{i}] ({item['state']} from {item['start']})") for i, item in enumerate(record["terms"])]
        existing = {(t.state, t.start): t for t in CouncilTerm.objects.select_related("state").prefetch_related("sources", "caveats")}
        for i, (term, item) in enumerate(zip(upsert_all(CouncilTerm, existing, rows, problems), record["terms"])):
            set_if_changed(term.sources, [sources[u] for u in item["sources"]])
            if [(c.kind, c.text) for c in term.caveats.all()] != [(c["kind"], c["text"]) for c in item["caveats"]]:
                term.caveats.all().delete()
                bulk_saved(TermCaveat, [checked(TermCaveat(term=term, **c), f"council.json: terms[{i}].caveats", problems,
                                                constraints=False) for c in item["caveats"]],
                           f"council.json: terms[{i}].caveats", problems)
        rows = [({"month": item["month"]}, {"state": states[item["state"]]},
                 f"council.json: presidencies[{i}] ({item['month']:%Y-%m})") for i, item in enumerate(record["presidencies"])]
        existing = {(p.month,): p for p in Presidency.objects.prefetch_related("sources")}
        for presidency, item in zip(upsert_all(Presidency, existing, rows, problems), record["presidencies"]):
            set_if_changed(presidency.sources, [sources[u] for u in item["sources"]])
        for event in record["events"]:
            load_event(event, states, sources, problems)
    return {"sources": len(record["sources"]), "states": len(record["states"]), "terms": len(record["terms"]),
            "presidencies": len(record["presidencies"]), "events": len(record["events"])}


def load_event(event, states, sources, problems):
    """Make the event in the database what its file says, writing only the rows that differ.

    The file is the full account of the event: rows it no longer holds are deleted. Rows
    without a key of their own (joint statements, caveats of one fact) are matched in order.
    """
    label = f"events/{event['date']}.json"
    meeting = Meeting.objects.filter(date=event["date"]).first()
    before = dump_event(meeting) if meeting else None
    meeting = upsert({(event["date"],): meeting} if meeting else {}, Meeting, {"date": event["date"]},
                     {k: event[k] for k in ("format", "title", "meeting_number", "press_release", "summary", "dprk_took_part")}
                     | {"published": event.get("published", True)},
                     label, problems)
    citations = {(fact, url) for fact, url in event["citations"]}

    request = Request.objects.filter(meeting=meeting).first()
    if event["request"]:
        item = event["request"]
        request = upsert({(meeting,): request} if request else {}, Request, {"meeting": meeting},
                         {"symbol": item["symbol"], "date": item["date"]}, f"{label}: request", problems)
        set_if_changed(request.requesters, [states[c] for c in item["requesters"]])
        citations |= {(Fact.REQUEST, url) for url in item["sources"]}
    elif request:
        request.delete()

    vote = ProceduralVote.objects.filter(meeting=meeting).first()
    ballots = {(b.meeting, b.state): b for b in Ballot.objects.filter(meeting=meeting).select_related("meeting", "state")}
    if event["vote"]:
        item = event["vote"]
        members = set(CouncilTerm.objects.active_on(meeting.date).values_list("state__iso3", flat=True))
        if set(item["ballots"]) != members:
            missing, extra = sorted(members - set(item["ballots"])), sorted(set(item["ballots"]) - members)
            problems.append(f"{label}: vote: the ballots must be exactly the members of that day; "
                            f"missing {', '.join(missing) or 'none'}, not members {', '.join(extra) or 'none'}")
            raise RecordError(problems)
        vote = upsert({(meeting,): vote} if vote else {}, ProceduralVote, {"meeting": meeting}, {
            "question": item["question"],
            "announced_in_favour": item["announced"]["in_favour"],
            "announced_against": item["announced"]["against"],
            "announced_abstaining": item["announced"]["abstaining"],
        }, f"{label}: vote", problems)
        for (_, state), ballot in ballots.items():
            if state.iso3 not in item["ballots"]:
                ballot.delete()
        # Membership was checked as a whole just above; the trigger checks each row again.
        upsert_all(Ballot, ballots, [
            ({"meeting": meeting, "state": states[code]}, {"position": position}, f"{label}: vote ({code})")
            for code, position in item["ballots"].items()
        ], problems, exclude=["state"])
        vote = ProceduralVote.objects.select_related("meeting").prefetch_related("meeting__ballots").get(pk=vote.pk)
        for sentence in vote.disagreements():
            problems.append(f"{label}: vote.announced: disagrees with the ballots ({sentence})")
        if problems:
            raise RecordError(problems)
        citations |= {(Fact.VOTE, url) for url in item["sources"]}
    else:
        for ballot in ballots.values():
            ballot.delete()
        if vote:
            vote.delete()

    existing = {(s.meeting, s.order): s for s in Statement.objects.filter(meeting=meeting).select_related("meeting", "state", "source")}
    orders = {item["order"] for item in event["statements"]}
    for (_, order), statement in existing.items():
        if order not in orders:
            statement.delete()
    upsert_all(Statement, existing, [
        ({"meeting": meeting, "order": item["order"]},
         {**{k: v for k, v in item.items() if k != "order"}, "state": states.get(item["state"]), "source": sources[item["source"]]},
         f"{label}: statements[{i}]")
        for i, item in enumerate(event["statements"])
    ], problems)

    joints = list(JointStatement.objects.filter(meeting=meeting).order_by("pk"))
    for joint in joints[len(event["joint_statements"]):]:
        joint.delete()
    for i, item in enumerate(event["joint_statements"]):
        where = f"{label}: joint_statements[{i}]"
        values = {"read_by": states.get(item["read_by"]), "speaker": item["speaker"], "summary": item["summary"]}
        joint = joints[i] if i < len(joints) else JointStatement(meeting=meeting)
        if joint.pk is None or any(getattr(joint, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(joint, key, value)
            saved(joint, where, problems, exclude=["states", "sources"])
        set_if_changed(joint.states, [states[c] for c in item["states"]])
        set_if_changed(joint.sources, [sources[u] for u in item["sources"]])

    cited = {(c.fact, c.source.url): c for c in Citation.objects.filter(meeting=meeting).select_related("source")}
    for key, citation in cited.items():
        if key not in citations:
            citation.delete()
    bulk_saved(Citation, [Citation(meeting=meeting, fact=fact, source=sources[url])
                          for fact, url in sorted(citations) if (fact, url) not in cited], f"{label}: citations", problems)

    # Caveats of one fact are matched in order: the files list them as the database orders them.
    held = {}
    for caveat in Caveat.objects.filter(meeting=meeting).order_by("fact", "pk"):
        held.setdefault(caveat.fact, []).append(caveat)
    wanted = {}
    for i, item in enumerate(event["caveats"]):
        wanted.setdefault(item["fact"], []).append((i, item))
    new = []
    for fact in held.keys() | wanted.keys():
        rows, items = held.get(fact, []), wanted.get(fact, [])
        for caveat in rows[len(items):]:
            caveat.delete()
        for (i, item), caveat in zip(items, rows + [None] * len(items)):
            if caveat is None:
                new.append(checked(Caveat(meeting=meeting, **item), f"{label}: caveats[{i}]", problems, constraints=False))
            elif (caveat.kind, caveat.text) != (item["kind"], item["text"]):
                caveat.kind, caveat.text = item["kind"], item["text"]
                saved(caveat, f"{label}: caveats[{i}]", problems)
    bulk_saved(Caveat, sorted(new, key=lambda c: event["caveats"].index({"fact": c.fact, "kind": c.kind, "text": c.text})),
               f"{label}: caveats", problems)
    if before is not None and dump_event(meeting) != before:
        # A change to what the event holds is a change to the event, for readers and the feed.
        Meeting.objects.filter(pk=meeting.pk).update(updated=timezone.now())


# -- Dumping: the database to the same format -----------------------------------------


def source_ref(source):
    return source.symbol or source.url


# An event's own fields, as a record file and meetings.json give them (with the symbol made from the number).
HEAD_FIELDS = ("date", "format", "title", "meeting_number", "press_release", "summary", "dprk_took_part")


def event_head(meeting):
    """The event's own fields, as both the record files and the downloads give them."""
    return head_of({field: getattr(meeting, field) for field in HEAD_FIELDS})


def head_of(values):
    """event_head() from a mapping of HEAD_FIELDS (a .values() row), so the downloads need no model instance."""
    number = values["meeting_number"]
    return {
        "date": values["date"].isoformat(),
        "format": values["format"],
        "title": values["title"],
        "meeting_number": number,
        "symbol": verbatim_symbol(number),
        "press_release": values["press_release"],
        "summary": values["summary"],
        "dprk_took_part": values["dprk_took_part"],
    }


def dump_event(meeting):
    meeting = Meeting.objects.for_event_page().get(pk=meeting.pk)
    try:
        request = meeting.request
    except Request.DoesNotExist:
        request = None
    try:
        vote = meeting.vote
    except ProceduralVote.DoesNotExist:
        vote = None
    citations = {}
    for citation in meeting.citations.all():
        citations.setdefault(citation.fact, []).append(source_ref(citation.source))
    request_sources = citations.pop(Fact.REQUEST, []) if request else []
    vote_sources = citations.pop(Fact.VOTE, []) if vote else []
    data = {
        **event_head(meeting),
        "request": None if request is None else {
            "symbol": request.symbol,
            "date": request.date.isoformat() if request.date else None,
            "requesters": [s.iso3 for s in request.requesters.all()],
            "sources": request_sources,
        },
        "vote": None if vote is None else {
            "question": vote.question,
            "announced": {"in_favour": vote.announced_in_favour, "against": vote.announced_against,
                          "abstaining": vote.announced_abstaining},
            **{p: [b.state.iso3 for b in meeting.ballots.all() if b.position == p] for p in Position.values},
            "sources": vote_sources,
        },
        "statements": [
            {"order": s.order, "speaker": s.speaker, "role": s.role or None, "capacity": s.capacity,
             "state": s.state.iso3 if s.state else None, "office": s.office or None, "timing": s.timing,
             "summary": s.summary, "quotation": s.quotation or None, "source": source_ref(s.source), "page": s.page}
            for s in meeting.statements.all()
        ],
        "joint_statements": [
            {"read_by": j.read_by.iso3 if j.read_by else None, "speaker": j.speaker or None,
             "states": [s.iso3 for s in j.states.all()], "summary": j.summary,
             "sources": sorted(source_ref(s) for s in j.sources.all())}
            for j in meeting.joint_statements.all()
        ],
        "citations": [{"fact": fact, "sources": refs} for fact, refs in citations.items()],
        "caveats": [{"fact": c.fact, "kind": c.kind, "text": c.text} for c in meeting.caveats.all()],
    }
    if not meeting.published:
        data["published"] = False
    return data


def write_json(path, data):
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def dump_council():
    """council.json's content; states, terms and presidencies in the order they were entered (a load keeps it)."""
    terms = CouncilTerm.objects.select_related("state").prefetch_related("sources", "caveats").order_by("pk")
    presidencies = Presidency.objects.select_related("state").prefetch_related("sources").order_by("pk")
    return {
        "states": [{"iso3": s.iso3, "name": s.name, "short_name": s.short_name, "group": s.group}
                   for s in State.objects.order_by("pk")],
        "terms": [{"state": t.state.iso3, "seat": t.seat, "start": t.start.isoformat(),
                   "end": t.end.isoformat() if t.end else None,
                   "sources": sorted(source_ref(s) for s in t.sources.all()),
                   "caveats": [{"kind": c.kind, "text": c.text} for c in t.caveats.all()]} for t in terms],
        "presidencies": [{"month": f"{p.month:%Y-%m}", "state": p.state.iso3,
                          "sources": sorted(source_ref(s) for s in p.sources.all())} for p in presidencies],
    }


def dump(directory):
    """Write the database as record files that load() reads back into the same database.

    Returns the counts written and the event files removed: those of events no longer in
    the database, which a load of the folder would otherwise bring back.
    """
    directory = Path(directory)
    (directory / "events").mkdir(parents=True, exist_ok=True)
    sources = [{"url": s.url, "symbol": s.symbol, "kind": s.kind, "title": s.title} for s in Source.objects.order_by("pk")]
    write_json(directory / "sources.json", {"sources": sources})
    council = dump_council()
    write_json(directory / "council.json", council)
    written = set()
    for meeting in Meeting.objects.order_by("date"):
        path = directory / "events" / f"{meeting.date.isoformat()}.json"
        write_json(path, dump_event(meeting))
        written.add(path.name)
    removed = sorted(p.name for p in (directory / "events").glob("*.json") if p.name not in written)
    for name in removed:
        (directory / "events" / name).unlink()
    counts = {"sources": len(sources), **{key: len(council[key]) for key in ("states", "terms", "presidencies")},
              "events": len(written)}
    return counts, removed
