"""The reader reproduces what the shipped record holds for this item's verbatim records."""

import json
import re
from pathlib import Path

import pytest

from meetings.verbatim import read_text

RECORDS = Path(__file__).parent / "records"
EVENTS = Path(__file__).resolve().parents[3] / "meetings" / "record" / "events"
SHIPPED = {"S/PV.7353": "2014-12-22", "S/PV.7575": "2015-12-10", "S/PV.7830": "2016-12-09", "S/PV.8130": "2017-12-11",
           "S/PV.9398": "2023-08-17"}


def surname_matches(read, held):
    """"Mr. Al-Hussein" is the record's "Zeid Ra’ad Al Hussein"; "Sir Mark Lyall Grant" its "Mark Lyall Grant"."""
    def words(name):
        return re.sub(r"^(Mr|Ms|Mrs|Sir)\.? ", "", name).replace("-", " ").split()
    return words(held)[-len(words(read)):] == words(read)


@pytest.mark.parametrize("symbol", sorted(SHIPPED))
def test_reader_reproduces_the_shipped_record(symbol):
    event = json.loads((EVENTS / f"{SHIPPED[symbol]}.json").read_text(encoding="utf-8"))
    record = read_text((RECORDS / f"{symbol.replace('/', '-')}.txt").read_text(encoding="utf-8"))

    assert record.problems == []
    assert (record.symbol, record.meeting_number, record.date.isoformat()) == (symbol, event["meeting_number"], event["date"])
    vote = event["vote"]
    if vote is None:
        assert record.vote is None
        assert len(record.members) == 15
    else:
        for position in ("in_favour", "against", "abstaining", "not_participating"):
            assert getattr(record.vote, position) == sorted(vote[position]), position
        assert record.vote.announced == vote["announced"]
        assert record.members == sorted(sum((vote[p] for p in ("in_favour", "against", "abstaining", "not_participating")), []))
    assert record.president["state"] == next(s["state"] for s in event["statements"] if s["capacity"] == "president")

    held = event["statements"]
    assert len(record.speakers) == len(held)
    for read, statement in zip(record.speakers, held, strict=True):
        assert (read.order, read.capacity, read.state) == (statement["order"], statement["capacity"], statement["state"])
        assert read.page == statement["page"], read
        assert read.before_vote == {"before_vote": True, "after_vote": False, "no_vote": None}[statement["timing"]]
        if not read.name.startswith("The "):
            assert surname_matches(read.name, statement["speaker"]), (read.name, statement["speaker"])
