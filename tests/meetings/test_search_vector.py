"""Search reads vectors that PostgreSQL stores and keeps current, however the record is written."""

import pytest
from django.db import connection

from council.models import State

pytestmark = pytest.mark.django_db


def stored_vectors_in_use():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM meetings_statement WHERE search_vector IS NULL")
        missing = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM meetings_meeting WHERE search_vector IS NULL")
        return missing + cursor.fetchone()[0]


def test_every_row_has_its_vector(record):
    assert stored_vectors_in_use() == 0


def test_a_renamed_state_is_found_under_its_new_name(client, record):
    assert "Ruritania:" not in client.get("/search/?q=Ruritania").content.decode()
    State.objects.filter(iso3="CHN").update(short_name="Ruritania")
    page = client.get("/search/?q=Ruritania").content.decode()
    assert "Ruritania:" in page


def test_an_event_written_with_sql_is_found(client, record):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_meeting SET summary = summary || ' Zanzibarian marmalade.' "
                       "WHERE date = '2016-12-09'")
    assert "/meetings/2016-12-09/" in client.get("/search/?q=marmalade").content.decode()


def test_search_uses_the_index_when_the_record_is_large(record):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM meetings_statement WHERE search_vector @@ "
                       "websearch_to_tsquery('english', 'forced labour')")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "meetings_statement_search_vector" in plan
