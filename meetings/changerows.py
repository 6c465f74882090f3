"""The event tables read as change rows: the SQL behind `meetings.history.ChangeRow`.

The view `meetings_changerow` (migration 0006_history) puts every event table side by
side, each row with the snapshot before it (a window over the whole table). A filter on
the view cannot reach below that window, so every read of it scans and windows every
event table. The queries here are built from the same table list with the filter inside
each branch, and the snapshot before a row fetched for that row only (the previous row of
the same object, by `pgh_id`: what the view's LAG gives), so they cost what one record's
history costs, not what the whole history does.
"""

import re

# Every event table with the record it belongs to ("root"): see meetings/history.py.
EVENT_TABLES = [
    # (event table, model, root model, root id, primary)
    ("meetings_meetingevent", "meetings.meeting", "meetings.meeting", "e.pgh_obj_id", True),
    *[(f"meetings_{name}event", f"meetings.{name}", "meetings.meeting", "e.meeting_id", True)
      for name in ("request", "proceduralvote", "ballot", "statement", "jointstatement", "citation", "caveat")],
    ("meetings_requestrequestersevent", "meetings.request_requesters", "meetings.meeting",
     "(SELECT r.meeting_id FROM meetings_requestevent r WHERE r.pgh_obj_id = e.request_id ORDER BY r.pgh_id DESC LIMIT 1)", True),
    *[(f"meetings_jointstatement{name}event", f"meetings.jointstatement_{name}", "meetings.meeting",
       "(SELECT j.meeting_id FROM meetings_jointstatementevent j WHERE j.pgh_obj_id = e.jointstatement_id "
       "ORDER BY j.pgh_id DESC LIMIT 1)", True) for name in ("states", "sources")],
    ("meetings_sourceevent", "meetings.source", "meetings.source", "e.pgh_obj_id", True),
    ("meetings_sourcetermsevent", "meetings.source_terms", "meetings.source", "e.source_id", True),
    ("meetings_sourcetermsevent", "meetings.source_terms", "council.councilterm", "e.councilterm_id", False),
    ("meetings_sourcepresidenciesevent", "meetings.source_presidencies", "meetings.source", "e.source_id", True),
    ("meetings_sourcepresidenciesevent", "meetings.source_presidencies", "council.presidency", "e.presidency_id", False),
    ("council_stateevent", "council.state", "council.state", "e.pgh_obj_id", True),
    ("council_counciltermevent", "council.councilterm", "council.councilterm", "e.pgh_obj_id", True),
    ("council_presidencyevent", "council.presidency", "council.presidency", "e.pgh_obj_id", True),
    ("council_termcaveatevent", "council.termcaveat", "council.councilterm", "e.term_id", True),
]

# The link tables whose root is worked out by a subquery (their owner's event, as it last
# stood): (owner's event table, the link's column for the owner). Used to find a record's
# link rows by index, and to join each link row to its owner's last event in one pass.
OWNERS = {
    "meetings_requestrequestersevent": ("meetings_requestevent", "request_id"),
    "meetings_jointstatementstatesevent": ("meetings_jointstatementevent", "jointstatement_id"),
    "meetings_jointstatementsourcesevent": ("meetings_jointstatementevent", "jointstatement_id"),
}
CANDIDATES = {table: f"e.{column} IN (SELECT o.pgh_obj_id FROM {owner} o WHERE o.meeting_id = %(root_id)s)"
              for table, (owner, column) in OWNERS.items()}


# Who made a change and why, from its context; shared by the view and the queries below.
COLUMNS = """SELECT r.id, r.model, r.label, r.created_at, r.context_id,
       COALESCE(r.context_id::text, 'db:' || r.created_at::text) AS change,
       r.obj_id, r.root_model, r.root_id, r."primary",
       CASE WHEN c.id IS NULL THEN 'database'
            WHEN c.metadata->>'actor' = 'loader' THEN 'loader'
            WHEN c.metadata->>'user' IS NOT NULL
                THEN COALESCE(u.username, c.metadata->>'username', 'user #' || (c.metadata->>'user'))
            ELSE 'database' END AS editor,
       COALESCE(c.metadata->>'reason', '') AS reason,
       r.data, r.previous"""
JOINS = """LEFT JOIN pghistory_context c ON c.id = r.context_id
LEFT JOIN auth_user u ON u.id::text = c.metadata->>'user'"""


def _keys(model, root, root_id, primary):
    return (f"SELECT '{model}:' || e.pgh_id || ':{root}' AS id, '{model}'::varchar AS model, e.pgh_label AS label, "
            f"e.pgh_created_at AS created_at, e.pgh_context_id AS context_id, e.pgh_obj_id::bigint AS obj_id, "
            f"'{root}'::varchar AS root_model, ({root_id})::bigint AS root_id, {str(primary).lower()} AS \"primary\"")


