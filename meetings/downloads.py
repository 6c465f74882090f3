"""The record as open data: JSON and CSV downloads, their JSON Schemas, and the /data/ page.

Every download is built from the database once per version of the record, with a fixed
number of queries, and then served from the page cache (meetings/caching.py), and takes the same filters as the page that lists its rows: `year`, `format`
and `state` (the timeline's TimelineFilter) for events, ballots and statements; `seat`,
`group` and `state` (MembersFilter) for the Council's members.
"""

import csv
import datetime
import io
import json
from functools import wraps

from django import forms
from django.conf import settings
from django.db.models import Max, Q
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from council.models import CouncilTerm, RegionalGroup, Seat, State
from meetings import prerender
from meetings.caching import cached_by_record_version, version_time
from meetings.forms import StateCodeField, TimelineFilter, describe_errors
from meetings.models import (
    VOTES_NEEDED,
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
    Request,
    Source,
    Statement,
    Timing,
    verbatim_symbol,
)
from meetings.presenters import POSITIONS, SOURCE_KIND_RANK, source_rank
from meetings.record import HEAD_FIELDS, head_of

LICENCE = {"name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
           "url": "https://creativecommons.org/licenses/by/4.0/"}
DATA_SET_TITLE = "DPRK human rights at the UN Security Council: the public record"
# The years the members download covers: every term that overlaps them.
MEMBERS_FROM, MEMBERS_TO = datetime.date(2014, 1, 1), datetime.date(2025, 12, 31)
# Corrections should reach readers within minutes; caches may keep a copy that long.
CACHE_SECONDS = 300
LIST_SEPARATOR = ";"


# -- Filters ----------------------------------------------------------------------------


class MembersFilter(forms.Form):
    """The members download's query parameters; anything else is a 400, never a 500."""

    seat = forms.ChoiceField(required=False, choices=[("", "All seats"), *Seat.choices])
    group = forms.ChoiceField(required=False, choices=[("", "All groups"), *RegionalGroup.choices])
    state = StateCodeField()

    def filter(self, terms):
        data = self.cleaned_data
        if data["seat"]:
            terms = terms.filter(seat=data["seat"])
        if data["group"]:
            terms = terms.filter(state__group=data["group"])
        if data["state"]:
            terms = terms.filter(state=data["state"])
        return terms


# -- What each download reads -----------------------------------------------------------
#
# The two whole-record downloads are built from plain rows (values_list), one query per
# table, never from model instances: at the shipped record that is ~1,400 instances fewer
# per render, and the cost grows with the rows, not with Django's machinery per row.


def ballot_rows(meetings):
    """Every ballot of these events as a row of ballots.csv, by date, then state code."""
    rows = (Ballot.objects.filter(meeting__in=meetings).order_by("meeting__date", "state__iso3")
            .values_list("meeting__date", "meeting__meeting_number", "state__iso3", "state__name", "position"))
    for date, number, state, name, position in rows:
        yield {"date": date.isoformat(), "symbol": verbatim_symbol(number), "state": state,
               "name": name, "position": position}


def terms_for_export():
    """Every term on the Council that overlaps MEMBERS_FROM..MEMBERS_TO, with its sources and caveats."""
    return (CouncilTerm.objects.filter(start__lte=MEMBERS_TO).filter(Q(end__isnull=True) | Q(end__gte=MEMBERS_FROM))
            .select_related("state").prefetch_related("sources", "caveats").order_by("start", "state__iso3"))


# -- Serializers: one event, statement or term as plain data -----------------------------


def source_data(symbol, title, url):
    return {"label": Source.label_for(symbol, title), "url": url}


SOURCE = ("source_id", "source__symbol", "source__title", "source__url")


def grouped(rows):
    """{meeting pk: [the rest of each row, in the rows' order]} from rows whose first value is the meeting's pk."""
    groups = {}
    for meeting, *rest in rows:
        groups.setdefault(meeting, []).append(rest)
    return groups


def statement_rows(meetings):
    """(meeting pk, date, meeting number, source pk, statement data) for every statement of these events, in speaking order."""
    rows = (Statement.objects.filter(meeting__in=meetings).order_by("meeting__date", "order")
            .values_list("meeting_id", "meeting__date", "meeting__meeting_number", "order", "speaker", "state__iso3",
                         "office", "capacity", "timing", "summary", "quotation", *SOURCE, "page"))
    for (meeting, date, number, order, speaker, state, office, capacity, timing, summary, quotation,
         source, symbol, title, url, page) in rows:
        yield meeting, date, number, source, {
            "order": order,
            "speaker": speaker or None,
            "state": state,
            "office": office or None,
            "capacity": capacity,
            "timing": timing,
            "summary": summary,
            "quotation": quotation or None,
            "source": source_data(symbol, title, url),
            "page": page,
        }


