"""The UN's printed names of states, and how the reader uses them."""

from pathlib import Path

import pytest

from meetings.verbatim import names, read_text

RECORDS = Path(__file__).parent / "records"


def test_every_member_state_and_both_observers_have_a_code():
    codes = names.official_names()
    assert len(codes) == 195  # 193 Member States, the Holy See and the State of Palestine
    assert codes["VAT"] == "Holy See" and codes["PSE"] == "State of Palestine"
    assert len(set(codes.values())) == 195


@pytest.mark.parametrize("printed, code", [
    ("Bolivia (Plurinational State of)", "BOL"),
    ("Plurinational State of Bolivia", "BOL"),
    ("Côte d’Ivoire", "CIV"),
    ("Côte d'Ivoire", "CIV"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("United Kingdom of Great Britain and\nNorthern Ireland", "GBR"),
    ("Democratic People’s Republic of Korea", "PRK"),
    ("Venezuela (Bolivarian Republic of)", "VEN"),
    ("the former Yugoslav Republic of Macedonia", "MKD"),
    ("Türkiye", "TUR"),
])
def test_printed_names_map_to_codes(printed, code):
    assert names.code_for(printed) == code


def test_an_unknown_name_is_not_guessed():
    assert names.code_for("Republic of Atlantis") is None
    assert names.code_for("Korea") is None  # two states could be meant


def test_lists_split_on_commas_and_and_but_not_inside_names():
    codes, unknown = names.split_list(
        "Bosnia and Herzegovina, Trinidad and Tobago, United Kingdom of Great Britain and Northern Ireland and "
        "Saint Vincent and the Grenadines"
    )
    assert codes == ["BIH", "TTO", "GBR", "VCT"] and unknown == []
    codes, unknown = names.split_list("China, Atlantis and Russian Federation")
    assert codes == ["CHN", "RUS"] and unknown == ["Atlantis"]


def cover(members):
    """A record's text with the given member lines on its cover page and nothing after the vote."""
    return "\n".join([
        "S/PV.9999", "", "United Nations", "", "Security Council", "", "9999th meeting", "",
        "Monday, 3 June 2024, 10 a.m.", "", "President:", "", "Mr. Somebody . . . . . . . . . . (Chad)", "",
        "Members:", "", *members, "", "Mr. One", "Mr. Two", "", "Agenda", "Some item", "", "24-00001 (E)", "",
        "S/PV.9999", "", "The meeting was called to order at 10 a.m.", "The agenda was adopted.",
        "The meeting rose at 10.05 a.m.",
    ])


def test_a_member_name_wrapped_over_two_lines_on_the_cover_page():
    record = read_text(cover([
        "China . . . . . . . . . . . . . . .",
        "United Kingdom of Great Britain and",
        "Northern Ireland . . . . . . . . . .",
        "Côte d’Ivoire . . . . . . . . . . . .",
    ]))
    assert record.members == ["CHN", "CIV", "GBR", "TCD"]
    assert record.problems == []


def test_an_unknown_member_is_reported_not_guessed():
    record = read_text(cover(["China . . . . . . . .", "Freedonia . . . . . . . ."]))
    assert record.members == ["CHN", "TCD"]
    assert record.problems == ["Unknown state name among the members: “Freedonia”."]
