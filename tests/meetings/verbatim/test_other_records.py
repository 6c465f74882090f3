"""Records of other items and years, checked against answers extracted by hand (`*.answer.json`).

The answers were written from the record's text, not from the reader's output. Where the
reader is known to be wrong, the wrong reading is written down here, so that a fix (or a
new mistake) shows up as a failing test and the figures in docs/verbatim.md stay true.
"""

import json
from pathlib import Path

import pytest

from meetings.verbatim import read_text

OTHER = Path(__file__).parent / "other"
NAMES = sorted(p.name.removesuffix(".answer.json") for p in OTHER.glob("*.answer.json"))

# (record, speaker order) -> what the reader gives instead of the answer, and why.
KNOWN_MISREADS = {
    # Myanmar's Special Envoy spoke as "Mr. Tun:", with no state in his line, after being
    # welcomed by name; a line without a state is read as a briefer's (rule 39).
    ("S-PV.8060", 17): {"order": 17, "name": "Mr. Tun", "state": None, "capacity": "briefer", "language": None},
}


def score(read, answer):
    """Figures for docs/verbatim.md: ballots right, speakers right, order right."""
    ballots = total = 0
    if answer["vote"]:
        for position in ("in_favour", "against", "abstaining", "not_participating"):
            for iso3 in answer["vote"][position]:
                total += 1
                ballots += bool(read["vote"]) and iso3 in read["vote"][position]
    speakers = sum(1 for r, a in zip(read["speakers"], answer["speakers"]) if r == a)
    order = [s["name"] for s in read["speakers"]] == [s["name"] for s in answer["speakers"]]
    return {"ballots": (ballots, total), "speakers": (speakers, len(answer["speakers"])), "order": order}


@pytest.mark.parametrize("name", NAMES)
def test_reader_agrees_with_the_hand_extracted_answer(name):
    answer = json.loads((OTHER / f"{name}.answer.json").read_text(encoding="utf-8"))
    record = read_text((OTHER / f"{name}.txt").read_text(encoding="utf-8"))
    read = record.as_json()

    assert record.problems == []
    for field in ("symbol", "meeting_number", "date", "president", "members", "vote"):
        assert read[field] == answer[field], field
    assert len(read["speakers"]) == len(answer["speakers"])
    for got, expected in zip(read["speakers"], answer["speakers"]):
        assert got == KNOWN_MISREADS.get((name, expected["order"]), expected)


def test_the_hand_answers_cover_what_the_issue_asks_for():
    answers = {name: json.loads((OTHER / f"{name}.answer.json").read_text(encoding="utf-8")) for name in NAMES}
    votes = [a["vote"] for a in answers.values() if a["vote"]]
    assert len(answers) >= 8
    assert any(not v["adopted"] and v["announced"]["in_favour"] < 9 for v in votes)  # a procedural vote that failed
    assert any(a["vote"] and a["vote"]["announced"]["in_favour"] == 15 for a in answers.values())  # a draft resolution
    assert any(a["vote"] is None for a in answers.values())
    assert any("Resumption" in a["symbol"] for a in answers.values())
    speakers = [s for a in answers.values() for s in a["speakers"]]
    assert {"non_member", "briefer", "president"} <= {s["capacity"] for s in speakers}
    years = {int(a["date"][:4]) for a in answers.values()}
    assert min(years) >= 2006 and max(years) <= 2024 and len(years) >= 5
