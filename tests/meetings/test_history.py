"""The history of the record: what the loader, the admin and plain SQL leave in it."""

import json
import shutil

import pytest
from django.contrib.auth.models import User
from django.db import connection

from meetings.history import ChangeRow, corrections_of, history_of, recent_corrections, recorded
from meetings.models import Meeting, RecordVersion
from meetings.record import RECORD_DIR, load

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
