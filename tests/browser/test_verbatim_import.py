"""An editor imports a new meeting's verbatim record through the admin, in a real browser."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RECORD = Path(__file__).resolve().parents[1] / "meetings" / "verbatim" / "records" / "S-PV.7575.txt"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results/screenshots"))


def test_editor_uploads_previews_and_applies_a_verbatim_record(page, live_server, record):
    Meeting.objects.filter(date="2015-12-10").delete()
    User.objects.create_superuser("editor", "editor@example.org", "a long passphrase")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long passphrase")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/meetings/meeting/")
    page.click("text=Import a verbatim record")
    page.set_input_files("#id_record", str(RECORD))
    page.click("text=Read and compare")
    expect(page.locator("#verbatim-differences")).to_contain_text("New event: there is no event on 10 December 2015")
    expect(page.locator("#verbatim-apply input[type=checkbox]")).to_have_count(3)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-verbatim-preview.png", full_page=True)
    page.click("#verbatim-apply input[name=apply]")
    expect(page.locator(".messagelist")).to_contain_text("S/PV.7575 was applied")
    meeting = Meeting.objects.get(date="2015-12-10")
    assert meeting.statements.count() == 21 and meeting.ballots.count() == 15
