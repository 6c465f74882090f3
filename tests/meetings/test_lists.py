"""The list pages read well: names in a reader's order, search snippets with context, titles that follow the state."""

import re

import pytest

from meetings.presenters import name_key, year_range_list
from meetings.search import ELLIPSIS, START, STOP, trimmed
from tests.meetings.test_views import HX, text

pytestmark = pytest.mark.django_db


def test_states_are_listed_in_a_readers_order(client, record):
    page = text(client.get("/countries/"))
    assert page.index("Côte d'Ivoire") < page.index("Croatia") < page.index("Czechia")
    html = client.get("/meetings/").content.decode()
    options = re.findall(r'<option value="(\w{3})"', html)
    assert options.index("civ") < options.index("hrv") < options.index("cze")


def test_the_matrix_sorts_names_as_a_reader_does():
    names = ["Czechia", "Croatia", "Côte d'Ivoire", "China"]
    assert sorted(names, key=name_key) == ["China", "Côte d'Ivoire", "Croatia", "Czechia"]


def test_years_without_a_vote_read_as_ranges():
    assert year_range_list([2025, 2018, 2019, 2020, 2022]) == ["2018–2020", "2022", "2025"]
    assert year_range_list([]) == []


def test_a_cut_snippet_says_so_and_never_opens_on_punctuation():
    text_ = "The commission found crimes against humanity (prison camps, abductions), linked them to security, and more."
    snippet = f"), linked them to security, and {START}more{STOP}"
    assert trimmed(snippet, text_) == f"{ELLIPSIS} linked them to security, and {START}more{STOP}"
    middle = f"humanity (prison camps, {START}abductions{STOP}), linked them to"
    assert trimmed(middle, text_) == f"{ELLIPSIS} humanity (prison camps, {START}abductions{STOP}), linked them to {ELLIPSIS}"
    assert trimmed(text_, text_) == text_


def test_search_snippets_have_context_on_both_sides(client, record):
    html = client.get("/search/?q=abductions").content.decode()
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', html, re.S)
    assert snippets
    for snippet in snippets:
        assert not re.match(r"^[\s,.;:)\]}»”’]", snippet), snippet
        plain = snippet.split("<mark>")[0]
        assert plain.strip(), f"the snippet starts on the match: {snippet}"
    assert sum(s.startswith(ELLIPSIS) for s in snippets) > 0
    assert sum(s.endswith(ELLIPSIS) for s in snippets) > 0


def test_titles_and_summaries_follow_the_state(client, record):
    html = client.get("/search/?q=japan").content.decode()
    count = int(re.search(r"(\d+) results for “japan”", html).group(1))
    assert f"<title>Search: japan — {count} results · " in html
    fragment = client.get("/search/?q=korea&page=2", **HX).content.decode()
    assert re.search(r'data-summary="\d+ results for “korea”. Page 2 of \d+, results 21 to 40"', fragment)
    assert 'data-title="Search: korea — ' in fragment
    fragment = client.get("/meetings/?year=2016", **HX).content.decode()
    assert 'data-summary="1 event matches the filter"' in fragment and 'data-title="Timeline: 2016 — 1 event"' in fragment
    fragment = client.get("/votes/?sort=against", **HX).content.decode()
    assert 'data-summary="69 states. Sorted by votes against"' in fragment
    assert 'tabindex="-1"' in fragment


def test_results_are_no_landmark_and_wrappers_no_tab_stop(client, record):
    for path in ["/meetings/", "/countries/", "/", "/countries/chn/", "/votes/"]:
        html = client.get(path).content.decode()
        assert 'aria-live="polite"' not in html.split('id="live-status"')[0], path
        assert not re.search(r'class="table-scroll" tabindex="0"', html), path
    html = client.get("/votes/").content.decode()
    assert html.count('id="live-status"') == 1 and "js/updates.js" in html


def test_the_chart_has_a_short_name_and_its_description_once(client, record):
    html = client.get("/").content.decode()
    svgs = re.findall(r'<svg [^>]*aria-labelledby="([\w-]+)" aria-describedby="([\w-]+)"[^>]*>(.*?)</svg>', html, re.S)
    assert len(svgs) == 2  # drawn for a desktop's column and for a phone
    for title_id, desc_id, body in svgs:
        title = re.search(rf'<title id="{title_id}">([^<]+)</title>', body).group(1)
        desc = re.search(rf'<desc id="{desc_id}">([^<]+)</desc>', body).group(1)
        assert len(title) < 60 and title not in desc
        assert "10 December 2015: 9 in favour of 15, no vote to spare." in desc


@pytest.mark.parametrize("path", ["/", "/meetings/", "/votes/", "/countries/", "/countries/chn/", "/search/?q=korea"])
def test_landmarks_are_few_and_uniquely_named(client, record, path):
    html = client.get(path).content.decode()
    names = re.findall(r'<(?:nav|section|aside|form)\b[^>]*\baria-label="([^"]+)"', html)
    names += re.findall(r'role="region"[^>]*aria-label="([^"]+)"', html)
    assert len(names) == len(set(names)), names
    assert "<section aria-label" not in html and "<section aria-labelledby" not in html
    assert "text-transform: uppercase" not in html


def test_a_matrix_cell_is_one_escaped_table_cell():
    from meetings.presenters import MatrixCell

    cell = MatrixCell("in_favour", 'In favour <b>"x"</b>', 2014, '/meetings/2014-12-22/#member-chn"')
    assert str(cell.html) == (
        '<td class="matrix-vote vote-in_favour" data-label="2014"><a href="/meetings/2014-12-22/#member-chn&quot;">'
        '<span class="mark mark-in_favour" aria-hidden="true">✓</span>'
        '<span class="cell-text">In favour &lt;b&gt;&quot;x&quot;&lt;/b&gt;</span></a></td>'
    )
