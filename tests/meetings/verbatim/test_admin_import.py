"""“Import a verbatim record” in the admin: upload, preview beside the record, apply."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.admin.importing import TO_BE_WRITTEN
from meetings.models import Meeting
from tests.meetings.verbatim.pdfs import text_pdf

pytestmark = pytest.mark.django_db
RECORDS = Path(__file__).parent / "records"
URL = "/admin/meetings/meeting/import/"


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "a long passphrase"))
    return client


def upload(client, name):
    data = (RECORDS / name).read_bytes()
    return client.post(URL, {"record": SimpleUploadedFile(name, data, content_type="text/plain")})


def test_the_events_list_links_to_the_import(editor, record):
    assert URL in editor.get(reverse("admin:meetings_meeting_changelist")).content.decode()


def test_the_shipped_record_agrees_with_its_verbatim_record(editor, record):
    page = upload(editor, "S-PV.7353.txt").content.decode()
    assert "The record agrees with this document" in page
    assert "<td>Mr. Oh Joon (KOR, member, p. 20)</td><td>Oh Joon (KOR, member)</td><td>yes</td>" in page


def test_a_changed_ballot_and_a_missing_speaker_are_shown(editor, record):
    meeting = Meeting.objects.get(date="2014-12-22")
    meeting.ballots.filter(state__iso3="NGA").update(position="in_favour")
    meeting.statements.filter(order=19).delete()
    page = upload(editor, "S-PV.7353.txt").content.decode()
    assert "Ballot of NGA: the record holds in_favour, the document abstaining." in page
    assert "Speaker 19 (Mr. Cherif, TCD) is missing from the record." in page


def test_a_new_meeting_is_imported_in_one_pass(editor, record):
    Meeting.objects.filter(date="2015-12-10").delete()
    page = upload(editor, "S-PV.7575.txt").content.decode()
    assert "New event: there is no event on 10 December 2015" in page
    response = editor.post(URL, {"apply": "1", "parts": ["event", "vote", "statements"]})
    assert response.status_code == 302
    meeting = Meeting.objects.get(date="2015-12-10")
    assert (meeting.meeting_number, meeting.vote.announced_against, meeting.ballots.count()) == (7575, 4, 15)
    statements = list(meeting.statements.order_by("order"))
    assert [(s.order, s.speaker, s.capacity, s.page) for s in statements[:2]] == [(1, "Wang Min", "member", 2), (2, "Power", "president", 2)]
    assert statements[-1].state.iso3 == "KOR" and statements[-1].capacity == "non_member"
    assert all(s.summary == TO_BE_WRITTEN and s.source.symbol == "S/PV.7575" for s in statements)
    assert meeting.citations.filter(source__symbol="S/PV.7575").exists()
    assert meeting.citations.get(fact="meeting").source.url == "https://undocs.org/S/PV.7575"  # the record's own source


def test_refused_upload_saves_nothing(editor, record):
    before = Meeting.objects.count()
    response = editor.post(URL, {"record": SimpleUploadedFile("A.txt", b"A/69/PV.73\nGeneral Assembly\n")})
    assert "This is a record of the General Assembly" in response.content.decode()
    empty = editor.post(URL, {"record": SimpleUploadedFile("e.txt", b"")})
    assert empty.status_code == 200 and "empty" in empty.content.decode()
    assert Meeting.objects.count() == before


def test_apply_that_breaks_a_rule_saves_nothing(editor, record):
    # 2014-12-22 already has meeting 7353; importing 7575's text for another day is what a rule refuses:
    Meeting.objects.filter(date="2015-12-10").update(meeting_number=None, format="closed")
    Meeting.objects.filter(date="2014-12-22").update(meeting_number=7575)
    upload(editor, "S-PV.7575.txt")
    response = editor.post(URL, {"apply": "1", "parts": ["event", "vote", "statements"]}, follow=True)
    assert "Nothing was saved" in response.content.decode()
    assert Meeting.objects.get(date="2015-12-10").meeting_number is None


def test_an_upload_over_five_megabytes_is_refused(editor, record):
    big = SimpleUploadedFile("big.txt", b"x" * (5 * 1024 * 1024 + 1), content_type="text/plain")
    response = editor.post(URL, {"record": big})
    assert "the limit is 5 MB" in response.content.decode()


def test_a_reader_without_editing_rights_cannot_import(client, record):
    client.force_login(User.objects.create_user("reader", "reader@example.org", "a long passphrase", is_staff=True))
    assert client.get(URL).status_code == 403


def test_the_pdf_of_a_shipped_meeting_agrees_with_the_record(editor, record, tmp_path):
    pdf = text_pdf(tmp_path / "S-PV.7830.pdf", (RECORDS / "S-PV.7830.txt").read_text(encoding="utf-8"))
    upload = SimpleUploadedFile("S-PV.7830.pdf", pdf.read_bytes(), content_type="application/pdf")
    assert "The record agrees with this document" in editor.post(URL, {"record": upload}).content.decode()


@pytest.mark.parametrize("number, printed", [(7353, "7353rd"), (5551, "5551st"), (8112, "8112th"), (9402, "9402nd")])
def test_a_new_source_is_titled_with_the_meeting_as_the_un_numbers_it(number, printed):
    from meetings.admin.importing import _ordinal

    assert _ordinal(number) == printed
