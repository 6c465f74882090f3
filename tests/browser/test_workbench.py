"""An editor at the event change page in a real Chromium: a whole meeting entered, refused saves, two tabs, drafts, the trash."""

import datetime

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from council.models import CouncilTerm, State
from meetings.models import DeletedEvent, Meeting, Position

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.date(2025, 12, 10)
VOTE_BUDGET = 20
MEETING_BUDGET = 60
# What an editor types in the state picker: a prefix, a full name, a usual name.
TYPED = {"China": "Chi", "United States": "United States", "North Korea": "DPRK"}


class Editor:
    """Drives the page and counts the editor's actions: each click, fill, choice and key press."""

    def __init__(self, page, base):
        self.page, self.base, self.actions = page, base, 0

    def click(self, locator):
        self.actions += 1
        locator.click()

    def fill(self, locator, text):
        self.actions += 1
        locator.fill(text)

    def press(self, key):
        self.actions += 1
        self.page.keyboard.press(key)

    def choose(self, locator, value):
        self.actions += 1
        locator.select_option(value)

    def pick(self, name, typed, expected):
        """A select2 picker: open it, type, take the highlighted match (three actions)."""
        self.click(self.page.locator(f"select[name='{name}'] + .select2 .select2-selection"))
        self.actions += 1
        self.page.locator(".select2-container--open .select2-search__field").fill(typed)
        expect(self.page.locator(".select2-results__option--highlighted")).to_have_text(expected)
        self.actions += 1
        self.page.keyboard.press("Enter")


def log_in(page, base):
    User.objects.create_superuser("editor", "editor@example.org", "a long passphrase")
    page.goto(f"{base}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Meetings")).to_be_visible()


def test_editor_enters_a_public_meeting_with_its_vote_and_three_statements(page, live_server, record):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url)
    members = sorted(CouncilTerm.objects.active_on(DAY).select_related("state"), key=lambda t: t.state.short_name)
    against = [t.state.short_name for t in members if t.state.iso3 in ("CHN", "RUS")]
    abstaining = [members[0].state.short_name]
    page.goto(f"{live_server.url}/admin/meetings/meeting/add/")
    editor = Editor(page, live_server.url)

    editor.fill(page.locator("#id_date"), "10 December 2025")
    expect(page.locator("#id_date-in-words")).to_have_text("Wednesday 10 December 2025")
    editor.choose(page.locator("#id_format"), "public")
    expect(page.locator(".ballot-grid tbody tr")).to_have_count(15)
    expect(page.locator(".workbench-president, .workbench-warning").first).to_be_visible()
    before_vote = editor.actions
    editor.click(page.get_by_role("button", name="All in favour"))
    for name in against:
        editor.click(page.get_by_label(f"{name}: Against"))
    for name in abstaining:
        # By keyboard: the row's positions are one radio group, arrow keys move along it.
        editor.click(page.get_by_label(f"{name}: In favour"))
        editor.press("ArrowRight")
        editor.press("ArrowRight")
        expect(page.get_by_label(f"{name}: Abstaining")).to_be_checked()
    editor.fill(page.locator("#id_vote-0-announced_in_favour"), "12")
    editor.fill(page.locator("#id_vote-0-announced_against"), "2")
    editor.fill(page.locator("#id_vote-0-announced_abstaining"), "1")
    vote_actions = editor.actions - before_vote + 2  # the date and the format count towards the vote too
    assert vote_actions <= VOTE_BUDGET

    editor.fill(page.locator("#id_title"), "The Council meets on the DPRK")
    editor.fill(page.locator("#id_meeting_number"), "10060")
    editor.fill(page.locator("#id_summary"), "A neutral summary of the meeting.")
    editor.pick("cite_date", "S/PV.7353", "S/PV.7353")
    speakers = [("China", "member", "before_vote"), ("United States", "member", "after_vote"),
                ("North Korea", "non_member", "after_vote")]
    for i, (state, capacity, timing) in enumerate(speakers):
        editor.click(page.locator("#statements-group .add-row a"))
        editor.fill(page.locator(f"#id_statements-{i}-order"), str(i + 1))
        editor.choose(page.locator(f"#id_statements-{i}-capacity"), capacity)
        editor.choose(page.locator(f"#id_statements-{i}-timing"), timing)
        editor.pick(f"statements-{i}-state", TYPED[state], state)
        editor.fill(page.locator(f"#id_statements-{i}-summary"), f"{state} spoke.")
        editor.pick(f"statements-{i}-source", "S/PV.7353", "S/PV.7353")
    editor.fill(page.get_by_label("Reason for this change"), "Entered from the verbatim record")
    editor.click(page.get_by_role("button", name="Save", exact=True).first)
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert editor.actions <= MEETING_BUDGET, editor.actions

    meeting = Meeting.objects.get(date=DAY)
    assert not meeting.published
    assert meeting.ballots.count() == 15 and meeting.statements.count() == 3
    assert meeting.ballots.filter(position=Position.AGAINST).count() == 2


def add_page_with(page, base, day="2014-12-22"):
    page.goto(f"{base}/admin/meetings/meeting/add/")
    page.locator("#id_date").fill(day)
    page.locator("#id_format").select_option("public")
    expect(page.locator(".ballot-grid tbody tr")).to_have_count(15)


