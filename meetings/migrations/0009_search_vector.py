"""Stored, GIN-indexed search vectors, kept current by PostgreSQL itself.

An event's vector is a generated column (title weighted A, summary B). A statement's
also holds its state's names, from another table, so a trigger computes it on every
insert and update, and a state's rename recomputes its statements'. Writes by any route
(the admin, the loader, SQL) keep them current; search no longer builds a vector for
every row on every query (meetings/search.py).
"""

from django.db import migrations

CREATE = """
ALTER TABLE meetings_meeting ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
) STORED;
CREATE INDEX meetings_meeting_search_vector ON meetings_meeting USING gin (search_vector);

ALTER TABLE meetings_statement ADD COLUMN search_vector tsvector;
CREATE FUNCTION meetings_statement_search_vector() RETURNS trigger AS $$
DECLARE
    state_names text;
BEGIN
    SELECT concat_ws(' ', short_name, name) INTO state_names FROM council_state WHERE id = NEW.state_id;
    NEW.search_vector :=
        setweight(to_tsvector('english'::regconfig, concat_ws(' ', state_names, NEW.office, NEW.speaker)), 'A')
        || setweight(to_tsvector('english'::regconfig, concat_ws(' ', NEW.summary, NEW.quotation)), 'B');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER search_vector BEFORE INSERT OR UPDATE ON meetings_statement
    FOR EACH ROW EXECUTE FUNCTION meetings_statement_search_vector();

CREATE FUNCTION meetings_state_renamed() RETURNS trigger AS $$
BEGIN
    UPDATE meetings_statement SET search_vector = NULL WHERE state_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER statement_search_vector AFTER UPDATE OF short_name, name ON council_state
    FOR EACH ROW WHEN (OLD.short_name IS DISTINCT FROM NEW.short_name OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION meetings_state_renamed();

UPDATE meetings_statement SET search_vector = NULL;
CREATE INDEX meetings_statement_search_vector ON meetings_statement USING gin (search_vector);
"""

DROP = """
DROP TRIGGER IF EXISTS statement_search_vector ON council_state;
DROP FUNCTION IF EXISTS meetings_state_renamed();
DROP TRIGGER IF EXISTS search_vector ON meetings_statement;
DROP FUNCTION IF EXISTS meetings_statement_search_vector();
ALTER TABLE meetings_statement DROP COLUMN IF EXISTS search_vector;
ALTER TABLE meetings_meeting DROP COLUMN IF EXISTS search_vector;
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0008_history_of_published"), ("council", "0004_icu_order")]

    operations = [migrations.RunSQL(CREATE, DROP)]
