"""The round trip: the shipped record, dumped, loaded into an empty database and dumped again."""

import json

import pytest
from django.core.management import call_command

from council.models import CouncilTerm, Presidency, State
from meetings.models import Meeting, Source
from meetings.record import RECORD_DIR, dump, load

pytestmark = pytest.mark.django_db


def files(directory):
    """Every record file under `directory` (the README aside), by relative path, as bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*.json"))}


def delete_the_record():
    Meeting.objects.all().delete()  # and with them every ballot, statement, citation and caveat
    Presidency.objects.all().delete()
    CouncilTerm.objects.all().delete()
    Source.objects.all().delete()
    State.objects.all().delete()


def meetings_json(client):
    data = json.loads(client.get("/data/meetings.json").content)
    del data["generated"]
    return data


def test_round_trip_gives_the_same_files_and_the_same_data(client, record, tmp_path):
    before = meetings_json(client)
    first, second = tmp_path / "a", tmp_path / "b"
    call_command("dump_record", dir=str(first))
    delete_the_record()
    assert not Meeting.objects.exists() and not State.objects.exists()
    load(first)
    call_command("dump_record", dir=str(second))

    dumped = files(first)
    assert dumped == files(second)
    # The shipped files are themselves a dump: byte for byte the same.
    assert dumped == files(RECORD_DIR) and len(dumped) == 2 + Meeting.objects.count()
    assert meetings_json(client) == before


def test_dump_is_in_the_shipped_format(record, tmp_path):
    dump(tmp_path)
    event = (tmp_path / "events" / "2014-12-22.json").read_text(encoding="utf-8")
    assert event == json.dumps(json.loads(event), indent=1, ensure_ascii=False) + "\n"
    assert json.loads(event)["vote"]["against"] == ["CHN", "RUS"]
    assert "Côte d'Ivoire" in (tmp_path / "council.json").read_text(encoding="utf-8")


def test_dump_record_removes_events_no_longer_in_the_database(record, tmp_path, capsys):
    dump(tmp_path)
    Meeting.objects.filter(date="2019-12-10").delete()
    call_command("dump_record", dir=str(tmp_path))
    assert not (tmp_path / "events" / "2019-12-10.json").exists()
    assert "Removed events/2019-12-10.json" in capsys.readouterr().out
    delete_the_record()
    load(tmp_path)
    assert Meeting.objects.count() == 11