def test_one_refused_save_reports_all_four_problems_and_keeps_the_entries(page, live_server, record):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url)
    Meeting.objects.filter(date="2014-12-22").delete()
    add_page_with(page, live_server.url)
    page.locator("#id_title").fill("A meeting entered with mistakes")
    page.locator("#id_meeting_number").fill("7353")
    page.locator("#id_summary").fill("Summary kept across the refusal.")
    page.get_by_role("button", name="All in favour").click()
    page.locator("#id_vote-0-announced_in_favour").fill("11")
    page.locator("#id_vote-0-announced_against").fill("2")
    page.locator("#id_vote-0-announced_abstaining").fill("2")
    page.locator("#statements-group .add-row a").click()
    page.locator("#id_statements-0-order").fill("1")
    # As a "Council member" Japan is not offered on that day: the picker knows the members.
    page.locator("#id_statements-0-capacity").select_option("member")
    page.locator("select[name='statements-0-state'] + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Japan")
    expect(page.locator(".select2-results__message")).to_have_text("No results found")
    page.locator("#id_title").click()
    page.locator("#id_statements-0-capacity").select_option("")
    # Picked first (any state is offered), then the capacity is set wrongly to "Council member".
    Editor(page, live_server.url).pick("statements-0-state", "Japan", "Japan")
    page.locator("#id_statements-0-capacity").select_option("member")
    page.locator("#id_statements-0-timing").select_option("before_vote")
    page.locator("#id_statements-0-summary").fill("Japan spoke as if a member.")
    page.get_by_label("Reason for this change").fill("Entered from the verbatim record")
    Editor(page, live_server.url).pick("statements-0-source", "S/PV.7353", "S/PV.7353")
    # One ballot from a state that was not on the Council that day.
    germany = State.objects.get(iso3="DEU")
    page.evaluate("([pk]) => { document.querySelector('input[name=\"ballots-0-state\"]').value = pk; }", [str(germany.pk)])
    page.get_by_role("button", name="Save", exact=True).first.click()

    summary = page.locator(".workbench-errors")
    expect(summary).to_contain_text("Germany was not on the Council on 22 December 2014")
    expect(summary).to_contain_text("Statement 1, capacity: Japan was not on the Council on 22 December 2014")
    expect(summary).to_contain_text("the vote announces 11 in favour but the ballots record 15")
    expect(summary).to_contain_text("Cite at least one source for this event")
    expect(page.locator("#id_summary")).to_have_value("Summary kept across the refusal.")
    expect(page.locator("#id_statements-0-summary")).to_have_value("Japan spoke as if a member.")
    assert not Meeting.objects.filter(date="2014-12-22").exists()


def test_two_tabs_the_second_save_is_refused_without_loss(page, live_server, record):
    log_in(page, live_server.url)
    meeting = Meeting.objects.get(date="2016-12-09")
    url = f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/"
    second = page.context.new_page()
    page.goto(url)
    second.goto(url)
    page.locator("#id_summary").fill("Tab A's new summary.")
    page.get_by_label("Reason for this change").fill("Summary completed")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    second.locator("#id_title").fill("Tab B's new title")
    second.get_by_label("Reason for this change").fill("Title shortened")
    second.get_by_role("button", name="Save", exact=True).first.click()
    expect(second.locator(".workbench-errors")).to_contain_text("Another save changed this event")
    expect(second.locator(".workbench-errors")).to_contain_text("Tab A's new summary.")
    expect(second.locator("#id_title")).to_have_value("Tab B's new title")
    meeting.refresh_from_db()
    assert meeting.summary == "Tab A's new summary." and meeting.title != "Tab B's new title"

    # Leaving a page with unsaved changes asks first.
    dialogs = []
    second.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    second.locator("#id_title").fill("Changed again")
    with second.expect_event("close"):
        second.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]


def test_a_draft_is_invisible_until_published(page, live_server, record):
    log_in(page, live_server.url)
    meeting = Meeting.objects.get(date="2017-12-11")
    Meeting.objects.filter(pk=meeting.pk).update(published=False)
    reader = page.context.browser.new_page()
    response = reader.goto(f"{live_server.url}/meetings/2017-12-11/")
    assert response.status == 404
    reader.goto(f"{live_server.url}/meetings/")
    expect(reader.locator("body")).not_to_contain_text(meeting.title)

    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/preview/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(meeting.title[:20])
    page.goto(f"{live_server.url}/admin/meetings/meeting/?published__exact=0")
    page.locator(f"input[name='_selected_action'][value='{meeting.pk}']").check()
    page.locator("select[name='action']").select_option("publish")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("1 event(s) published")
    assert reader.goto(f"{live_server.url}/meetings/2017-12-11/").status == 200
    reader.close()


def test_a_deleted_meeting_is_restored_with_everything(page, live_server, record):
    log_in(page, live_server.url)
    meeting = Meeting.objects.get(date="2015-12-10")
    counts = (meeting.ballots.count(), meeting.statements.count(), meeting.citations.count(), meeting.caveats.count())
    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/delete/")
    page.get_by_label("Reason for deleting it").fill("Entered twice")
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    assert page.goto(f"{live_server.url}/meetings/2015-12-10/").status == 410

    page.goto(f"{live_server.url}/admin/meetings/deletedevent/")
    page.locator(f"input[name='_selected_action'][value='{DeletedEvent.objects.get().pk}']").check()
    page.locator("select[name='action']").select_option("restore_events")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("is restored")
    restored = Meeting.objects.get(date="2015-12-10")
    assert (restored.ballots.count(), restored.statements.count(), restored.citations.count(),
            restored.caveats.count()) == counts
    assert page.goto(f"{live_server.url}/meetings/2015-12-10/").status == 200


def test_nothing_runs_off_the_right_edge_at_1280(page, live_server, record):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url)
    for url in [f"/admin/meetings/meeting/{Meeting.objects.get(date='2014-12-22').pk}/change/", "/admin/meetings/meeting/"]:
        page.goto(f"{live_server.url}{url}")
        page.locator("details").evaluate_all("els => els.forEach(e => e.open = true)")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} is {overflow}px too wide"