def export_events(meetings):
    """Every event of `meetings` as meetings.json gives it, oldest first: seven queries whatever the record's size."""
    events = list(meetings.with_president().order_by("date").values(
        "pk", *HEAD_FIELDS, "president_iso3", "vote__pk", "request__pk", "request__symbol"))
    if not events:
        return []
    pks = [event["pk"] for event in events]
    ballots = grouped(Ballot.objects.filter(meeting__in=pks).order_by().values_list("meeting_id", "position", "state__iso3"))
    signatories = grouped(Request.requesters.through.objects.filter(request__meeting__in=pks).order_by()
                          .values_list("request__meeting_id", "state__iso3"))
    statements = {}
    for meeting, _date, _number, source, data in statement_rows(pks):
        statements.setdefault(meeting, []).append((source, data))
    # Cited sources: UN records first, then by label; the query's order breaks ties, as on the event page.
    citations = grouped(Citation.objects.filter(meeting__in=pks).order_by("fact", "source__symbol", "source__url")
                        .values_list("meeting_id", "source__kind", *SOURCE))
    joint_sources = grouped(JointStatement.sources.through.objects.filter(jointstatement__meeting__in=pks)
                            .order_by("jointstatement_id", "source__symbol", "source__url")
                            .values_list("jointstatement__meeting_id", *SOURCE))
    caveats = grouped(Caveat.objects.filter(meeting__in=pks).order_by("fact", "pk").values_list("meeting_id", "fact", "kind", "text"))

    exported = []
    for event in events:
        pk = event["pk"]
        spoken = statements.get(pk, ())
        cited = sorted(citations.get(pk, ()), key=lambda row: (SOURCE_KIND_RANK[row[0]], Source.label_for(row[2], row[3])))
        sources = {}  # every source once, in order: the cited ones, then the statements', then the joint statements'
        for source, *fields in [row[1:] for row in cited]:
            sources.setdefault(source, source_data(*fields))
        for source, data in spoken:
            sources.setdefault(source, data["source"])
        for source, *fields in joint_sources.get(pk, ()):
            sources.setdefault(source, source_data(*fields))
        exported.append({
            **head_of(event),
            "request_letter": None if event["request__pk"] is None else {
                "symbol": event["request__symbol"], "signatories": sorted(code for (code,) in signatories.get(pk, ()) if code),
            },
            "president": event["president_iso3"],
            "vote": None if event["vote__pk"] is None else vote_lists(ballots.get(pk, ())),
            "statements": [data for _source, data in spoken],
            "sources": list(sources.values()),
            "caveats": [{"fact": fact, "kind": kind, "text": text} for fact, kind, text in caveats.get(pk, ())],
        })
    return exported


def vote_lists(ballots):
    """The members in each position (alpha-3, sorted) and whether the agenda was adopted."""
    lists = {position: [] for position in POSITIONS}
    for position, code in ballots:
        lists[position].append(code)
    lists = {position: sorted(codes) for position, codes in lists.items()}
    return {**lists, "adopted": len(lists[Position.IN_FAVOUR]) >= VOTES_NEEDED}


def member_data(term):
    """One term as members.json gives it: the state, the seat, the dates, and what establishes them."""
    sources = sorted(term.sources.all(), key=source_rank)
    return {
        "state": term.state.iso3,
        "name": term.state.name,
        "seat": term.seat,
        "group": term.state.group,
        "start": term.start.isoformat(),
        "end": term.end.isoformat() if term.end else None,
        "sources": [source_data(source.symbol, source.title, source.url) for source in sources],
        "caveats": [{"kind": caveat.kind, "text": caveat.text} for caveat in term.caveats.all()],
    }


def member_row(term):
    """One term as a row of members.csv: its sources flattened as in meetings.csv, its caveats in members.json."""
    data = member_data(term)
    sources, _caveats = data.pop("sources"), data.pop("caveats")
    return {**data, "source_labels": joined(s["label"] for s in sources), "source_urls": joined(s["url"] for s in sources)}


# -- CSV: the same fields, flattened ------------------------------------------------------


def joined(values):
    return LIST_SEPARATOR.join(values)


