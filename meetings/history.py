"""The history of the record: who changed what, when and why, and the way back.

PostgreSQL triggers (django-pghistory) write a snapshot row to an event table for every
insert, update and delete of the record's tables, whatever made it: the admin, the loader
or SQL by hand. Writes made inside `recorded()` carry a context: who made them (an editor,
or the loader) and why. Writes outside any context are "database" changes.

The view `meetings_changerow` (migration 0006_history, SQL in meetings/changerows.py) puts every event table side by side,
each row with the record it belongs to (its "root": an event for ballots, statements and
the rest; a source, state, term or presidency for the Council's tables) and the snapshot
before it. A change is the set of rows written under one context (or, without a context,
in one transaction). A correction is a change to a record that already existed: the
change that created a record is not a correction of it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import pghistory
from django.apps import apps
from django.db import connection, models, transaction
from django.urls import reverse

from council.history import trackers
from council.models import CouncilTerm, Presidency, State
from meetings.changerows import corrections_sql, history_sql, rows_sql
from meetings.models import (
    Ballot,
    Caveat,
    Citation,
    JointStatement,
    Meeting,
    ProceduralVote,
    Request,
    Source,
    Statement,
)

for _model in (Request, ProceduralVote, Ballot, Statement, JointStatement, Citation, Caveat, Source):
    pghistory.track(*trackers(), model_name=f"{_model.__name__}Event")(_model)
# `updated` moves on every save; a save that changes nothing else is not a change.
pghistory.track(*trackers(), model_name="MeetingEvent", exclude=["updated"])(Meeting)
for _through, _name in (
    (Request.requesters.through, "RequestRequestersEvent"),
    (JointStatement.states.through, "JointStatementStatesEvent"),
    (JointStatement.sources.through, "JointStatementSourcesEvent"),
    (Source.terms.through, "SourceTermsEvent"),
    (Source.presidencies.through, "SourcePresidenciesEvent"),
):
    # Link rows are only ever added or removed.
    pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), model_name=_name)(_through)

# Every tracked table, parents before children: the order a revert writes in (and deletes in reverse).
TRACKED = [
    State, CouncilTerm, Presidency, Source, Source.terms.through, Source.presidencies.through,
    Meeting, Request, ProceduralVote, Ballot, Statement, JointStatement, Citation, Caveat,
    Request.requesters.through, JointStatement.states.through, JointStatement.sources.through,
]
ROOTS = [Meeting, Source, State, CouncilTerm, Presidency]
LOADER, DATABASE = "loader", "database"
# What readers call a record where its model's name would puzzle them.
READER_NAMES = {"meetings.meeting": "event"}


def label_of(model):
    return model._meta.label_lower


def recorded(*, reason, user=None, actor=None, **extra):
    """A context for writes to the record: they are recorded with who made them and why.

    Nested inside another context (the admin's request), it adds to that one.
    """
    metadata = {"reason": reason, **extra}
    if user is not None:
        metadata["user"] = user.pk
        metadata["username"] = user.get_username()
    if actor is not None:
        metadata["actor"] = actor
    return pghistory.context(**metadata)


class ChangeRow(models.Model):
    """One recorded write to the record: a row of one of the event tables, read through a view."""

    id = models.TextField(primary_key=True)
    model = models.CharField("record", max_length=80)
    label = models.CharField("operation", max_length=10)
    created_at = models.DateTimeField("when")
    context_id = models.UUIDField(null=True)
    change = models.TextField()
    obj_id = models.BigIntegerField()
    root_model = models.CharField(max_length=80)
    root_id = models.BigIntegerField()
    primary = models.BooleanField()
    editor = models.CharField(max_length=150)
    reason = models.TextField()
    data = models.JSONField()
    previous = models.JSONField(null=True)

    class Meta:
        managed = False
        db_table = "meetings_changerow"
        ordering = ["-created_at", "-id"]
        verbose_name = "recent change"
        verbose_name_plural = "recent changes"

    def __str__(self):
        return f"{self.get_label_display()} {self.model_label}"

    def get_label_display(self):
        return {"insert": "added", "update": "changed", "delete": "removed"}.get(self.label, self.label)

    @property
    def tracked_model(self):
        return apps.get_model(self.model)

    @property
    def model_label(self):
        return model_name(self.tracked_model)

    def differences(self):
        """[(field name, before, after)] for the fields this write changed; values as stored."""
        return differences(self.tracked_model, self.label, self.data, self.previous)


def model_name(model):
    """"ballot", or for a link table the owner and the field: "request: requesters"."""
    meta = model._meta
    if meta.auto_created:
        owner = meta.auto_created
        m2m = next(f for f in owner._meta.many_to_many if f.remote_field.through is model)
        return f"{owner._meta.verbose_name}: {m2m.verbose_name}"
    return meta.verbose_name


def field_columns(model):
    """{column: field} for the fields a snapshot keeps."""
    return {f.column: f for f in model._meta.concrete_fields}


def differences(model, label, data, previous):
    columns = field_columns(model)
    pk = model._meta.pk.column
    rows = []
    for column, f in columns.items():
        if column == pk or column not in data:
            continue
        after = data.get(column) if label != "delete" else None
        before = (previous or {}).get(column) if label == "update" else (data.get(column) if label == "delete" else None)
        if label == "update" and before == after:
            continue
        if label == "insert" and after in (None, ""):
            continue
        if label == "delete" and before in (None, ""):
            continue
        rows.append((f, before, after))
    return rows


@dataclass
class Change:
    """The writes made under one context (or in one transaction, for SQL without one)."""

    key: str
    when: datetime.datetime
    editor: str
    reason: str
    rows: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"change-{self.when:%Y%m%d%H%M%S%f}"

    @property
    def public_reason(self):
        return self.reason or "No reason was recorded: the change was made directly in the database."

    def summary(self):
        """What changed, in a reader's words: "procedural vote (announced in favour); ballot (position)"."""
        parts = {}
        for row in self.rows:
            names = parts.setdefault(READER_NAMES.get(row.model, row.model_label), [])
            if row.label == "update":
                for f, _before, _after in row.differences():
                    if f.verbose_name not in names:
                        names.append(f.verbose_name)
            else:
                word = "added" if row.label == "insert" else "removed"
                if word not in names:
                    names.append(word)
        return "; ".join(f"{label} ({', '.join(names)})" if names else label for label, names in parts.items())


def group_changes(rows):
    """Rows (newest first) grouped into changes, newest first."""
    changes = {}
    for row in rows:
        change = changes.get(row.change)
        if change is None:
            change = changes[row.change] = Change(row.change, row.created_at, row.editor, row.reason)
        change.rows.append(row)
    return sorted(changes.values(), key=lambda c: c.when, reverse=True)


def rows_of(obj, where="", order="r.created_at DESC, r.id DESC", **params):
    """The change rows of one record (the view's rows with this root), read with the filter
    inside each event table: the view itself would scan and window the whole history.
    `where` is SQL on `r.` (the view's columns) with `%(name)s` for `params`."""
    sql = history_sql(label_of(type(obj))) + (f"WHERE {where}\n" if where else "") + f"ORDER BY {order}"
    return ChangeRow.objects.raw(sql, {"root_id": obj.pk, **params})


def history_of(obj):
    """Every change to one record (an event with all it holds, or a source, state, term, presidency)."""
    return group_changes(rows_of(obj))


def corrections_of(meeting):
    """Changes to an event after it entered the record, newest first (for readers: date and reason).

    The change that first put the event in the record is not a correction; a later one
    that puts it back after a deletion is.
    """
    # Which rows are corrections was decided as they were written (changerows.triggers_sql),
    # by the same rule: not the rows of the change that first put the event in the record.
    # Their keys first, by the root index: most events have none, and then that is all.
    return group_changes(correction_rows(
        "SELECT branch, pgh_id FROM meetings_correctionrow WHERE root_model = %(root)s AND root_id = %(root_id)s",
        {"root": label_of(Meeting), "root_id": meeting.pk}))


def correction_rows(keys_sql, params):
    """The change rows whose (branch, pgh_id) keys `keys_sql` selects from meetings_correctionrow,
    newest first: none without a second query when it selects none."""
    with connection.cursor() as cursor:
        cursor.execute(keys_sql, params)
        wanted = defaultdict(list)
        for branch, pgh_id in cursor.fetchall():
            wanted[branch].append(pgh_id)
    if not wanted:
        return []
    return ChangeRow.objects.raw(rows_sql(wanted), {f"b{n}": ids for n, ids in wanted.items()})


def recent_corrections(limit=50):
    """The latest corrections across the record: changes to records that already existed.

    The rows of a record's first creation (a new event with all it holds) are left out
    (meetings/changerows.py says how); of the rest, the `limit` changes with the latest rows.
    """
    changes = group_changes(correction_rows(corrections_sql(), {"limit": limit}))
    ids = {r.root_id for c in changes for r in c.rows if r.root_model == "meetings.meeting"}
    meetings = Meeting.objects.in_bulk(ids)
    # Work on a draft is not a correction readers can see: a change only to drafts is left out.
    drafts = {pk for pk, m in meetings.items() if not m.published}
    public = []
    for change in changes:
        if all(r.root_model == "meetings.meeting" and r.root_id in drafts for r in change.rows):
            continue
        change.meetings = sorted({meetings[r.root_id] for r in change.rows
                                  if r.root_model == "meetings.meeting" and r.root_id in meetings
                                  and r.root_id not in drafts}, key=lambda m: m.date)
        public.append(change)
    return public


def display_value(f, value, names):
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return dict(f.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def readable(changes):
    """Attach to each row `fields`: [(field label, before, after)] with related rows by name."""
    wanted = defaultdict(set)
    for change in changes:
        for row in change.rows:
            for f, before, after in row.differences():
                if f.is_relation:
                    wanted[f.related_model].update(v for v in (before, after) if v is not None)
    names = {}
    for model, ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = str(obj)
    for change in changes:
        for row in change.rows:
            row.fields = [(f.verbose_name, display_value(f, before, names), display_value(f, after, names))
                          for f, before, after in row.differences()]
    return changes


@dataclass
class EventCorrections:
    """What an event page says about its corrections: when last corrected, and each one's date and reason."""

    items: list
    report_url: str

    @property
    def last(self):
        return self.items[0].when if self.items else None

    @classmethod
    def of(cls, meeting):
        return cls(corrections_of(meeting), reverse("meetings:report", kwargs={"day": meeting.date}))


# -- Revert ---------------------------------------------------------------------------


def state_at(obj, when):
    """{(model label, object id): snapshot or None} of everything the record held just after `when`."""
    latest = {}
    for row in rows_of(obj, "r.created_at <= %(when)s", "r.created_at, r.id", when=when):
        latest[(row.model, row.obj_id)] = None if row.label == "delete" else row.data
    # Rows that came into being after `when` did not exist then.
    for row in rows_of(obj, "r.created_at > %(when)s", when=when):
        latest.setdefault((row.model, row.obj_id), None)
    return latest


def revert(obj, when, *, reason, user):
    """Put the record back as it was just after `when`, as a recorded change with its reason."""
    target = state_at(obj, when)
    order = [label_of(m) for m in TRACKED]
    with transaction.atomic(), recorded(reason=reason, user=user, reverted_to=when.isoformat()):
        for (label, obj_id), data in sorted(target.items(), key=lambda item: -order.index(item[0][0])):
            if data is None:
                apps.get_model(label)._default_manager.filter(pk=obj_id).delete()
        for (label, obj_id), data in sorted(target.items(), key=lambda item: order.index(item[0][0])):
            if data is None:
                continue
            model = apps.get_model(label)
            values = {f.attname: f.to_python(data[column]) for column, f in field_columns(model).items()
                      if column in data and not f.primary_key}
            current = model._default_manager.filter(pk=obj_id).first()
            if current is None:
                model(pk=obj_id, **values).save(force_insert=True)
            elif any(getattr(current, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(current, key, value)
                current.save()
