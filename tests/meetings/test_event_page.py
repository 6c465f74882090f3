"""The event page as a reader meets it: the vote first, each thing said once, sources one tap away."""

import re

import pytest

from council.models import State
from meetings.models import Caveat, Meeting
from meetings.presenters import outcome_line, tally_text
from tests.meetings.test_views import text

pytestmark = pytest.mark.django_db


def body(response):
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_the_vote_comes_first_in_one_line(client, record):
    html = body(client.get("/meetings/2024-06-12/"))
    page = text(client.get("/meetings/2024-06-12/"))
    assert "Agenda adopted, 12–2–1: three votes to spare" in page
    vote, summary, spoke, details = (html.index(marker) for marker in
                                     ('id="vote"', 'id="summary-heading"', 'id="statements-heading"', 'id="facts-heading"'))
    assert vote < summary < spoke < details, "vote, then what happened, who spoke, and the record's details"
    assert html[:vote].count("<p") <= 2, "only the date line and the breadcrumb come before the vote"


def test_the_tally_and_each_caveat_are_said_once(client, record):
    for meeting in Meeting.objects.all():
        page = text(client.get(meeting.get_absolute_url()))
        main = page[page.index("Skip to content"):]
        if hasattr(meeting, "vote"):
            tally = tally_text(meeting.vote.tally())
            assert main.count(tally) == 1, f"{meeting}: the tally {tally} once"
        for caveat in Caveat.objects.filter(meeting=meeting):
            words = " ".join(caveat.text.split())
            assert main.count(words) == 1, f"{meeting}: caveat printed {main.count(words)} times: {words[:60]}"


def test_sources_sit_behind_a_marker_un_documents_first(client, record):
    html = body(client.get("/meetings/2014-12-22/"))
    markers = re.findall(r'<details class="cite"><summary>(\d+) sources?</summary><ul class="cite-list">(.*?)</ul>', html, re.S)
    assert markers, "each fact has a marker that opens its sources"
    for count, items in markers:
        kinds = re.findall(r'<span class="kind">([^<]+)</span>', items)
        assert len(kinds) == int(count)
        assert all("(" not in kind and len(kind.split()) <= 2 for kind in kinds), kinds
    order = ["Verbatim", "Release", "Document", "UN News", "Research", "Government", "News"]
    for _, items in markers:
        kinds = re.findall(r'<span class="kind">([^<]+)</span>', items)
        assert kinds == sorted(kinds, key=order.index), "UN records first"
    assert "]" not in text(client.get("/meetings/2014-12-22/")).split("Skip to content")[1].split("Every source")[0]


def test_the_united_states_takes_the_article_in_a_sentence(client, record):
    assert State.objects.get(iso3="USA").sentence_name == "the United States"
    assert State.objects.get(iso3="FRA").sentence_name == "France"
    page = text(client.get("/meetings/2021-12-15/"))
    assert " of United States" not in page
    assert re.search(r"of the United States on behalf of", page)


def test_outcome_line_counts_the_margin_in_words():
    assert outcome_line({"in_favour": 9, "against": 4, "abstaining": 2, "not_participating": 0}) == \
        "Agenda adopted, 9–4–2: no votes to spare"
    assert outcome_line({"in_favour": 10, "against": 3, "abstaining": 2, "not_participating": 0}) == \
        "Agenda adopted, 10–3–2: one vote to spare"
    assert outcome_line({"in_favour": 7, "against": 3, "abstaining": 5, "not_participating": 0}) == \
        "Agenda rejected, 7–3–5: two votes short of the nine needed"
