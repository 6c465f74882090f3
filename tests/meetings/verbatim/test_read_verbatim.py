"""`read_verbatim` on text and PDF files, and the files it refuses."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from fpdf import FPDF

from tests.meetings.verbatim.pdfs import text_pdf

RECORDS = Path(__file__).parent / "records"
SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "meetings" / "verbatim" / "schema.json").read_text())


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("read_verbatim", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_output_is_the_documented_structure():
    out, err = run(RECORDS / "S-PV.7353.txt", "--json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert err == ""
    assert data["president"] == {"name": "Mr. Cherif", "state": "TCD"}
    assert data["vote"]["announced"] == {"in_favour": 11, "against": 2, "abstaining": 2}
    assert data["speakers"][0] == {"order": 1, "name": "Mr. Liu Jieyi", "state": "CHN", "capacity": "member", "language": "Chinese"}
    assert data["speakers"][-1]["capacity"] == "president"


@pytest.mark.parametrize("name", sorted(p.name for p in RECORDS.glob("*.txt")))
def test_every_fixture_validates_against_the_schema(name):
    out, _ = run(RECORDS / name, "--json")
    jsonschema.validate(json.loads(out), SCHEMA)


def test_plain_output_lists_vote_and_speakers():
    out, _ = run(RECORDS / "S-PV.7575.txt")
    assert "S/PV.7575, meeting 7575, 10 December 2015" in out
    assert "Vote (adopted): 9 in favour, 4 against, 2 abstaining" in out
    assert "21. Mr. Oh Joon (KOR, non_member, p. 21)" in out


@pytest.mark.parametrize("name", ["S-PV.7353.txt", "S-PV.9398.txt"])
def test_a_text_layer_pdf_reads_like_its_text(tmp_path, name):
    text = (RECORDS / name).read_text(encoding="utf-8")
    pdf = text_pdf(tmp_path / name.replace(".txt", ".pdf"), text)
    from_pdf, _ = run(pdf, "--json")
    from_text, _ = run(RECORDS / name, "--json")
    assert json.loads(from_pdf) == json.loads(from_text)
    assert len(json.loads(from_pdf)["speakers"]) >= 19


def refused(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as error:
        run(path)
    return str(error.value)


def test_a_scan_without_text_layer_is_refused(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # marks on the page, no text
    assert "no text layer" in refused(tmp_path, "scan.pdf", bytes(pdf.output()))


def test_an_encrypted_pdf_is_refused(tmp_path):
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    pdf.cell(0, 4, "S/PV.7353")
    assert "encrypted" in refused(tmp_path, "locked.pdf", bytes(pdf.output()))


def test_a_malformed_pdf_is_refused(tmp_path):
    assert "damaged" in refused(tmp_path, "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer garbage")


def test_an_empty_file_is_refused(tmp_path):
    assert refused(tmp_path, "empty.txt", b"") == "The file is empty."


def test_a_file_over_five_megabytes_is_refused(tmp_path):
    assert "the limit is 5 MB" in refused(tmp_path, "huge.txt", b"x" * (5 * 1024 * 1024 + 1))


def test_a_general_assembly_record_is_refused(tmp_path):
    text = "A/69/PV.73\n\nUnited Nations\n\nGeneral Assembly\nSixty-ninth session\n73rd plenary meeting\nThursday, 18 December 2014, 10 a.m.\n"
    assert "General Assembly" in refused(tmp_path, "A-69-PV.73.txt", text.encode())


def test_a_file_that_is_not_a_record_is_refused(tmp_path):
    assert "not a verbatim record" in refused(tmp_path, "notes.txt", "Shopping list\nbread\nmilk\n".encode())
