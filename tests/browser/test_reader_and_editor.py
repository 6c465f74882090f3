"""A real Chromium through the pages a reader and an editor use."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from meetings.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_filters_the_timeline_and_goes_back(page, live_server, record):
    page.goto(f"{live_server.url}/meetings/")
    expect(page.locator("#meeting-list-heading")).to_have_text("12 events")
    page.get_by_label("Format").select_option("closed")
    expect(page.locator("#meeting-list-heading")).to_have_text("3 events match the filter")
    expect(page).to_have_url(re.compile(r"format=closed"))
    expect(page.locator("#meeting-list tbody tr")).to_have_count(3)
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/meetings/")
    expect(page.locator("#meeting-list-heading")).to_have_text("12 events")
    page.go_forward()
    expect(page.locator("#meeting-list-heading")).to_have_text("3 events match the filter")


def test_reader_opens_an_event_and_follows_a_vote_to_a_statement(page, live_server, record):
    page.goto(f"{live_server.url}/meetings/")
    page.get_by_role("link", name="Council votes to place the situation in the DPRK on its agenda").click()
    expect(page).to_have_url(f"{live_server.url}/meetings/2014-12-22/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("agenda")
    expect(page.locator("#vote .outcome")).to_contain_text("Agenda adopted, 11–2–2: two votes to spare")
    expect(page.locator(".cell-threshold")).to_contain_text("9th vote")
    page.locator(".cell", has_text="China").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#member-chn$"))
    row = page.locator("#member-chn")
    expect(row).to_contain_text("Against")
    row.get_by_role("link", name="Before the vote").click()
    statement = page.locator("li:target")
    expect(statement).to_contain_text("China")
    expect(statement).to_contain_text("Before the vote")


def test_editor_corrects_a_ballot_and_readers_see_it(page, live_server, record):
    User.objects.create_superuser("editor", "editor@example.org", "a long passphrase")
    meeting = Meeting.objects.get(date="2014-12-22")
    ballots = list(meeting.ballots.order_by("state__short_name").select_related("state"))
    chad = next(i for i, b in enumerate(ballots) if b.state.iso3 == "TCD")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long passphrase")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    page.locator(f'input[name="ballots-{chad}-position"][value="in_favour"]').check()
    page.get_by_label("Reason for this change").fill("Chad voted in favour (S/PV.7353)")
    # First the tally still says 11-2-2: the save is refused with a message.
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".errorlist").first).to_contain_text("announces 11 in favour but the ballots record 12")
    page.locator('input[name="vote-0-announced_in_favour"]').fill("12")
    page.locator('input[name="vote-0-announced_abstaining"]').fill("1")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_server.url}/meetings/2014-12-22/")
    expect(page.locator("#vote .outcome")).to_contain_text("Agenda adopted, 12–2–1: three votes to spare")
    expect(page.locator("#member-tcd")).to_contain_text("In favour")
