"""An editor corrects a fact with a reason, readers see the correction everywhere, and the editor reverts it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from meetings.editors import EDITORS
from meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Title as in the press release SC/11720"
REVERT = "The old title was right after all"


def test_an_editors_correction_reaches_history_page_changes_and_feed_and_is_reverted(page, live_server, record):
    user = User.objects.create_user("editor", "editor@example.org", "a long passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    meeting = Meeting.objects.get(date="2014-12-22")
    old_title = meeting.title
    new_title = "Council puts human rights in the DPRK on its agenda"
    site = live_server.url

    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long passphrase")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{site}/admin/meetings/meeting/{meeting.pk}/change/")
    page.locator('input[name="title"]').fill(new_title)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".errorlist").first).to_contain_text("Give a short reason for this change")
    page.get_by_label("Reason for this change").fill(REASON)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{site}/admin/meetings/meeting/{meeting.pk}/history/")
    latest = page.locator("section.change").first
    expect(latest).to_contain_text(REASON)
    expect(latest).to_contain_text("editor")
    expect(latest.locator("tr", has_text="title")).to_contain_text(old_title)
    expect(latest.locator("tr", has_text="title")).to_contain_text(new_title)

    page.goto(f"{site}/meetings/2014-12-22/")
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)
    corrections = page.locator("#corrections")
    expect(corrections).to_contain_text("This record was last corrected on")
    expect(corrections).to_contain_text(REASON)
    expect(corrections).not_to_contain_text("editor")
    page.goto(f"{site}/changes/")
    expect(page.locator(".changes li").first).to_contain_text(REASON)
    assert f"Correction to 22 December 2014: {REASON}" in page.request.get(f"{site}/data/feed.atom").text()

    # Back to the version the record was loaded with: the first in the history.
    page.goto(f"{site}/admin/meetings/meeting/{meeting.pk}/history/")
    first = page.locator(".revert-form").last
    first.get_by_role("button", name="Revert to this version").click()
    expect(page.locator(".messagelist")).to_contain_text("Give a short reason")
    first = page.locator(".revert-form").last
    first.get_by_label("Reason for reverting to this version").fill(REVERT)
    first.get_by_role("button", name="Revert to this version").click()
    expect(page.locator(".messagelist")).to_contain_text("Reverted to the version of")
    latest = page.locator("section.change").first
    expect(latest).to_contain_text(REVERT)
    expect(latest.locator("tr", has_text="title")).to_contain_text(old_title)

    page.goto(f"{site}/meetings/2014-12-22/")
    expect(page.get_by_role("heading", level=1)).to_have_text(old_title)
    expect(page.locator("#corrections li").first).to_contain_text(REVERT)
    expect(page.locator("#corrections li")).to_have_count(2)
    page.goto(f"{site}/changes/")
    expect(page.locator(".changes li").first).to_contain_text(REVERT)
    feed = page.request.get(f"{site}/data/feed.atom").text()
    assert f"Correction to 22 December 2014: {REVERT}" in feed and REASON in feed


def test_the_corrections_pages_pass_axe_and_fit_a_phone(page, live_server, record):
    axe = Axe()
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ["/changes/", "/meetings/2014-12-22/report/"]:
            page.goto(f"{live_server.url}{path}")
            serious = [v["id"] for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
            assert serious == [], f"{path} at {width}px: {serious}"
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Say what is wrong, in a few words.")).to_be_visible()
    assert [v["id"] for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")] == []
