"""Every public page and every event at 1280x800 and 375x812, measured in Chromium as a reader sees it.

On each: nothing scrolls sideways (neither the page nor any box in it), no word is split
across two lines, no line starts with closing punctuation, axe-core finds no violation,
and on an event with a vote the vote (#vote) is in the first screen on a desktop and
within the first two on a phone.

One server and one browser page per width serve the whole module, on the record loaded
once for the session; nothing here writes, so no test needs a database of its own.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

# The marker only makes pytest-django set up the test database; each test's transaction is
# never written to, and the server reads the record committed once for the session.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EVENTS = sorted(path.stem for path in (Path(__file__).parents[2] / "meetings" / "record" / "events").glob("*.json"))
VOTE_EVENTS = {"2014-12-22", "2015-12-10", "2016-12-09", "2017-12-11", "2024-06-12"}
PAGES = {
    "overview": "/",
    "timeline": "/meetings/",
    "votes": "/votes/",
    "countries": "/countries/",
    "country-chn": "/countries/chn/",
    "country-usa": "/countries/usa/",
    "search": "/search/?q=forced+labour",
    "method": "/method/",
    "data": "/data/",
    "not-found": "/meetings/2014-12-23/",
    "changes": "/changes/",
    "report": "/meetings/2014-12-22/report/",
    **{f"event-{day}": f"/meetings/{day}/" for day in EVENTS},
}
SCREENS = {"desktop": (1280, 800), "phone": (375, 812)}
# `make screenshots` keeps the first screen of these for the README.
SCREENSHOTS = {"event-2024-06-12", "event-2014-12-22"}

# Runs in the page: a list of what a reader would see broken.
MEASURE = """
() => {
  const problems = [];
  // What a disclosure hides (sources, breakdowns) is measured open.
  for (const details of document.querySelectorAll('details')) details.open = true;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) problems.push(`the page scrolls sideways by ${root.scrollWidth - root.clientWidth}px`);
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (box.width <= 2 || box.height <= 2) continue;  // visually hidden
    if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${describe(el)} scrolls or clips sideways (${el.scrollWidth}px in ${el.clientWidth}px)`);
  }
  // Every label of the fifteen cells stays inside its cell.
  for (const cell of document.querySelectorAll('.cells .cell a')) {
    const box = cell.getBoundingClientRect();
    for (const label of cell.querySelectorAll('span')) {
      const r = label.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        problems.push(`"${label.textContent}" runs out of its cell`);
    }
  }
  const range = document.createRange();
  const rectOf = (node, start, end) => { range.setStart(node, start); range.setEnd(node, end); return range.getClientRects(); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const closing = /[)\\]}.,;:!?\\u2019\\u201d\\u00bb\\u2026%]/;
  let previous = null;  // the rect of the last visible character so far
  // Text clipped out of sight for screen readers only (a stacked table's header row) is not read by the eye.
  const clippedCache = new Map();
  const clipped = (el) => {
    if (!el || el === document.body) return false;
    if (!clippedCache.has(el)) {
      const style = getComputedStyle(el);
      clippedCache.set(el, style.clip !== 'auto' || style.clipPath !== 'none' || clipped(el.parentElement));
    }
    return clippedCache.get(el);
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || !parent || parent.closest('script, style, title, svg, .visually-hidden, option')) continue;
    if (!parent.getClientRects().length || clipped(parent)) continue;
    const text = node.data;
    // Words, split where a line may break inside one: after a hyphen, dash or slash, and in an address.
    for (const match of text.matchAll(/[^\\s\\-\\u2013\\u2014\\/?&=]+/g)) {
      const rects = [...rectOf(node, match.index, match.index + match[0].length)].filter(r => r.width > 0);
      if (rects.length > 1 && Math.abs(rects[rects.length - 1].top - rects[0].top) > 2)
        problems.push(`"${match[0]}" is split across two lines in ${describe(parent)}`);
    }
    for (let i = 0; i < text.length; i++) {
      if (/\\s/.test(text[i])) continue;
      // An ellipsis that opens a text ("… the vote") is not closing punctuation; one after a word is.
      if (closing.test(text[i]) && !(text[i] === '\u2026' && (i === 0 || /\\s/.test(text[i - 1])))) {
        const here = rectOf(node, i, i + 1)[0];
        let before = null;
        for (let j = i - 1; j >= 0; j--) { if (!/\\s/.test(text[j])) { before = rectOf(node, j, j + 1)[0]; break; } }
        before = before || previous;
        if (here && before && here.width > 0 && here.top >= before.bottom - 2)
          problems.push(`a line starts with "${text[i]}" in ${describe(parent)}: "${text.slice(Math.max(0, i - 30), i + 10).trim()}"`);
      }
    }
    const last = text.trimEnd().length;
    const rects = rectOf(node, last - 1, last);
    if (rects.length && rects[0].width > 0) previous = rects[0];
  }
  return problems;
}
"""


@pytest.fixture(scope="module")
def site(_shipped_record, django_db_blocker):
    """A live server on the record loaded once for the session (reloaded if a browser test flushed it)."""
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    from meetings.models import Meeting
    from meetings.record import load

    with django_db_blocker.unblock():
        if not Meeting.objects.exists():
            load()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        yield server
        server._live_server_modified_settings.disable()
        server.stop()
        connections.close_all()


@pytest.fixture(scope="module")
def screens(browser):
    """One browser page per screen size, reused by every test of the module."""
    pages = {name: browser.new_page(viewport={"width": w, "height": h}) for name, (w, h) in SCREENS.items()}
    yield pages
    for page in pages.values():
        page.close()


PARAMS = [pytest.param(name, screen, id=f"{name}-{screen}") for name in PAGES for screen in SCREENS]


@pytest.mark.parametrize(("name", "screen"), PARAMS)
def test_page_reads_whole_at_both_widths(site, screens, name, screen):
    page = screens[screen]
    response = page.goto(f"{site.url}{PAGES[name]}")
    assert response.status == (404 if name == "not-found" else 200)
    if os.environ.get("SCREENSHOT_DIR") and name in SCREENSHOTS:
        Path(os.environ["SCREENSHOT_DIR"]).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(os.environ["SCREENSHOT_DIR"]) / f"{name}-{screen}.png")
    problems = page.evaluate(MEASURE)
    violations = Axe().run(page).response["violations"]
    problems += [f"axe {v['id']} ({v['impact']}): {v['help']}, e.g. {v['nodes'][0]['target']}" for v in violations]
    if name.removeprefix("event-") in VOTE_EVENTS:
        top = page.evaluate("document.getElementById('vote').getBoundingClientRect().top + window.scrollY")
        bottom = page.evaluate("document.querySelector('#vote .cells').getBoundingClientRect().bottom + window.scrollY")
        width, height = SCREENS[screen]
        screens_allowed = 1 if screen == "desktop" else 2
        if top >= height * screens_allowed:
            problems.append(f"#vote starts at {top:.0f}px, below the first {screens_allowed} screen(s)")
        if screen == "desktop" and bottom > height:
            problems.append(f"the fifteen cells end at {bottom:.0f}px, below the first screen")
    assert problems == [], f"{PAGES[name]} at {screen}:\n" + "\n".join(dict.fromkeys(problems))


def test_event_page_prints_cleanly(site, screens):
    """Printed, an event keeps the record and its sources' addresses, not the site's navigation."""
    page = screens["desktop"]
    page.goto(f"{site.url}/meetings/2014-12-22/")
    page.emulate_media(media="print")
    try:
        assert not page.locator(".site-header nav").is_visible()
        assert not page.locator(".breadcrumbs").is_visible()
        assert page.locator("#vote .cells").is_visible()
        shown = page.evaluate("""() => [...document.querySelectorAll('.record-details .sources a[rel=external]')]
            .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
        assert shown and all(href in content for href, content in shown), shown[:3]
    finally:
        page.emulate_media(media="screen")