def view_sql():
    """The view, as migration 0006_history created it."""
    branches = "\nUNION ALL\n".join(
        f"{_keys(model, root, root_id, primary)}, "
        f"to_jsonb(e) AS data, LAG(to_jsonb(e)) OVER (PARTITION BY e.pgh_obj_id ORDER BY e.pgh_id) AS previous "
        f"FROM {table} e"
        for table, model, root, root_id, primary in EVENT_TABLES
    )
    return f"CREATE VIEW meetings_changerow AS\n{COLUMNS}\nFROM (\n{branches}\n) r\n{JOINS};\n"


def _branch(table, model, root, root_id, primary, where):
    return (f"{_keys(model, root, root_id, primary)}, to_jsonb(e) AS data, "
            f"(SELECT to_jsonb(p) FROM {table} p WHERE p.pgh_obj_id = e.pgh_obj_id AND p.pgh_id < e.pgh_id "
            f"ORDER BY p.pgh_id DESC LIMIT 1) AS previous "
            f"FROM {table} e WHERE {where}")


def history_sql(root_model):
    """The rows of one record's history (the view's rows with this root), as SQL taking
    `%(root_id)s`; the caller adds its WHERE (on `r.`) and ORDER BY after it."""
    branches = "\nUNION ALL\n".join(
        _branch(table, model, root, root_id, primary,
                " AND ".join(filter(None, [CANDIDATES.get(table), f"({root_id}) = %(root_id)s"])))
        for table, model, root, root_id, primary in EVENT_TABLES if root == root_model
    )
    return f"{COLUMNS}\nFROM (\n{branches}\n) r\n{JOINS}\n"


def _primary():
    return [(n, entry) for n, entry in enumerate(EVENT_TABLES) if entry[4]]


def _root_by_join(table, root_id):
    return "o.meeting_id::bigint" if table in OWNERS else f"({root_id})::bigint"


def _owner_join(table):
    """The owner's last event (what the root subquery reads), joined once rather than looked up per row."""
    if table not in OWNERS:
        return ""
    owner, column = OWNERS[table]
    return (f" LEFT JOIN (SELECT DISTINCT ON (pgh_obj_id) pgh_obj_id, meeting_id FROM {owner} "
            f"ORDER BY pgh_obj_id, pgh_id DESC) o ON o.pgh_obj_id = e.{column}")


def _keys_sql():
    return "\nUNION ALL\n".join(
        f"SELECT {n} AS b, e.pgh_id, COALESCE(e.pgh_context_id::text, 'db:' || e.pgh_created_at::text) AS change, "
        f"e.pgh_created_at AS created_at, '{model}' AS model, e.pgh_obj_id::bigint AS obj_id, "
        f"'{root}' AS root_model, {_root_by_join(table, root_id)} AS root_id, e.pgh_label AS label FROM {table} e"
        f"{_owner_join(table)}"
        for n, (table, model, root, root_id, _primary_) in _primary()
    )


def backfill_sql():
    """Fills the two tables that `corrections_sql` reads from the history already recorded
    (migration 0011_correction_rows): each root's first moment and the change that created
    it, and every row of a change to a record that already existed.

    A correction is a change (rows under one context, or without one in one transaction)
    to a record that already existed: a row is left out when its change is the one that
    first put its record (its root) in the history, with an insert of the root itself at
    the root's first moment.
    """
    return f"""WITH k AS MATERIALIZED (
{_keys_sql()}
), first AS (
    SELECT root_model, root_id, min(created_at) AS first_seen FROM k WHERE root_id IS NOT NULL
    GROUP BY root_model, root_id
), created AS (
    SELECT DISTINCT ON (k.root_model, k.root_id) k.root_model, k.root_id, f.first_seen, k.change FROM first f
    LEFT JOIN k ON f.root_model = k.root_model AND f.root_id = k.root_id AND f.first_seen = k.created_at
        AND k.label = 'insert' AND k.model = k.root_model AND k.obj_id = k.root_id
    ORDER BY k.root_model, k.root_id, k.pgh_id
), roots AS (
    INSERT INTO meetings_historyroot (root_model, root_id, first_seen, created_by)
    SELECT root_model, root_id, first_seen, change FROM created
)
INSERT INTO meetings_correctionrow (branch, pgh_id, change, created_at, root_model, root_id)
SELECT k.b, k.pgh_id, k.change, k.created_at, k.root_model, k.root_id FROM k WHERE NOT EXISTS (
    SELECT 1 FROM created c WHERE c.root_model = k.root_model AND c.root_id = k.root_id AND c.change = k.change)"""


