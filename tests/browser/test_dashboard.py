"""Chromium walks the dashboard as a reader does, checks accessibility, and takes screenshots."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results/screenshots"))
PAGES = {
    "overview": "/",
    "timeline": "/meetings/",
    "event-2014": "/meetings/2014-12-22/",
    "event-2024": "/meetings/2024-06-12/",
    "event-2020": "/meetings/2020-12-11/",
    "votes": "/votes/",
    "countries": "/countries/",
    "country-chn": "/countries/chn/",
    "search": "/search/?q=forced+labour",
    "method": "/method/",
    "data": "/data/",
    "not-found": "/meetings/2014-12-23/",
}
WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe_and_is_saved(page, live_server, record, width):
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{path} at {width}: " + "; ".join(
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})" for v in serious)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=width == "desktop" and name != "event-2014")
    # The 404 page logs its own status; anything else (a CSP refusal, a script error) is a fault.
    assert [p for p in problems if "404" not in p] == []


def test_no_horizontal_scroll_on_a_phone(page, live_server, record):
    page.set_viewport_size({"width": 360, "height": 800})
    for path in PAGES.values():
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_reader_searches(page, live_server, record):
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("Words to find").fill("abductions")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-results-heading")).to_contain_text("for “abductions”")
    expect(page).to_have_url(re.compile(r"q=abductions"))
    expect(page.locator("#search-results mark").first).to_have_text(re.compile("abduct", re.I))
    page.get_by_label("Year").select_option("2017")
    expect(page).to_have_url(re.compile(r"year=2017"))
    for date in page.locator("#search-results time").all_inner_texts():
        assert date.endswith("2017")
    page.locator("#search-results .result-title a").first.click()
    expect(page).to_have_url(re.compile(r"/meetings/2017-12-11/"))


@pytest.mark.parametrize(("width", "height", "name"), [(375, 812, "phone"), (1280, 800, "desktop")])
def test_matrix_shows_every_vote_without_scrolling_sideways(page, live_server, record, width, height, name):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/votes/")
    page.locator("#vote-matrix-heading").evaluate("el => el.scrollIntoView({block: 'start'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"votes-matrix-{name}.png")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    viewport = page.viewport_size["width"]
    for row in [page.locator(".matrix thead tr"), page.locator(".matrix tbody tr").first, page.locator(".matrix tbody tr").last]:
        cells = row.locator(".matrix-vote")
        expect(cells).to_have_count(5)
        for box in [cells.nth(i).bounding_box() for i in range(5)]:
            assert box["width"] > 20 and 0 <= box["x"] and box["x"] + box["width"] <= viewport, "every vote is in view"
    page.get_by_label("Seat").select_option("permanent")
    expect(page.locator("#vote-matrix-heading")).to_have_text("5 states, sorted by name")
    expect(page).to_have_url(re.compile(r"seat=permanent"))
    page.go_back()
    expect(page.locator("#vote-matrix-heading")).to_have_text("69 states, sorted by name")


def test_reader_follows_a_country_from_the_matrix_to_its_statement(page, live_server, record):
    page.goto(f"{live_server.url}/votes/")
    page.get_by_role("link", name="Russia", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Russia")
    page.get_by_role("link", name="Statement (before the vote)").first.click()
    expect(page).to_have_url(re.compile(r"/meetings/\d{4}-\d{2}-\d{2}/#statement-\d+$"))
    expect(page.locator("li:target")).to_contain_text("Russia")
