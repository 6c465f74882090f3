"""Readers' correction reports: stored when valid, refused with a message when abusive, never rendered as HTML."""

import html5lib
import pytest
from django.contrib.auth.models import User

from meetings.corrections import CorrectionReport, ReportStatus
from tests.meetings.test_html import test_page_is_valid_html as check_html

pytestmark = pytest.mark.django_db

URL = "/meetings/2014-12-22/report/"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def report(client, address="203.0.113.7", **fields):
    data = {"text": "The tally is 11-2-2, not 11-3-1.", "source": "https://undocs.org/S/PV.7353",
            "email": "", "website": "", **fields}
    return client.post(URL, data, REMOTE_ADDR=address, follow=True)


def test_every_event_page_links_to_its_report_page(client, record):
    page = client.get("/meetings/2014-12-22/")
    assert f'href="{URL}"' in page.text
    form = client.get(URL)
    assert form.status_code == 200 and "What is wrong?" in form.text and "csrfmiddlewaretoken" in form.text
    # Its CSRF token is the reader's own: the page is never cached, by us or by anyone else.
    assert "no-store" in form["Cache-Control"] and "private" in form["Cache-Control"]


def test_a_valid_report_is_stored_in_the_queue(client, record):
    response = report(client, email="reader@example.org")
    assert "Thank you: your report has reached the editors." in response.text
    (stored,) = CorrectionReport.objects.all()
    assert stored.meeting.date.isoformat() == "2014-12-22" and stored.status == ReportStatus.NEW
    assert stored.email == "reader@example.org" and "203.0.113.7" not in stored.sender


def test_a_report_page_for_no_event_is_a_404(client, record):
    assert client.get("/meetings/2014-12-23/report/").status_code == 404


@pytest.mark.parametrize(("fields", "message"), [
    ({"website": "http://spam.example"}, "This report looks automated"),
    ({"text": "x" * 5001}, "Please keep the report under 5,000 characters"),
    ({"source": "javascript:alert(1)"}, "starting with http:// or https://"),
    ({"source": "ftp://example.org/file"}, "starting with http:// or https://"),
    ({"text": ""}, "Say what is wrong"),
])
def test_abuse_is_refused_with_a_message(client, record, fields, message):
    response = report(client, **fields)
    assert response.status_code == 400
    assert message in response.text
    assert not CorrectionReport.objects.exists()


def test_more_than_five_reports_an_hour_from_one_address_are_refused(client, record):
    for _ in range(5):
        assert report(client).status_code == 200
    refused = report(client)
    assert refused.status_code == 400 and "5 reports from your address in the last hour" in refused.text
    assert CorrectionReport.objects.count() == 5
    # Another address is not held back.
    assert report(client, address="198.51.100.1").status_code == 200


def test_hostile_text_comes_back_escaped(client, record):
    response = report(client, text=HOSTILE)
    assert HOSTILE not in response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text
    admin = User.objects.create_superuser("admin", "admin@example.org", "a long passphrase")
    client.force_login(admin)
    stored = CorrectionReport.objects.get()
    for url in ["/admin/meetings/correctionreport/", f"/admin/meetings/correctionreport/{stored.pk}/change/"]:
        page = client.get(url)
        assert page.status_code == 200 and HOSTILE not in page.text and "&lt;script&gt;" in page.text


def test_an_editor_answers_a_report(client, record):
    report(client)
    stored = CorrectionReport.objects.get()
    admin = User.objects.create_superuser("admin", "admin@example.org", "a long passphrase")
    client.force_login(admin)
    response = client.post(f"/admin/meetings/correctionreport/{stored.pk}/change/",
                           {"status": "declined", "reply": "The record gives 11-2-2 already."})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.status, stored.reply) == ("declined", "The record gives 11-2-2 already.")


@pytest.mark.parametrize("url", ["/changes/", URL, f"{URL}?sent=1"])
def test_the_corrections_pages_are_valid_html(client, record, url):
    check_html(client, record, url)


def test_the_report_page_with_errors_is_valid_html(client, record):
    response = report(client, text="", source="ftp://x")
    assert response.status_code == 400
    html5lib.HTMLParser(strict=True).parse(response.content.decode())
