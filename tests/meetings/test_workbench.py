"""The event change page as a workbench: dates, the state picker, drafts, the trash, locking, errors, budget."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.admin.forms import IsoDateField, version_token
from meetings.models import Capacity, DeletedEvent, Fact, Format, Meeting, Position, ProceduralVote, Source
from tests.factories import (
    make_council,
    make_meeting,
    make_presidency,
    make_source,
    make_state,
    make_statement,
    make_vote,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2014, 12, 22)
PAGE_LIMIT = 150 * 1024
QUERY_LIMIT = 25


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "a long passphrase"))
    return client


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial, f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000}


def new_event(day="2014-12-22", **fields):
    data = {"date": day, "format": Format.PUBLIC, "title": "The Council takes up the item", "meeting_number": "7353",
            "press_release": "", "summary": "A neutral summary.", "dprk_took_part": "unknown", "version": "",
            "sources_shown": "1", "change_reason": "Entered from the verbatim record"}
    for prefix in ("request", "vote", "ballots", "statements", "joint_statements", "caveats"):
        data.update(management(prefix))
    return data | fields


@pytest.mark.parametrize("typed", ["2025-12-10", "10 December 2025", "10 Dec 2025", " 2025-12-10 "])
def test_dates_in_iso_or_words_are_read_as_one_day(typed):
    assert IsoDateField().clean(typed) == datetime.date(2025, 12, 10)


@pytest.mark.parametrize("typed", ["12/10/2025", "10/12/2025", "12.10.2025", "12-10-25"])
def test_dates_that_read_two_ways_are_refused(typed):
    with pytest.raises(Exception) as refused:
        IsoDateField().clean(typed)
    assert "can be read as two different days" in str(refused.value)


def test_the_change_page_shows_the_date_in_words(editor):
    make_council(2014)
    meeting = make_meeting(DAY)
    html = editor.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert 'value="2014-12-22"' in html and "Monday 22 December 2014" in html


@pytest.mark.parametrize(("typed", "first"), [("Ger", "Germany"), ("Republic of Korea", "South Korea"),
                                              ("DPRK", "North Korea"), ("North Korea", "North Korea"),
                                              ("UK", "United Kingdom"), ("US", "United States"), ("kor", "South Korea")])
def test_the_state_picker_ranks_the_state_meant_first(editor, record, typed, first):
    response = editor.get("/admin/autocomplete/", {"app_label": "meetings", "model_name": "statement",
                                                  "field_name": "state", "term": typed})
    assert response.json()["results"][0]["text"] == first


def test_the_state_picker_offers_only_members_for_a_ballot(editor, record):
    params = {"app_label": "meetings", "model_name": "ballot", "field_name": "state", "term": "a", "day": "2014-12-22"}
    names = [r["text"] for r in editor.get("/admin/autocomplete/", params).json()["results"]]
    assert "Australia" in names and "Germany" not in names


def test_the_state_picker_offers_only_members_for_a_members_statement(editor, record):
    params = {"app_label": "meetings", "model_name": "statement", "field_name": "state", "term": "Ja", "day": "2014-12-22"}
    assert editor.get("/admin/autocomplete/", params).json()["results"][0]["text"] == "Japan"
    names = [r["text"] for r in editor.get("/admin/autocomplete/", params | {"members": "1"}).json()["results"]]
    assert "Japan" not in names


def page_and_queries(editor, meeting):
    with CaptureQueriesContext(connection) as queries:
        response = editor.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert response.status_code == 200
    return response.content, len(queries)


def test_the_2014_change_page_is_light_and_fast_to_build(editor, record):
    html, queries = page_and_queries(editor, Meeting.objects.get(date="2014-12-22"))
    assert len(html) <= PAGE_LIMIT, f"{len(html)} bytes"
    assert queries <= QUERY_LIMIT


def test_the_query_budget_holds_for_a_small_event(editor):
    members = make_council(2014)
    meeting = make_meeting(DAY)
    make_vote(meeting, members)
    make_statement(meeting, members[0])
    html, queries = page_and_queries(editor, meeting)
    assert queries <= QUERY_LIMIT


def test_one_save_reports_every_problem_and_keeps_the_data(editor):
    members = make_council(2014)
    japan = make_state(short_name="Japan")
    ballots = [{"state": s.pk, "position": Position.IN_FAVOUR} for s in members[:14]] + [
        {"state": japan.pk, "position": Position.IN_FAVOUR}]
    data = new_event(**management("ballots", 15), **management("vote", 1), **management("statements", 1))
    data |= {f"ballots-{i}-{k}": v for i, row in enumerate(ballots) for k, v in row.items()}
    data |= {"vote-0-question": "Adoption of the provisional agenda", "vote-0-announced_in_favour": 13,
             "vote-0-announced_against": 2, "vote-0-announced_abstaining": 0}
    data |= {"statements-0-order": 1, "statements-0-capacity": Capacity.MEMBER, "statements-0-timing": "before_vote",
             "statements-0-speaker": "Someone", "statements-0-state": japan.pk, "statements-0-summary": "Spoke.",
             "statements-0-source": make_source().pk}
    response = editor.post("/admin/meetings/meeting/add/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Japan was not on the Council on 22 December 2014, so it cannot have a ballot" in html
    assert "Statement 1, capacity: Japan was not on the Council on 22 December 2014" in html
    assert "the vote announces 13 in favour but the ballots record 15" in html
    assert "Cite at least one source for this event" in html
    assert 'value="Someone"' in html and "problems to fix before saving" in html
    assert not Meeting.objects.exists()


def test_a_new_event_is_a_draft_that_readers_cannot_see_until_published(editor, client):
    make_council(2014)
    source = make_source()
    response = editor.post("/admin/meetings/meeting/add/", new_event(cite_date=[source.pk]))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert not meeting.published
    assert editor.get(f"/admin/meetings/meeting/{meeting.pk}/preview/").status_code == 200
    editor.logout()
    assert client.get("/meetings/2014-12-22/").status_code == 404
    assert "2014-12-22" not in client.get("/meetings/").content.decode()
    assert client.get("/data/meetings.json").json()["meetings"] == []
    assert client.get(f"/admin/meetings/meeting/{meeting.pk}/preview/").status_code == 302
    editor.force_login(User.objects.get())
    editor.post("/admin/meetings/meeting/", {"action": "publish", "_selected_action": [meeting.pk]})
    assert Meeting.objects.get().published
    assert LogEntry.objects.filter(object_id=str(meeting.pk), change_message__contains="published").exists()
    editor.logout()
    assert client.get("/meetings/2014-12-22/").status_code == 200


def test_a_deleted_event_is_gone_for_readers_and_restored_whole(editor, client):
    members = make_council(2014)
    make_presidency(members[6], DAY)
    meeting = make_meeting(DAY)
    make_vote(meeting, members, against=members[:2])
    make_statement(meeting, members[0])
    response = editor.post(f"/admin/meetings/meeting/{meeting.pk}/delete/", {"post": "yes", "change_reason": "Entered twice"})
    assert response.status_code == 302 and not Meeting.objects.exists()
    assert client.get("/meetings/2014-12-22/").status_code == 410
    trash = DeletedEvent.objects.get()
    editor.post("/admin/meetings/deletedevent/", {"action": "restore_events", "_selected_action": [trash.pk]})
    restored = Meeting.objects.get(date=DAY)
    assert restored.ballots.filter(position=Position.AGAINST).count() == 2
    assert restored.statements.count() == 1 and restored.citations.filter(fact=Fact.DATE).exists()
    assert not DeletedEvent.objects.exists()
    assert client.get("/meetings/2014-12-22/").status_code == 200


def test_a_save_from_a_page_changed_since_is_refused_and_overwrites_nothing(editor):
    make_council(2014)
    meeting = make_meeting(DAY, format=Format.CLOSED)
    opened = version_token(meeting)
    data = new_event(format=Format.CLOSED, meeting_number="", version=opened, published="on",
                     cite_date=[c.source_id for c in meeting.citations.all()])
    first = editor.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data | {"summary": "Tab A's summary."})
    assert first.status_code == 302
    second = editor.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data | {"title": "Tab B's title"})
    html = second.content.decode()
    assert second.status_code == 200
    assert "Another save changed this event" in html and "Tab A&#x27;s summary." in html
    assert 'value="Tab B&#x27;s title"' in html
    meeting.refresh_from_db()
    assert meeting.summary == "Tab A's summary." and meeting.title == "The Council takes up the item"


def test_the_press_release_field_links_its_source(editor):
    make_council(2014)
    data = new_event(press_release="SC/11720", cite_date=[make_source().pk])
    assert editor.post("/admin/meetings/meeting/add/", data).status_code == 302
    source = Source.objects.get(symbol="SC/11720")
    assert source.url == "https://press.un.org/en/2014/sc11720.doc.htm"
    assert Meeting.objects.get().citations.filter(source=source).exists()


def test_a_source_page_lists_the_facts_that_cite_it(editor, record):
    source = Source.objects.get(symbol="S/PV.7353")
    html = editor.get(f"/admin/meetings/source/{source.pk}/change/").content.decode()
    assert "Date of the event" in html and "statement 1 (China)" in html


@pytest.mark.parametrize(("term", "date"), [("Nebenzia", "2024-06-12"), ("S/PV.7353", "2014-12-22"),
                                            ("S/2014/872", "2014-12-22"), ("2017", "2017-12-11")])
def test_meeting_search_finds_speakers_symbols_and_years(editor, record, term, date):
    html = editor.get("/admin/meetings/meeting/", {"q": term}).content.decode()
    assert f"/admin/meetings/meeting/{Meeting.objects.get(date=date).pk}/change/" in html


def test_admin_pages_name_the_site(client):
    html = client.get("/admin/login/").content.decode()
    assert "<h1>Sign in to edit the record</h1>" in html
    assert "DPRK human rights at the UN Security Council" in html and "Django administration" not in html
    assert "favicon" in html


def test_delete_pages_name_through_rows_readably(editor, record):
    meeting = Meeting.objects.get(date="2014-12-22")
    html = editor.get(f"/admin/meetings/meeting/{meeting.pk}/delete/").content.decode()
    assert "object (" not in html and "S/2014/872 signed by Australia" in html


def test_a_rule_only_the_database_caught_becomes_a_message_and_keeps_the_entries(editor, monkeypatch):
    from django.db import IntegrityError

    from meetings.admin import meeting as admin_module

    make_council(2014)

    def refuse(meeting):
        raise IntegrityError('duplicate key value violates unique constraint "statement_unique_order_per_meeting"')

    monkeypatch.setattr(admin_module, "link_press_release", refuse)
    response = editor.post("/admin/meetings/meeting/add/", new_event(cite_date=[make_source().pk], title="Kept title"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Two statements have the same place in the speaking order" in html
    assert 'value="Kept title"' in html
    assert not Meeting.objects.exists()


def test_the_fast_renderer_writes_what_the_templates_write(editor, record, monkeypatch):
    import re

    from meetings.admin import rendering

    url = f"/admin/meetings/meeting/{Meeting.objects.get(date='2014-12-22').pk}/change/"

    def page():
        html = editor.get(url).content.decode()
        # Tokens that change with each request: the CSP nonce, the CSRF token, the version mark.
        return re.sub(r'nonce="[^"]+"|value="[^"]{40,}"', "", html)

    fast = page()
    monkeypatch.setattr(rendering.FastRenderer, "render_plain", lambda self, template, context: None)
    assert page() == fast


def test_the_vote_grid_of_a_day_lists_its_members_and_president(editor):
    members = make_council(2014)
    make_presidency(members[6], DAY)
    html = editor.get("/admin/meetings/meeting/ballot-grid/", {"date": "22 December 2014"}).content.decode()
    assert html.count('<th scope="row">') == 15
    assert f"President in December 2014: {members[6].short_name}" in html
    html = editor.get("/admin/meetings/meeting/ballot-grid/", {"date": "2015-06-01"}).content.decode()
    assert "No presidency is recorded for June 2015" in html
    html = editor.get("/admin/meetings/meeting/ballot-grid/", {"date": "12/10/2014"}).content.decode()
    assert '<th scope="row">' not in html and "Type the event's date" in html


def test_the_request_date_is_read_the_same_way(editor, record):
    meeting = Meeting.objects.get(date="2014-12-22")
    html = editor.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert 'name="request-0-date" value="2014-12-05"' in html and "Friday 5 December 2014" in html
    assert "DateTimeShortcuts.js" not in html  # the calendar would write 05/12/2014


def test_on_add_a_vote_needs_a_public_meeting_and_a_request_predates_the_event(editor):
    make_council(2014)
    data = new_event(format=Format.CLOSED, meeting_number="", cite_date=[make_source().pk],
                     **management("vote", 1), **management("request", 1))
    data |= {"vote-0-question": "Adoption of the provisional agenda", "vote-0-announced_in_favour": 9,
             "vote-0-announced_against": 0, "vote-0-announced_abstaining": 0,
             "request-0-symbol": "S/2014/872", "request-0-date": "2014-12-30"}
    html = editor.post("/admin/meetings/meeting/add/", data).content.decode()
    assert "Only a public meeting has a procedural vote" in html
    assert "The request must be dated on or before the event (22 December 2014)" in html
    assert not Meeting.objects.exists()


def test_filters_find_drafts_votes_and_what_needs_attention(editor, record):
    def listed(**params):
        html = editor.get("/admin/meetings/meeting/", params).content.decode()
        return {m.date.isoformat() for m in Meeting.objects.all() if f"/admin/meetings/meeting/{m.pk}/change/" in html}

    with_caveats = {m.date.isoformat() for m in Meeting.objects.filter(caveats__isnull=False)}
    assert with_caveats and with_caveats <= listed(attention="yes")
    assert listed(vote="yes") == {m.date.isoformat() for m in Meeting.objects.filter(vote__isnull=False)}
    assert listed(year="2014") == {"2014-12-22"}
    Meeting.objects.filter(date="2016-12-09").update(published=False)
    assert listed(published__exact="0") == {"2016-12-09"}


def change_of(meeting, statements, **fields):
    """A post of `meeting`'s change page with its saved `statements` as they are, and `fields`."""
    data = new_event(meeting_number=meeting.meeting_number, published="on", version=version_token(meeting),
                     cite_date=[c.source_id for c in meeting.citations.all()],
                     **management("statements", len(statements), len(statements)))
    for i, statement in enumerate(statements):
        data |= {f"statements-{i}-{name}": value for name, value in {
            "id": statement.pk, "meeting": meeting.pk, "order": statement.order, "capacity": statement.capacity,
            "timing": statement.timing, "speaker": statement.speaker, "state": statement.state_id,
            "summary": statement.summary, "source": statement.source_id}.items()}
    return data | fields