def cell(value):
    """A JSON value as a CSV cell: null is empty, booleans are true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def meeting_row(data):
    """One event of export_events() as a row of meetings.csv."""
    letter, vote = data["request_letter"] or {}, data["vote"] or {}
    return {
        **{key: data[key] for key in ("date", "format", "title", "meeting_number", "symbol", "press_release",
                                      "summary", "dprk_took_part")},
        "request_symbol": letter.get("symbol"),
        "request_signatories": joined(letter["signatories"]) if letter else None,
        "president": data["president"],
        **{f"vote_{p}": joined(vote[p]) if vote else None for p in POSITIONS},
        "vote_adopted": vote.get("adopted"),
        "statement_count": len(data["statements"]),
        "source_labels": joined(s["label"] for s in data["sources"]),
        "source_urls": joined(s["url"] for s in data["sources"]),
    }


def statement_csv_rows(meetings):
    for _meeting, date, number, _source, data in statement_rows(meetings):
        source = data.pop("source")
        yield {"date": date.isoformat(), "symbol": verbatim_symbol(number), **data,
               "source_label": source["label"], "source_url": source["url"]}


# Each CSV's columns, with what they hold: the /data/ page prints these.
CSV_COLUMNS = {
    "meetings": [
        ("date", "Date of the event (YYYY-MM-DD), or the date planned for a request not held."),
        ("format", "public, closed, informal or not_held."),
        ("title", "Short headline, in our own words."),
        ("meeting_number", "Number of a formal public meeting, e.g. 7353; empty otherwise."),
        ("symbol", "Verbatim record symbol, e.g. S/PV.7353; empty when there is none."),
        ("press_release", "UN meetings-coverage press release, e.g. SC/11720; empty when there is none."),
        ("summary", "Neutral summary in our own words."),
        ("dprk_took_part", "true or false: whether the DPRK was at the table; empty when the sources are silent."),
        ("request_symbol", "Symbol of the letter that asked for the event, e.g. S/2014/872; empty when none was published."),
        ("request_signatories", "Alpha-3 codes of the states that signed or made the request, separated by “;”."),
        ("president", "Alpha-3 code of the state holding the Council's presidency that month."),
        ("vote_in_favour", "Alpha-3 codes of the members voting in favour of the agenda, separated by “;”; empty without a vote."),
        ("vote_against", "Likewise, against."),
        ("vote_abstaining", "Likewise, abstaining."),
        ("vote_not_participating", "Likewise, not participating."),
        ("vote_adopted", "true when nine or more members voted in favour, false when fewer; empty without a vote."),
        ("statement_count", "Number of statements recorded (they are in statements.csv)."),
        ("source_labels", "Every source of the event (UN symbol or title), separated by “;”."),
        ("source_urls", "The same sources' addresses, in the same order, separated by “;”."),
    ],
    "ballots": [
        ("date", "Date of the meeting."),
        ("symbol", "Verbatim record symbol of the meeting."),
        ("state", "Alpha-3 code of the member."),
        ("name", "The member's name as the UN writes it."),
        ("position", "in_favour, against, abstaining or not_participating."),
    ],
    "statements": [
        ("date", "Date of the event."),
        ("symbol", "Verbatim record symbol of the meeting; empty when there is none."),
        ("order", "Place in the speaking order, from 1."),
        ("speaker", "The person as the source names them; empty when unknown."),
        ("state", "Alpha-3 code of the state spoken for; empty for a briefer."),
        ("office", "For a briefer, the office they spoke for; empty otherwise."),
        ("capacity", "member, president (the President speaking for its state), non_member (invited under rule 37) or briefer (rule 39)."),
        ("timing", "before_vote, after_vote or no_vote."),
        ("summary", "One or two sentences in our own words."),
        ("quotation", "A short quotation copied exactly from the source; often empty."),
        ("source_label", "The statement's source: UN symbol or title."),
        ("source_url", "The source's address."),
        ("page", "Page of the source where the statement starts; empty when not known."),
    ],
    "members": [
        ("state", "Alpha-3 code."),
        ("name", "The state's name as the UN writes it."),
        ("seat", "permanent or elected."),
        ("group", "UN regional group: " + ", ".join(RegionalGroup.values) + "."),
        ("start", "First day of the term (YYYY-MM-DD)."),
        ("end", "Last day of the term; empty for a permanent seat."),
        ("source_labels", "The sources that establish the term (UN symbol or title), separated by “;”; "
                          "what a reader should know about them is in members.json."),
        ("source_urls", "The same sources' addresses, in the same order, separated by “;”."),
    ],
}


# -- JSON Schemas, which also document the fields on the /data/ page ----------------------


def nullable(schema):
    return {**schema, "type": [schema["type"], "null"]}


ALPHA3 = {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 3166-1 alpha-3 code, e.g. CHN."}
DAY = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
GENERATED = {"type": "string", "format": "date-time", "description": "When this file was generated from the database (ISO 8601)."}


def codes_list(description):
    return {"type": "array", "items": ALPHA3, "uniqueItems": True, "description": description}


def closed_object(description, properties):
    """An object with exactly these properties, every one present (null where the record has no value)."""
    return {"type": "object", "description": description, "properties": properties,
            "required": list(properties), "additionalProperties": False}


SOURCE_SCHEMA = closed_object("A source: a UN document, a government's statement, research or a news report.", {
    "label": {"type": "string", "description": "The UN document symbol (S/PV.7353, SC/11720), or the source's title."},
    "url": {"type": "string", "format": "uri", "description": "Where a reader finds it."},
})

MEETING_SCHEMA = closed_object("One event under the item, oldest first.", {
    "date": {**DAY, "description": "Day of the event, or the day planned for a request that was not held."},
    "format": {"type": "string", "enum": Format.values,
               "description": "public (formal meeting with a verbatim record), closed (closed consultations or videoconference), "
                              "informal (Arria-formula meeting) or not_held (requested, not held)."},
    "title": {"type": "string", "description": "A short headline in our own words."},
    "meeting_number": {"type": ["integer", "null"], "minimum": 1,
                       "description": "Number of a formal public meeting, e.g. 7353; null otherwise."},
    "symbol": {"type": ["string", "null"], "pattern": "^S/PV\\.[0-9]+$",
               "description": "Verbatim record symbol, S/PV. followed by the meeting number; null when there is none."},
    "press_release": {"type": ["string", "null"], "pattern": "^SC/[0-9]+$",
                      "description": "UN meetings-coverage press release, e.g. SC/11720; null when there is none."},
    "summary": {"type": "string", "minLength": 1, "description": "A neutral summary in our own words."},
    "dprk_took_part": {"type": ["boolean", "null"],
                       "description": "Whether the DPRK was at the table (invited under rule 37); null when the sources are silent."},
    "request_letter": nullable(closed_object("The letter or request that asked for the event; null when none is in the record.", {
        "symbol": {"type": ["string", "null"], "pattern": "^S/[0-9]{4}/[0-9]+$",
                   "description": "Symbol of the published letter, e.g. S/2014/872; null when none was published."},
        "signatories": codes_list("Every state that signed or made the request."),
    })),
    "president": {**ALPHA3, "type": ["string", "null"],
                  "description": "The state holding the Council's presidency that month (alpha-3); null when not in the record."},
    "vote": nullable(closed_object(
        "The procedural vote on the agenda; null when none was held. Every member of the Council that day is in exactly one list.", {
            "in_favour": codes_list("Members voting in favour."),
            "against": codes_list("Members voting against."),
            "abstaining": codes_list("Members abstaining."),
            "not_participating": codes_list("Members not taking part in the vote."),
            "adopted": {"type": "boolean",
                        "description": "Nine or more votes in favour: the agenda was adopted (the veto does not apply to a procedural vote)."},
        })),
    "statements": {"type": "array", "description": "Who spoke, in speaking order.", "items": closed_object("One statement.", {
        "order": {"type": "integer", "minimum": 1, "description": "Place in the speaking order, from 1."},
        "speaker": {"type": ["string", "null"], "description": "The person as the source names them; null when unknown."},
        "state": {**ALPHA3, "type": ["string", "null"], "description": "The state spoken for (alpha-3); null for a briefer."},
        "office": {"type": ["string", "null"], "description": "For a briefer, the office they spoke for; null otherwise."},
        "capacity": {"type": "string", "enum": Capacity.values,
                     "description": "member, president (the President speaking for its state), non_member (a state invited "
                                    "under rule 37) or briefer (invited under rule 39)."},
        "timing": {"type": "string", "enum": Timing.values, "description": "before_vote, after_vote, or no_vote when no vote was held."},
        "summary": {"type": "string", "minLength": 1, "description": "One or two sentences in our own words."},
        "quotation": {"type": ["string", "null"], "maxLength": 300,
                      "description": "A short quotation copied exactly from the source; null when none is given."},
        "source": SOURCE_SCHEMA,
        "page": {"type": ["integer", "null"], "minimum": 1,
                 "description": "Page of the source where the statement starts; null when not known."},
    })},
    "sources": {"type": "array", "items": SOURCE_SCHEMA,
                "description": "Every source of the event: UN records first, then research, governments' statements and news."},
    "caveats": {"type": "array", "description": "What a reader should know about a fact: where the sources disagree, rest on one "
                                                "source, or are silent.", "items": closed_object("One caveat.", {
        "fact": {"type": "string", "enum": Fact.values, "description": "The fact it is about."},
        "kind": {"type": "string", "enum": CaveatKind.values,
                 "description": "disagreement, single_source, inferred or incomplete."},
        "text": {"type": "string", "minLength": 1, "description": "What the sources say, in our own words."},
    })},
})

MEMBER_SCHEMA = closed_object("One term on the Council.", {
    "state": ALPHA3,
    "name": {"type": "string", "description": "The state's name as the UN writes it."},
    "seat": {"type": "string", "enum": Seat.values, "description": "permanent or elected."},
    "group": {"type": "string", "enum": RegionalGroup.values, "description": "The state's UN regional group."},
    "start": {**DAY, "description": "First day of the term."},
    "end": {**DAY, "type": ["string", "null"], "description": "Last day of the term; null for a permanent seat."},
    "sources": {"type": "array", "items": SOURCE_SCHEMA,
                "description": "The sources that establish the term (for a permanent seat, the UN Charter), "
                               "UN documents first."},
    "caveats": {"type": "array", "description": "What a reader should know about the term's sources, e.g. that it is "
                                                "inferred from indirect ones.", "items": closed_object("One caveat.", {
        "kind": {"type": "string", "enum": CaveatKind.values,
                 "description": "disagreement, single_source, inferred or incomplete."},
        "text": {"type": "string", "minLength": 1, "description": "What the sources say, in our own words."},
    })},
})


def document_schema(title, key, item, description):
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **closed_object(description, {"generated": GENERATED, key: {"type": "array", "items": item}}),
    }


SCHEMAS = {
    "meetings": document_schema("meetings.json", "meetings", MEETING_SCHEMA,
                                "Every event under the Security Council item on the DPRK, oldest first."),
    "members": document_schema("members.json", "members", MEMBER_SCHEMA,
                               f"Every term on the Security Council that overlaps {MEMBERS_FROM.year}-{MEMBERS_TO.year}."),
}


FORMAT_NAMES = {"date": "date, YYYY-MM-DD", "uri": "address (URL)", "date-time": "date and time, ISO 8601"}


def schema_fields(schema, prefix=""):
    """The schema's properties as (name, type, description) rows for the /data/ page, nested ones with dotted names."""
    rows = []
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        kinds = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        kind = " or ".join(k for k in kinds if k != "null")
        if prop.get("pattern") == ALPHA3["pattern"]:
            kind = "alpha-3 code"
        elif prop.get("format") in FORMAT_NAMES:
            kind = FORMAT_NAMES[prop["format"]]
        elif "enum" in prop:
            kind = "one of " + ", ".join(prop["enum"])
        elif kind == "array" and prop["items"].get("pattern") == ALPHA3["pattern"]:
            kind = "list of alpha-3 codes"
        elif kind == "array":
            kind = "list of objects"
        rows.append((path, kind + (", or null" if "null" in kinds else ""), prop.get("description", "")))
        nested = prop["items"] if kind == "list of objects" else prop
        rows.extend(schema_fields(nested, f"{path}[]." if kind == "list of objects" else f"{path}."))
    return rows