CORRECTION_TABLES = """CREATE TABLE meetings_historyroot (
    root_model varchar(100) NOT NULL,
    root_id bigint NOT NULL,
    first_seen timestamptz NOT NULL,
    created_by text,
    PRIMARY KEY (root_model, root_id)
);
CREATE TABLE meetings_correctionrow (
    id bigserial PRIMARY KEY,
    branch smallint NOT NULL,
    pgh_id bigint NOT NULL,
    change text NOT NULL,
    created_at timestamptz NOT NULL,
    root_model varchar(100) NOT NULL,
    root_id bigint
);
CREATE INDEX meetings_correctionrow_created ON meetings_correctionrow (created_at DESC);
CREATE INDEX meetings_correctionrow_change ON meetings_correctionrow (change);
CREATE INDEX meetings_correctionrow_root ON meetings_correctionrow (root_model, root_id, change);
"""


def triggers_sql():
    """A trigger on each event table that keeps the two tables up to date as rows are written.

    Each row updates its root's first moment (and, for an insert of the root itself at that
    moment, the change that created it), and is kept as a correction row unless its change
    created its root. A record's rows may come before the insert of the record itself in one
    change (foreign keys are checked at commit), so that insert also takes back the rows of
    its own change that were kept before it.
    """
    parts = []
    for n, (table, model, root, root_id, _primary_) in _primary():
        root_expr = re.sub(r"\be\.", "NEW.", root_id)
        parts.append(f"""CREATE FUNCTION meetings_correction_{n}() RETURNS trigger AS $$
DECLARE
    rid bigint := ({root_expr})::bigint;
    ch text := COALESCE(NEW.pgh_context_id::text, 'db:' || NEW.pgh_created_at::text);
    creates boolean := NEW.pgh_label = 'insert' AND '{model}' = '{root}' AND NEW.pgh_obj_id::bigint = rid;
    h meetings_historyroot;
BEGIN
    IF rid IS NOT NULL THEN
        INSERT INTO meetings_historyroot AS r (root_model, root_id, first_seen, created_by)
        VALUES ('{root}', rid, NEW.pgh_created_at, CASE WHEN creates THEN ch END)
        ON CONFLICT (root_model, root_id) DO UPDATE SET
            first_seen = LEAST(r.first_seen, EXCLUDED.first_seen),
            created_by = CASE WHEN EXCLUDED.first_seen < r.first_seen THEN EXCLUDED.created_by
                              WHEN EXCLUDED.first_seen = r.first_seen THEN COALESCE(r.created_by, EXCLUDED.created_by)
                              ELSE r.created_by END
        RETURNING * INTO h;
        IF creates AND h.created_by = ch THEN
            DELETE FROM meetings_correctionrow
            WHERE root_model = '{root}' AND root_id = rid AND change = ch;
        END IF;
        IF h.created_by IS NOT DISTINCT FROM ch THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO meetings_correctionrow (branch, pgh_id, change, created_at, root_model, root_id)
    VALUES ({n}, NEW.pgh_id, ch, NEW.pgh_created_at, '{root}', rid);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER meetings_correction_{n} AFTER INSERT ON {table}
    FOR EACH ROW EXECUTE FUNCTION meetings_correction_{n}();
""")
    return "\n".join(parts)


def triggers_drop_sql():
    return "\n".join(f"DROP TRIGGER IF EXISTS meetings_correction_{n} ON {table};\n"
                     f"DROP FUNCTION IF EXISTS meetings_correction_{n}();"
                     for n, (table, *_rest) in _primary())


def corrections_sql():
    """The rows of the latest `%(limit)s` corrections, as (branch number, pgh_id) pairs.

    Which rows are corrections is worked out as they are written (`triggers_sql`), so this
    reads only the correction rows, newest changes first, never the whole history.
    """
    return """WITH shown AS (
    SELECT change FROM meetings_correctionrow GROUP BY change ORDER BY max(created_at) DESC LIMIT %(limit)s
)
SELECT branch, pgh_id FROM meetings_correctionrow WHERE change IN (SELECT change FROM shown)"""


def rows_sql(pgh_ids):
    """The change rows with these pgh_ids ({branch number: [pgh_id]}), newest first, as the
    view gives them; the SQL takes `%(bN)s` for each branch number N."""
    branches = "\nUNION ALL\n".join(
        _branch(*EVENT_TABLES[n], f"e.pgh_id = ANY(%(b{n})s)") for n in sorted(pgh_ids)
    )
    return f"{COLUMNS}\nFROM (\n{branches}\n) r\n{JOINS}\nORDER BY r.created_at DESC, r.id DESC"
