"""Editors in the admin: a reason for every save, the History view, revert, recent changes, the Editors group."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from meetings.editors import EDITORS
from meetings.history import ChangeRow, history_of
from meetings.models import Meeting, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", "editor@example.org", "a long passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def source_form(source, **changes):
    return {"url": source.url, "symbol": source.symbol or "", "kind": source.kind, "title": source.title,
            "terms": [t.pk for t in source.terms.all()], "presidencies": [p.pk for p in source.presidencies.all()],
            **changes}


def test_a_save_without_a_reason_is_refused_with_a_message(editor, record):
    source = Source.objects.get(symbol="S/PV.7353")
    response = editor.post(f"/admin/meetings/source/{source.pk}/change/", source_form(source, title="New title"))
    assert response.status_code == 200
    assert "Give a short reason for this change" in response.text
    source.refresh_from_db()
    assert source.title != "New title"


def test_a_save_is_recorded_with_its_editor_and_reason_and_shown_in_history(editor, record):
    source = Source.objects.get(symbol="S/PV.7353")
    old = source.title
    response = editor.post(f"/admin/meetings/source/{source.pk}/change/",
                           source_form(source, title="Verbatim record of the 7353rd meeting", change_reason="Title as the UN gives it"))
    assert response.status_code == 302
    (row,) = ChangeRow.objects.filter(model="meetings.source", label="update")
    assert (row.editor, row.reason) == ("editor", "Title as the UN gives it")

    page = editor.get(f"/admin/meetings/source/{source.pk}/history/")
    assert page.status_code == 200
    assert "Title as the UN gives it" in page.text
    assert old in page.text and "Verbatim record of the 7353rd meeting" in page.text
    assert "Revert to this version" in page.text


def test_recent_changes_filter_by_editor_model_and_date(editor, record):
    source = Source.objects.get(symbol="S/PV.7353")
    editor.post(f"/admin/meetings/source/{source.pk}/change/", source_form(source, title="A", change_reason="Why not"))
    mine = editor.get("/admin/meetings/changerow/?editor=editor")
    assert mine.status_code == 200 and "Why not" in mine.text and "title: " in mine.text
    loader = editor.get("/admin/meetings/changerow/?editor=loader&model=meetings.ballot")
    assert "Why not" not in loader.text and "Loaded from the record files" in loader.text
    day = ChangeRow.objects.filter(editor="editor").first().created_at
    dated = editor.get(f"/admin/meetings/changerow/?created_at__year={day.year}&created_at__month={day.month}&created_at__day={day.day}")
    assert "Why not" in dated.text


def test_deleting_asks_why(editor, record):
    meeting = Meeting.objects.get(date="2019-12-10")
    url = f"/admin/meetings/meeting/{meeting.pk}/delete/"
    refused = editor.post(url, {"post": "yes"}, follow=True)
    assert "Give a short reason" in refused.text and Meeting.objects.filter(pk=meeting.pk).exists()
    editor.post(url, {"post": "yes", "change_reason": "Entered twice"})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert set(ChangeRow.objects.filter(label="delete", model="meetings.meeting").values_list("reason", flat=True)) == {"Entered twice"}


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"])
def test_an_editor_cannot_open_users_or_groups(editor, url):
    assert editor.get(url).status_code == 403


def test_the_editors_group_holds_exactly_the_records_permissions():
    group = Group.objects.get(name=EDITORS)
    apps = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert apps == {"council", "meetings"}
    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"change_meeting", "delete_ballot", "add_statement", "change_state", "view_changerow",
            "change_correctionreport"} <= codes
    assert not {code for code in codes if code.endswith("event") or "user" in code or "group" in code}


@pytest.mark.django_db(transaction=True)
def test_revert_puts_an_event_back_and_is_recorded(client, record):
    user = User.objects.create_user("editor", "editor@example.org", "a long passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    meeting = Meeting.objects.get(date="2016-12-09")
    title = meeting.title
    Meeting.objects.filter(pk=meeting.pk).update(title="A wrong title")
    meeting.caveats.all().delete()
    changes = history_of(meeting)
    original = changes[-1]

    refused = client.post(f"/admin/meetings/meeting/{meeting.pk}/history/revert/", {"version": original.key}, follow=True)
    assert "Give a short reason" in refused.text
    response = client.post(f"/admin/meetings/meeting/{meeting.pk}/history/revert/",
                           {"version": original.key, "change_reason": "Undo the slip"}, follow=True)
    assert "Reverted to the version of" in response.text
    meeting.refresh_from_db()
    assert meeting.title == title and meeting.caveats.exists()
    latest = history_of(meeting)[0]
    assert (latest.editor, latest.reason) == ("editor", "Undo the slip")


def test_create_editor_makes_a_staff_account_in_the_editors_group(client, monkeypatch):
    monkeypatch.setenv("EDITOR_USER", "newcomer")
    monkeypatch.setenv("EDITOR_PASSWORD", "correct horse battery staple")
    call_command("create_editor", stdout=io.StringIO())
    user = User.objects.get(username="newcomer")
    assert user.is_staff and not user.is_superuser and user.groups.filter(name=EDITORS).exists()
    client.force_login(user)
    assert client.get("/admin/meetings/meeting/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    with pytest.raises(CommandError, match="already an account"):
        call_command("create_editor")


@pytest.mark.django_db(transaction=True)
def test_a_deleted_event_is_restored_from_its_history(client, record):
    admin = User.objects.create_superuser("admin", "admin@example.org", "a long passphrase")
    client.force_login(admin)
    meeting = Meeting.objects.get(date="2014-12-22")
    held = (meeting.ballots.count(), meeting.statements.count(), meeting.citations.count(), meeting.request.requesters.count())
    client.post(f"/admin/meetings/meeting/{meeting.pk}/delete/", {"post": "yes", "change_reason": "Deleted by mistake"})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()

    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/history/")
    assert page.status_code == 200 and "This record has been deleted" in page.text and "Deleted by mistake" in page.text
    before_deletion = history_of(meeting)[1]
    client.post(f"/admin/meetings/meeting/{meeting.pk}/history/revert/",
                {"version": before_deletion.key, "change_reason": "Restore the 2014 meeting"})
    restored = Meeting.objects.get(pk=meeting.pk)
    assert (restored.ballots.count(), restored.statements.count(), restored.citations.count(),
            restored.request.requesters.count()) == held
    page = client.get("/meetings/2014-12-22/").text
    assert "Restore the 2014 meeting" in page and "Deleted by mistake" in page
    assert "Restore the 2014 meeting" in client.get("/changes/").text
