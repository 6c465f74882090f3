"""A ballot can only come from a state that sat on the Council on the day of its vote.

This rule spans three tables (ballot, meeting, council terms), which a CHECK
constraint cannot see, so PostgreSQL holds it with a trigger; Ballot.clean() says the same
in words an editor can act on.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION meetings_ballot_state_on_council() RETURNS trigger AS $$
DECLARE
    day date;
BEGIN
    SELECT m.date INTO day FROM meetings_meeting m WHERE m.id = NEW.meeting_id;
    IF NOT EXISTS (
        SELECT 1 FROM council_councilterm t
         WHERE t.state_id = NEW.state_id AND t.start <= day AND (t."end" IS NULL OR t."end" >= day)
    ) THEN
        RAISE EXCEPTION 'ballot_state_on_council: state % was not on the Council on %', NEW.state_id, day
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ballot_state_on_council
BEFORE INSERT OR UPDATE OF state_id, meeting_id ON meetings_ballot
FOR EACH ROW EXECUTE FUNCTION meetings_ballot_state_on_council();
"""

DROP = """
DROP TRIGGER IF EXISTS ballot_state_on_council ON meetings_ballot;
DROP FUNCTION IF EXISTS meetings_ballot_state_on_council();
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial"), ("council", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
