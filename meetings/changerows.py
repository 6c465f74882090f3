"""The event tables read as change rows: the SQL behind `meetings.history.ChangeRow`.

The view `meetings_changerow` (migration 0006_history) puts every event table side by
side, each row with the snapshot before it (a window over the whole table). A filter on
the view cannot reach below that window, so every read of it scans and windows every
event table. The queries here are built from the same table list with the filter inside
each branch, and the snapshot before a row fetched for that row only (the previous row of
the same object, by `pgh_id`: what the view's LAG gives), so they cost what one record's
history costs, not what the whole history does.
"""

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

# For a root worked out by a subquery (a link row's owner, as it last stood), the rows that
# can belong to a record: found by index, before the subquery is run on each of them.
CANDIDATES = {
    "meetings_requestrequestersevent":
        "e.request_id IN (SELECT r.pgh_obj_id FROM meetings_requestevent r WHERE r.meeting_id = %(root_id)s)",
    **{f"meetings_jointstatement{name}event":
       "e.jointstatement_id IN (SELECT j.pgh_obj_id FROM meetings_jointstatementevent j WHERE j.meeting_id = %(root_id)s)"
       for name in ("states", "sources")},
}

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
