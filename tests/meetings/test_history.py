"""The history of the record: what the loader, the admin and plain SQL leave in it."""

import datetime
import json
import shutil

import pytest
from django.contrib.auth.models import User
from django.db import connection

from meetings.changerows import backfill_sql
from meetings.history import ChangeRow, corrections_of, history_of, recent_corrections, recorded
from meetings.models import Capacity, Meeting, RecordVersion
from meetings.record import RECORD_DIR, load
from tests.factories import make_meeting, make_statement

pytestmark = pytest.mark.django_db


def copy_of_the_record(tmp_path):
    shutil.copytree(RECORD_DIR, tmp_path / "record")
    return tmp_path / "record"


def test_a_reload_of_the_same_files_records_nothing(record):
    before = ChangeRow.objects.count()
    load()
    assert ChangeRow.objects.count() == before


def test_a_changed_file_is_recorded_as_the_loaders_change_and_only_that(record, tmp_path):
    directory = copy_of_the_record(tmp_path)
    path = directory / "events" / "2014-12-22.json"
    event = json.loads(path.read_text())
    event["title"] = "A corrected title"
    event["vote"]["announced"] = {"in_favour": 12, "against": 2, "abstaining": 1}
    chad = "TCD"
    event["vote"]["abstaining"].remove(chad)
    event["vote"]["in_favour"].append(chad)
    path.write_text(json.dumps(event, indent=1, ensure_ascii=False) + "\n")
    before = ChangeRow.objects.count()

    load(directory, reason="Chad voted in favour (S/PV.7353, p. 2)")

    rows = list(ChangeRow.objects.order_by("model").exclude(pk__in=[]).filter(created_at__gte=ChangeRow.objects.latest("created_at").created_at))
    assert ChangeRow.objects.count() == before + 3
    assert {(r.model, r.label) for r in rows} == {("meetings.meeting", "update"), ("meetings.proceduralvote", "update"),
                                                  ("meetings.ballot", "update")}
    assert {r.editor for r in rows} == {"loader"} and {r.reason for r in rows} == {"Chad voted in favour (S/PV.7353, p. 2)"}
    ballot = next(r for r in rows if r.model == "meetings.ballot")
    assert [(f.name, before, after) for f, before, after in ballot.differences()] == [("position", "abstaining", "in_favour")]

    meeting = Meeting.objects.get(date="2014-12-22")
    (correction,) = corrections_of(meeting)
    assert correction.reason == "Chad voted in favour (S/PV.7353, p. 2)"
    assert "ballot (position)" in correction.summary()
    assert recent_corrections()[0].reason == correction.reason
    # The first load of the event is its history, not a correction.
    assert len(history_of(meeting)) == 2


def test_sql_by_hand_is_recorded_as_the_databases(record):
    meeting = Meeting.objects.get(date="2016-12-09")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_meeting SET title = 'Changed by hand' WHERE id = %s", [meeting.pk])
    (change,) = corrections_of(meeting)
    assert change.editor == "database" and change.reason == ""
    (row,) = change.rows
    assert [(f.name, after) for f, _before, after in row.differences()] == [("title", "Changed by hand")]


def test_a_reload_that_changes_nothing_keeps_the_record_version_and_cached_pages(record):
    before = RecordVersion.current()
    load()
    assert RecordVersion.current() == before


def test_the_cached_event_page_shows_a_correction_as_soon_as_it_is_made(client, record):
    url = "/meetings/2016-12-09/"
    assert "No correction has been made to this record" in client.get(url).text
    meeting = Meeting.objects.get(date="2016-12-09")
    meeting.title = "A better title"
    with recorded(reason="Title shortened", user=User.objects.create_user("someone")):
        meeting.save()
    page = client.get(url).text
    assert "This record was last corrected on" in page and "Title shortened" in page
    assert "someone" not in page
    changes = client.get("/changes/").text
    assert "Title shortened" in changes and 'href="/meetings/2016-12-09/#corrections"' in changes


def kept_corrections():
    with connection.cursor() as cursor:
        cursor.execute("SELECT branch, pgh_id, change, root_model, root_id FROM meetings_correctionrow ORDER BY 1, 2")
        rows = cursor.fetchall()
        cursor.execute("SELECT root_model, root_id, first_seen, created_by FROM meetings_historyroot ORDER BY 1, 2")
        return rows, cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_corrections_kept_as_rows_are_written_are_those_the_whole_history_gives(client, record):
    """The triggers decide as each row is written what migration 0011 works out from the history
    already recorded; a difference would show readers a creation as a correction, or hide one."""
    admin = User.objects.create_superuser("admin", "admin@example.org", "a long passphrase")
    client.force_login(admin)
    meeting = Meeting.objects.get(date="2014-12-22")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_meeting SET title = 'Changed by hand' WHERE id = %s", [meeting.pk])
    with recorded(reason="A new event"):
        new = make_meeting(day=datetime.date(2030, 1, 2))
        make_statement(new, capacity=Capacity.BRIEFER)
    client.post(f"/admin/meetings/meeting/{meeting.pk}/delete/", {"post": "yes", "change_reason": "Deleted by mistake"})
    client.post(f"/admin/meetings/meeting/{meeting.pk}/history/revert/",
                {"version": history_of(meeting)[1].key, "change_reason": "Restore the 2014 meeting"})

    reasons = [c.reason for c in recent_corrections()]
    assert reasons[:3] == ["Restore the 2014 meeting", "Deleted by mistake", ""] and "A new event" not in reasons
    # An event page's corrections (read from the kept rows) are its whole history less the
    # change that first put it in the record.
    for event in (meeting, new):
        history = history_of(event)
        assert [c.key for c in corrections_of(event)] == [c.key for c in history[:-1]], event.date
    assert [c.reason for c in corrections_of(meeting)][:3] == ["Restore the 2014 meeting", "Deleted by mistake", ""]
    assert corrections_of(new) == []
    kept = kept_corrections()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE meetings_correctionrow, meetings_historyroot")
        cursor.execute(backfill_sql())
    assert kept_corrections() == kept
