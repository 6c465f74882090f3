"""The admin as editors use it: correcting votes and statements, refused when a rule breaks."""

import datetime

import pytest
from django.contrib.auth.models import User

from meetings.admin.forms import version_token
from meetings.models import (
    Ballot,
    Capacity,
    Citation,
    Fact,
    Format,
    Position,
    Statement,
)
from tests.factories import (
    make_council,
    make_meeting,
    make_presidency,
    make_source,
    make_state,
    make_vote,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2014, 12, 22)
INLINES = ["request", "vote", "ballots", "statements", "joint_statements", "caveats"]


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("editor", "editor@example.org", "a long passphrase")
    client.force_login(user)
    return client


@pytest.fixture
def members():
    members = make_council(2014)
    make_presidency(members[6], DAY)
    return members


def form_data(meeting, ballots=(), vote=None, statements=(), citations=None):
    """The POST an editor's browser sends for the meeting's change form."""
    data = {"date": meeting.date.isoformat(), "format": meeting.format, "title": meeting.title,
            "meeting_number": meeting.meeting_number or "", "press_release": meeting.press_release or "",
            "summary": meeting.summary, "dprk_took_part": "unknown", "published": "on", "change_reason": "Checked against the record",
            "version": version_token(meeting) if meeting.pk else "", "sources_shown": "1"}
    if citations is None:
        citations = [{"fact": c.fact, "source": c.source_id} for c in meeting.citations.all()]
    for row in citations:
        if not row.get("DELETE"):
            data.setdefault(f"cite_{row['fact']}", []).append(row["source"])
    rows = {"vote": [vote] if vote else [], "ballots": list(ballots), "statements": list(statements)}
    for prefix in INLINES:
        forms = rows.get(prefix, [])
        initial = sum(1 for row in forms if row.get("id"))
        data.update({f"{prefix}-TOTAL_FORMS": len(forms), f"{prefix}-INITIAL_FORMS": initial,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for i, row in enumerate(forms):
            data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
            data[f"{prefix}-{i}-meeting"] = meeting.pk
    return data


def ballot_rows(meeting):
    return [{"id": b.pk, "state": b.state_id, "position": b.position} for b in meeting.ballots.order_by("pk")]


def vote_row(meeting):
    vote = meeting.vote
    return {"id": vote.pk, "question": vote.question, "announced_in_favour": vote.announced_in_favour,
            "announced_against": vote.announced_against, "announced_abstaining": vote.announced_abstaining}


def change(editor, meeting, data):
    return editor.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)


@pytest.mark.parametrize("url", ["/admin/", "/admin/meetings/meeting/", "/admin/meetings/source/",
                                 "/admin/council/state/", "/admin/council/councilterm/", "/admin/council/presidency/",
                                 "/admin/meetings/meeting/add/", "/admin/meetings/meeting/?format=public",
                                 "/admin/meetings/meeting/?q=agenda"])
def test_admin_pages_open_on_the_full_record(editor, record, url):
    assert editor.get(url).status_code == 200


def test_meeting_list_shows_tallies(editor, record):
    html = editor.get("/admin/meetings/meeting/").content.decode()
    assert '<td class="field-in_favour">11</td>' in html
    assert '<td class="field-against">2</td>' in html


def test_editor_corrects_a_ballot(editor, members):
    meeting = make_meeting(DAY)
    make_vote(meeting, members, against=members[:2], abstaining=members[5:7])
    ballots = ballot_rows(meeting)
    moved = next(row for row in ballots if row["position"] == Position.ABSTAINING)
    moved["position"] = Position.IN_FAVOUR
    vote = vote_row(meeting) | {"announced_in_favour": 12, "announced_abstaining": 1}
    response = change(editor, meeting, form_data(meeting, ballots, vote))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Ballot.objects.get(pk=moved["id"]).position == Position.IN_FAVOUR


def test_ballots_that_disagree_with_the_announced_tally_are_refused(editor, members):
    meeting = make_meeting(DAY)
    make_vote(meeting, members, against=members[:2])
    ballots = ballot_rows(meeting)
    ballots[5]["position"] = Position.AGAINST
    response = change(editor, meeting, form_data(meeting, ballots, vote_row(meeting)))
    assert response.status_code == 200
    assert "the vote announces 13 in favour but the ballots record 12" in response.content.decode()
    assert Ballot.objects.filter(meeting=meeting, position=Position.AGAINST).count() == 2


def test_a_missing_member_is_named(editor, members):
    meeting = make_meeting(DAY)
    make_vote(meeting, members)
    ballots = ballot_rows(meeting)
    missing = Ballot.objects.get(pk=ballots[-1]["id"]).state
    ballots[-1]["DELETE"] = "on"
    response = change(editor, meeting, form_data(meeting, ballots, vote_row(meeting) | {"announced_in_favour": 14}))
    assert f"missing: {missing.short_name}" in response.content.decode()
    assert meeting.ballots.count() == 15


def test_a_ballot_from_a_non_member_is_refused(editor, members):
    meeting = make_meeting(DAY)
    make_vote(meeting, members)
    ballots = ballot_rows(meeting)
    japan = make_state(short_name="Japan")
    ballots[0]["state"] = japan.pk
    response = change(editor, meeting, form_data(meeting, ballots, vote_row(meeting)))
    assert "Japan was not on the Council on 22 December 2014" in response.content.decode()


def test_a_new_vote_is_filled_with_the_members_of_the_day(editor, members):
    meeting = make_meeting(DAY)
    html = editor.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert 'name="ballots-TOTAL_FORMS" value="15"' in html
    for i, state in enumerate(sorted(members, key=lambda s: s.short_name)):
        assert f'<th scope="row">{state}<input type="hidden" name="ballots-{i}-id"' in html
        assert f'name="ballots-{i}-state" value="{state.pk}"' in html


def test_editor_records_a_whole_vote_in_one_save(editor, members):
    meeting = make_meeting(DAY)
    ballots = [{"state": s.pk, "position": Position.AGAINST if s in members[:2] else Position.IN_FAVOUR} for s in members]
    vote = {"question": "Adoption of the provisional agenda", "announced_in_favour": 13, "announced_against": 2,
            "announced_abstaining": 0}
    response = change(editor, meeting, form_data(meeting, ballots, vote))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.vote.adopted and meeting.ballots.count() == 15


def test_ballots_without_a_vote_are_refused(editor, members):
    meeting = make_meeting(DAY)
    ballots = [{"state": members[0].pk, "position": Position.IN_FAVOUR}]
    response = change(editor, meeting, form_data(meeting, ballots))
    assert "add the vote" in response.content.decode()
    assert not meeting.ballots.exists()


def test_statement_rules_reach_the_editor(editor, members):
    meeting = make_meeting(DAY)
    row = {"order": 1, "capacity": Capacity.MEMBER, "timing": "no_vote", "speaker": "Someone", "role": "",
           "state": make_state(short_name="Japan").pk, "office": "", "summary": "Spoke.", "quotation": "",
           "source": make_source().pk, "page": ""}
    response = change(editor, meeting, form_data(meeting, statements=[row]))
    assert "Japan was not on the Council on 22 December 2014" in response.content.decode()
    assert not Statement.objects.exists()
    row["capacity"] = Capacity.NON_MEMBER
    assert change(editor, meeting, form_data(meeting, statements=[row])).status_code == 302
    assert Statement.objects.get().state.short_name == "Japan"


def test_saving_an_event_needs_a_source(editor, members):
    meeting = make_meeting(DAY)
    citations = [{"id": c.pk, "fact": c.fact, "source": c.source_id, "DELETE": "on"} for c in meeting.citations.all()]
    response = change(editor, meeting, form_data(meeting, citations=citations))
    assert "Cite at least one source" in response.content.decode()
    assert Citation.objects.filter(meeting=meeting, fact=Fact.DATE).exists()


def test_public_meeting_needs_its_number_in_the_admin(editor):
    response = editor.post("/admin/meetings/meeting/add/", form_data(
        type("M", (), {"date": DAY, "format": Format.PUBLIC, "title": "t", "meeting_number": None,
                       "press_release": None, "summary": "s", "pk": "", "citations": Citation.objects.none()})(),
        citations=[{"fact": Fact.DATE, "source": make_source().pk}]))
    assert "A public meeting needs its meeting number" in response.content.decode()


def test_states_are_picked_by_autocomplete(editor, members):
    response = editor.get("/admin/autocomplete/", {"app_label": "meetings", "model_name": "ballot",
                                                  "field_name": "state", "term": "Chi"})
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["China"]


def test_public_cannot_reach_the_admin(client):
    response = client.get("/admin/meetings/meeting/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_vote_shows_its_result_from_the_ballots(editor, members):
    meeting = make_meeting(DAY)
    make_vote(meeting, members, against=members[:2], abstaining=members[5:10])
    html = editor.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert "not adopted: 8 in favour, 2 against, 5 abstaining" in html
