"""Full-text search over the record with PostgreSQL's own text search."""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.paginator import Paginator
from django.db.models import CharField, F, IntegerField, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings.models import Meeting, Statement

PER_PAGE = 20
CONFIG = "english"
# Private-use characters mark the matches in PostgreSQL's snippet; the snippet is escaped
# as plain text first and only then are they turned into <mark>.
START, STOP = "\ue000", "\ue001"


# PostgreSQL cuts the text at word boundaries, so a cut can leave punctuation that belonged
# to the words dropped ("abductions), linked them"): it goes before the "…" is added.
OPENING_JUNK = " \t\n,.;:!?)]}»”’–—-"
CLOSING_JUNK = " \t\n,;:([{«“‘–—-"
ELLIPSIS = "…"
FRAGMENTS = {"max_words": 30, "min_words": 12, "max_fragments": 2, "fragment_delimiter": f" {ELLIPSIS} "}


def trimmed(snippet, text):
    """PostgreSQL's snippet with "…" wherever it cuts the text, and never opening on punctuation."""
    text = " ".join(text.split())
    fragments = [" ".join(f.split()) for f in snippet.split(FRAGMENTS["fragment_delimiter"]) if f.strip()]
    if not fragments:
        return ""
    pieces = []
    for i, fragment in enumerate(fragments):
        plain = fragment.replace(START, "").replace(STOP, "")
        if i > 0 or not text.startswith(plain[:40]):
            fragment = fragment.lstrip(OPENING_JUNK)
            pieces.append(ELLIPSIS)
        pieces.append(fragment)
    last = fragments[-1].replace(START, "").replace(STOP, "").rstrip(".!?”’\"")
    if not text.rstrip(".!?”’\"").endswith(last[-40:]):
        pieces[-1] = pieces[-1].rstrip(CLOSING_JUNK)
        pieces.append(ELLIPSIS)
    for i in range(len(pieces) - 1):
        if pieces[i + 1] == ELLIPSIS:
            pieces[i] = pieces[i].rstrip(CLOSING_JUNK)
    return " ".join(pieces)

# The stored, GIN-indexed vectors of migration 0009_search_vector (kept current by PostgreSQL, unknown to the models).
EVENT_VECTOR = RawSQL('"meetings_meeting"."search_vector"', [], output_field=SearchVectorField())
STATEMENT_VECTOR = RawSQL('"meetings_statement"."search_vector"', [], output_field=SearchVectorField())


def highlighted(snippet):
    # Matched words side by side ("forced labour") read as one highlight, not two.
    snippet = re.sub(f"{STOP}(\\s+){START}", r"\1", snippet)
    return mark_safe(escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>"))


class Result:
    def __init__(self, row):
        self.kind = row["kind"]
        self.date = row["date"]
        self.title = row["title"]
        self.snippet = highlighted(trimmed(row["snippet"], row["text"]))
        anchor = f"#statement-{row['order']}" if row["kind"] == "statement" else ""
        self.url = f"/meetings/{row['date'].isoformat()}/{anchor}"


def search_record(text, form):
    """A Paginator over events and statements that match `text`, best first."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    filters = form.cleaned_data

    events = Meeting.objects.published()
    statements = Statement.objects.filter(meeting__published=True)
    if filters["year"]:
        events = events.filter(date__year=filters["year"])
        statements = statements.filter(meeting__date__year=filters["year"])
    if filters["format"]:
        events = events.filter(format=filters["format"])
        statements = statements.filter(meeting__format=filters["format"])
    if filters["state"]:
        events = events.involving(filters["state"])
        statements = statements.filter(state=filters["state"])

    events = events.annotate(vector=EVENT_VECTOR).filter(vector=query)
    statements = statements.annotate(vector=STATEMENT_VECTOR).filter(vector=query)
    # Counted without the snippets, which are the costly part of a result.
    matches = events.values("pk").union(statements.values("pk"), all=True)
    # First the page's keys in rank order, without snippets; then snippets for those rows
    # only: ts_headline is the costly part, and a large record matches many rows.
    kind = {"event": Value("event", output_field=CharField()), "statement": Value("statement", output_field=CharField())}
    keys = (
        events.annotate(kind=kind["event"], ident=F("pk"), order=Value(0, output_field=IntegerField()),
                        rank=SearchRank(F("vector"), query))
        .values("kind", "ident", "date", "order", "rank")
        .union(statements.annotate(kind=kind["statement"], ident=F("pk"), date=F("meeting__date"),
                                   rank=SearchRank(F("vector"), query))
               .values("kind", "ident", "date", "order", "rank"), all=True)
        .order_by("-rank", "date", "order")
    )
    speaker = Coalesce("state__short_name", "office", output_field=CharField())

    def details(event_pks, statement_pks):
        event_text = Concat("title", Value(". "), "summary", output_field=TextField())
        statement_text = Concat("summary", Value(" "), "quotation", output_field=TextField())
        found = events.filter(pk__in=event_pks).order_by().annotate(
            kind=kind["event"], result_title=F("title"), text=event_text,
            snippet=SearchHeadline(event_text, query, config=CONFIG, start_sel=START, stop_sel=STOP, **FRAGMENTS),
        ).values("kind", "pk", "result_title", "text", "snippet").union(statements.filter(pk__in=statement_pks).order_by().annotate(
            kind=kind["statement"], result_title=Concat(speaker, Value(": "), "speaker", output_field=CharField()),
            text=statement_text,
            snippet=SearchHeadline(statement_text, query, config=CONFIG, start_sel=START, stop_sel=STOP, **FRAGMENTS),
        ).values("kind", "pk", "result_title", "text", "snippet"), all=True).order_by()
        return {(row["kind"], row["pk"]): row for row in found}

    return Paginator(LazyResults(keys, matches, details), PER_PAGE)


class LazyResults:
    """The paginator's slice becomes LIMIT/OFFSET over the ranked keys, then one query for those rows' snippets."""

    def __init__(self, keys, matches, details):
        self.keys = keys
        self.matches = matches
        self.details = details

    def count(self):
        return self.matches.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        rows = list(self.keys[index])
        found = self.details([r["ident"] for r in rows if r["kind"] == "event"],
                             [r["ident"] for r in rows if r["kind"] == "statement"])
        results = []
        for row in rows:
            detail = found[(row["kind"], row["ident"])]
            results.append(Result({**row, "title": detail["result_title"], "snippet": detail["snippet"],
                                   "text": detail["text"]}))
        return results
