from django.db import migrations

from meetings.changerows import CORRECTION_TABLES, backfill_sql, triggers_drop_sql, triggers_sql

# The SQL lives in meetings/changerows.py beside the queries that read these tables.
TRIGGERS = triggers_sql()
TRIGGERS_DROP = triggers_drop_sql()


class Migration(migrations.Migration):
    """Which recorded changes are corrections, kept as rows are written, so that the feed and
    /changes/ read the latest corrections without reading the whole history."""

    dependencies = [
        ("meetings", "0010_statement_state_meeting"),
    ]

    operations = [
        migrations.RunSQL(CORRECTION_TABLES, "DROP TABLE meetings_correctionrow; DROP TABLE meetings_historyroot;"),
        migrations.RunSQL(backfill_sql(), migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, TRIGGERS_DROP),
    ]