def test_a_vote_and_statements_before_and_after_it_are_added_to_an_event_in_one_save(editor):
    members = make_council(2014)
    meeting = make_meeting(DAY)
    first, second = make_statement(meeting, members[0]), make_statement(meeting, members[1])
    data = change_of(meeting, [first, second], **management("vote", 1), **management("ballots", 15))
    data |= {"vote-0-question": "Adoption of the provisional agenda", "vote-0-announced_in_favour": 15,
             "vote-0-announced_against": 0, "vote-0-announced_abstaining": 0,
             "statements-0-timing": "before_vote", "statements-1-timing": "after_vote"}
    data |= {f"ballots-{i}-{k}": v for i, s in enumerate(members)
             for k, v in {"state": s.pk, "position": Position.IN_FAVOUR}.items()}
    response = editor.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.context["error_summary"]
    assert meeting.vote.announced_in_favour == 15 and meeting.ballots.count() == 15
    assert [s.timing for s in meeting.statements.order_by("order")] == ["before_vote", "after_vote"]


def test_removing_the_vote_while_a_statement_is_before_it_is_refused_and_names_the_row(editor):
    members = make_council(2014)
    meeting = make_meeting(DAY)
    vote = make_vote(meeting, members)
    first = make_statement(meeting, members[0], timing="before_vote")
    data = change_of(meeting, [first], **management("vote", 1, 1))
    data |= {"vote-0-id": vote.pk, "vote-0-meeting": meeting.pk, "vote-0-question": vote.question,
             "vote-0-announced_in_favour": 15, "vote-0-announced_against": 0, "vote-0-announced_abstaining": 0,
             "vote-0-DELETE": "on"}
    ballots = list(meeting.ballots.order_by("state__short_name"))
    data |= management("ballots", len(ballots), len(ballots))
    data |= {f"ballots-{i}-{k}": v for i, b in enumerate(ballots)
             for k, v in {"id": b.pk, "meeting": meeting.pk, "state": b.state_id, "position": b.position,
                          "DELETE": "on"}.items()}
    response = editor.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Statement 1, timing: This event had no procedural vote" in html
    assert 'value="A. Speaker"' in html
    assert ProceduralVote.objects.filter(pk=vote.pk).exists() and meeting.ballots.count() == 15


def test_on_change_a_rule_only_the_database_caught_keeps_the_entries_and_saves_nothing(editor, monkeypatch):
    from django.db import IntegrityError

    from meetings.admin import meeting as admin_module

    members = make_council(2014)
    meeting = make_meeting(DAY, format=Format.CLOSED)
    first = make_statement(meeting, members[0])

    def refuse(meeting):
        raise IntegrityError('duplicate key value violates unique constraint "statement_unique_order_per_meeting"')

    monkeypatch.setattr(admin_module, "link_press_release", refuse)
    data = change_of(meeting, [first], format=Format.CLOSED, meeting_number="", title="Kept title",
                     **{"statements-0-summary": "A corrected summary."})
    response = editor.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Two statements have the same place in the speaking order" in html
    assert 'value="Kept title"' in html and "A corrected summary." in html
    meeting.refresh_from_db()
    first.refresh_from_db()
    assert meeting.title == "The Council takes up the item" and first.summary == "Said something."
