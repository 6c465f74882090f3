"""Every change to a table of the record bumps meetings_recordversion.

Statement-level triggers: one bump per INSERT, UPDATE, DELETE or TRUNCATE statement,
whatever made it (the admin, load_record, a migration, SQL by hand). The upsert also
recreates the row after a flush empties the table.
"""

from django.db import migrations

TABLES = [
    "council_state", "council_councilterm", "council_presidency",
    "meetings_source", "meetings_source_terms", "meetings_source_presidencies",
    "meetings_meeting", "meetings_request", "meetings_request_requesters", "meetings_proceduralvote",
    "meetings_ballot", "meetings_statement", "meetings_jointstatement", "meetings_jointstatement_states",
    "meetings_jointstatement_sources", "meetings_citation", "meetings_caveat",
]

FUNCTION = """
CREATE FUNCTION meetings_bump_record_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO meetings_recordversion (id, version, changed) VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET version = meetings_recordversion.version + 1, changed = clock_timestamp();
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

CREATE = FUNCTION + "".join(
    f"CREATE TRIGGER record_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION meetings_bump_record_version();\n"
    for table in TABLES
) + "INSERT INTO meetings_recordversion (id, version, changed) VALUES (1, 1, clock_timestamp()) ON CONFLICT DO NOTHING;\n"

DROP = "".join(f"DROP TRIGGER IF EXISTS record_version ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS meetings_bump_record_version();\n"
)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_record_version"), ("council", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