# -- Responses ----------------------------------------------------------------------------


def published(view):
    """Headers for a public download: cacheable for a few minutes, readable from any site's scripts."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            prerender.remember_origin(request)
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
            response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def bad_filter(form):
    return HttpResponseBadRequest(f"The filter was not understood ({describe_errors(form)}).\n", content_type="text/plain; charset=utf-8")


def filename(base, form, extension):
    """meetings.csv, or for a filtered download its filter in the name: meetings-2016-public-chn.csv."""
    parts = [base] + [str(v.iso3.lower() if isinstance(v, State) else v) for v in form.cleaned_data.values() if v]
    return f"{'-'.join(parts)}.{extension}"


def generated(request):
    """The time of the record's version this file shows: stable until the next write."""
    return (version_time(request) or timezone.now()).isoformat(timespec="seconds")


def json_download(data, name):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/json; charset=utf-8"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def csv_download(columns, rows, name):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[column for column, _ in columns])
    writer.writeheader()
    writer.writerows({key: cell(value) for key, value in row.items()} for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8; header=present")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def filtered_meetings(request, queryset):
    """(form, meetings) with the timeline's filters applied, or (form, None) when the filter is bad."""
    form = TimelineFilter(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.filter(queryset)


# -- Views --------------------------------------------------------------------------------


@require_safe
@cached_by_record_version
def index(request):
    last_change = Meeting.objects.published().aggregate(last=Max("updated"))["last"]
    downloads = [
        {"name": "meetings.json", "url": reverse("data:meetings_json"), "schema": reverse("data:meetings_schema"),
         "what": "Every event with its request, President, procedural vote, statements, sources and caveats.",
         "fields": schema_fields(MEETING_SCHEMA)},
        {"name": "members.json", "url": reverse("data:members_json"), "schema": reverse("data:members_schema"),
         "what": f"Every term on the Council that overlaps {MEMBERS_FROM.year}–{MEMBERS_TO.year}, with the sources "
                 "that establish it and what a reader should know about them.",
         "fields": schema_fields(MEMBER_SCHEMA)},
    ]
    tables = [
        {"name": f"{name}.csv", "url": reverse(f"data:{name}_csv"), "columns": CSV_COLUMNS[name], "what": what}
        for name, what in [
            ("meetings", "One row per event."),
            ("ballots", "One row per member per procedural vote."),
            ("statements", "One row per statement, in speaking order."),
            ("members", "One row per term on the Council."),
        ]
    ]
    context = {
        "nav": "data",
        "downloads": downloads,
        "tables": tables,
        "last_change": last_change,
        "data_set_title": DATA_SET_TITLE,
        "data_url": f"{settings.SITE_URL}{reverse('data:index')}",
        "licence": LICENCE,
        "separator": LIST_SEPARATOR,
        "members_from": MEMBERS_FROM,
        "members_to": MEMBERS_TO,
        "formats": Format.choices,
        "seats": Seat.choices,
        "groups": RegionalGroup.choices,
    }
    return render(request, "data/index.html", context)


@require_safe
@cached_by_record_version
@published
def meetings_json(request):
    form, meetings = filtered_meetings(request, Meeting.objects.published())
    if meetings is None:
        return bad_filter(form)
    data = {"generated": generated(request), "meetings": export_events(meetings)}
    return json_download(data, filename("meetings", form, "json"))


@require_safe
@cached_by_record_version
@published
def meetings_csv(request):
    form, meetings = filtered_meetings(request, Meeting.objects.published())
    if meetings is None:
        return bad_filter(form)
    rows = [meeting_row(event) for event in export_events(meetings)]
    return csv_download(CSV_COLUMNS["meetings"], rows, filename("meetings", form, "csv"))


@require_safe
@cached_by_record_version
@published
def ballots_csv(request):
    form, meetings = filtered_meetings(request, Meeting.objects.published())
    if meetings is None:
        return bad_filter(form)
    rows = ballot_rows(meetings.values("pk"))
    return csv_download(CSV_COLUMNS["ballots"], rows, filename("ballots", form, "csv"))


@require_safe
@cached_by_record_version
@published
def statements_csv(request):
    form, meetings = filtered_meetings(request, Meeting.objects.published())
    if meetings is None:
        return bad_filter(form)
    rows = statement_csv_rows(meetings.values("pk"))
    return csv_download(CSV_COLUMNS["statements"], rows, filename("statements", form, "csv"))


def filtered_terms(request):
    form = MembersFilter(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.filter(terms_for_export())


@require_safe
@cached_by_record_version
@published
def members_json(request):
    form, terms = filtered_terms(request)
    if terms is None:
        return bad_filter(form)
    return json_download({"generated": generated(request), "members": [member_data(t) for t in terms]},
                         filename("members", form, "json"))


@require_safe
@cached_by_record_version
@published
def members_csv(request):
    form, terms = filtered_terms(request)
    if terms is None:
        return bad_filter(form)
    return csv_download(CSV_COLUMNS["members"], [member_row(t) for t in terms], filename("members", form, "csv"))


@require_safe
@cached_by_record_version
@published
def schema(request, name):
    document = {"$id": f"{settings.SITE_URL}{request.path}", **SCHEMAS[name]}
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1),
                            content_type="application/schema+json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.schema.json"'
    return response
