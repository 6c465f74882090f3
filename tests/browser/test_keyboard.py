"""With the keyboard alone, a reader filters, sorts, pages and goes back without losing their place."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "(() => { const a = document.activeElement; return a === document.body ? 'BODY' : (a.id || a.textContent.trim()); })()"
LIVE = "#live-status"


def tab_to(page, predicate_js, limit=400, backwards=False):
    """Press Tab (or Shift+Tab) until the focused element satisfies `predicate_js` (a JS function of it)."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"({predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"no tab stop matched {predicate_js}")


def active(page):
    return page.evaluate(ACTIVE)


def test_sorting_the_matrix_by_a_header_keeps_focus_place_and_form(page, live_server, record):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/votes/")
    tab_to(page, "el => el.id === 'sort-against'")
    before = page.evaluate("scrollY")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?sort=against$"))
    expect(page.locator(LIVE)).to_have_text("69 states. Sorted by votes against")
    assert active(page) == "sort-against"
    assert abs(page.evaluate("scrollY") - before) < 2, "the page did not jump"
    expect(page.locator("#id_sort")).to_have_value("against")
    expect(page).to_have_title(re.compile(r"^Votes: 69 states, sorted by votes against"))
    expect(page.locator(".matrix tbody th a").first).to_have_text("China")

    # A filter chosen afterwards keeps the sort the reader chose.
    tab_to(page, "el => el.id === 'id_seat'", backwards=True)
    page.keyboard.press("ArrowDown")  # Permanent
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?seat=permanent&sort=against$"))
    expect(page.locator(LIVE)).to_have_text("5 states. Sorted by votes against")
    assert active(page) == "id_seat"

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?sort=against$"))
    expect(page.locator("#id_seat")).to_have_value("")
    expect(page.locator("#id_sort")).to_have_value("against")
    expect(page).to_have_title(re.compile(r"^Votes: 69 states, sorted by votes against"))
    assert active(page) != "BODY"
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/votes/")
    expect(page.locator("#id_sort")).to_have_value("name")
    expect(page).to_have_title(re.compile(r"^Votes: 69 states, sorted by name"))
    assert active(page) != "BODY"
    page.go_forward()
    page.go_forward()
    expect(page).to_have_url(re.compile(r"\?seat=permanent&sort=against$"))
    expect(page.locator("#id_seat")).to_have_value("permanent")
    expect(page.locator(".matrix tbody tr")).to_have_count(5)
    assert active(page) != "BODY"


def test_paging_search_results_moves_to_the_top_of_the_new_page(page, live_server, record):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/search/?q=korea")
    count = int(re.search(r"\d+", page.locator("#search-results-heading").inner_text()).group(0))
    pages = -(-count // 20)
    tab_to(page, "el => el.rel === 'next'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator(LIVE)).to_have_text(f"{count} results for “korea”. Page 2 of {pages}, results 21 to 40")
    assert active(page) == "search-results-heading"
    top = page.locator("#search-results").bounding_box()["y"]
    assert 0 <= top < 100, f"the new page of results starts at {top}px"
    expect(page).to_have_title(re.compile(rf"^Search: korea — {count} results, page 2"))

    # A new search from the box; Back restores the box as well as the results.
    tab_to(page, "el => el.id === 'id_q'", backwards=True)
    page.keyboard.press("Control+a")
    page.keyboard.type("japan")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=japan$"))
    expect(page).to_have_title(re.compile(r"^Search: japan — \d+ results"))
    assert active(page) == "id_q"
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=korea&page=2"))
    expect(page.locator("#id_q")).to_have_value("korea")
    expect(page).to_have_title(re.compile(rf"^Search: korea — {count} results, page 2"))
    assert active(page) != "BODY"


def test_a_select_commits_once_per_decision(page, live_server, record):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/meetings/")
    requests = []
    page.on("request", lambda r: "/meetings/?" in r.url and requests.append(r.url))
    history_before = page.evaluate("history.length")
    tab_to(page, "el => el.id === 'id_year'")
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # 2014, 2015, 2016
    page.wait_for_timeout(300)
    assert requests == [], "arrow keys alone send nothing"
    page.keyboard.press("Tab")
    expect(page).to_have_url(re.compile(r"\?year=2016$"))
    expect(page.locator(LIVE)).to_have_text("1 event matches the filter")
    assert active(page) == "id_format", "focus goes where the reader tabbed"
    expect(page).to_have_title(re.compile(r"^Timeline: 2016 — 1 event"))
    page.wait_for_timeout(300)
    assert len(requests) == 1 and page.evaluate("history.length") == history_before + 1

    # A pointer choice commits at once.
    page.locator("#id_format").select_option("public")
    expect(page).to_have_url(re.compile(r"\?year=2016&format=public$"))
    assert len(requests) == 2

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?year=2016$"))
    expect(page.locator("#id_year")).to_have_value("2016")
    expect(page.locator("#id_format")).to_have_value("")
    page.go_back()
    expect(page.locator("#id_year")).to_have_value("")
    expect(page).to_have_title(re.compile(r"^Timeline ·"))
    assert active(page) != "BODY"


@pytest.mark.parametrize("width", [1280, 320])
def test_no_focused_element_hides_under_a_sticky_one(page, live_server, record, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/votes/")
    covered_js = """() => {
        const a = document.activeElement, r = a.getBoundingClientRect();
        const sticky = [...document.querySelectorAll('thead th, header, .site-header, th, td')]
            .filter(e => ['sticky', 'fixed'].includes(getComputedStyle(e).position) && !e.contains(a));
        return sticky.some(s => {
            const q = s.getBoundingClientRect();
            return q.width > 0 && r.left >= q.left - 1 && r.right <= q.right + 1 && r.top >= q.top - 1 && r.bottom <= q.bottom + 1;
        }) ? (a.id || a.textContent.trim()) : null;
    }"""
    stops, covered = 0, []
    for key in ["Tab", "Shift+Tab"]:
        for _ in range(600):
            page.keyboard.press(key)
            if page.evaluate("document.activeElement === document.body || document.activeElement.closest('footer') !== null"):
                break
            stops += 1
            hidden = page.evaluate(covered_js)
            if hidden:
                covered.append(hidden)
    assert stops > 150, f"only {stops} tab stops were visited"
    assert covered == [], f"{len(covered)} focused elements sat under a sticky element: {covered[:5]}"


@pytest.mark.parametrize("width", [1280, 320])
def test_vote_cells_hold_their_text_with_wcag_text_spacing(page, live_server, record, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/votes/")
    page.add_style_tag(url=f"{live_server.url}/static/css/text-spacing.css")
    expect(page.locator("html")).to_have_css("word-spacing", re.compile(r"^[1-9]"))
    overflowing = page.evaluate("""() => {
        const out = [];
        for (const cell of document.querySelectorAll('.matrix td, .matrix th')) {
            if (!cell.getClientRects().length) continue;
            const c = cell.getBoundingClientRect();
            for (const child of cell.querySelectorAll('.mark, .cell-text, a, .vote-date, .vote-outcome, .row-meta, .row-phone')) {
                const r = child.getBoundingClientRect();
                if (r.width <= 1 || r.height <= 1) continue;  // visually hidden text
                if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1) {
                    out.push(`${cell.textContent.trim().slice(0, 30)} (${Math.round(r.right - c.right)}px)`);
                }
            }
        }
        return out;
    }""")
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def _contrast_script():
    return """() => {
        const lum = ([r, g, b]) => {
            const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
        const behind = el => {
            for (let e = el.parentElement; e; e = e.parentElement) {
                const c = rgb(getComputedStyle(e).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
            }
            return [255, 255, 255];
        };
        const a = document.activeElement, s = getComputedStyle(a);
        if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) return {name: a.outerHTML.slice(0, 80), ratio: 0};
        const ratio = (x, y) => { const l1 = lum(x), l2 = lum(y); return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05); };
        const ring = rgb(s.outlineColor);
        const own = rgb(s.backgroundColor);
        const inner = rgb((s.boxShadow.match(/rgba?\\([^)]*\\)/) || ["rgb(0, 0, 0, 0)"])[0]).slice(0, 3);
        // The outer ring against what lies behind it; against the element's own colour (a
        // button, a vote cell) the outer or the inner ring, whichever touches it best.
        const ratios = [ratio(ring, behind(a))];
        if (own.length === 3 || (own.length === 4 && own[3] > 0.5)) {
            ratios.push(Math.max(ratio(ring, own.slice(0, 3)), s.boxShadow === 'none' ? 0 : ratio(inner, own.slice(0, 3))));
        }
        return {name: a.outerHTML.slice(0, 80), ratio: Math.min(...ratios)};
    }"""


def test_the_focus_ring_has_3_to_1_contrast_on_every_background(page, live_server, record):
    page.set_viewport_size({"width": 1280, "height": 800})
    weak = []
    seen = 0
    for path in ["/votes/", "/meetings/2014-12-22/", "/search/?q=korea", "/", "/countries/"]:
        page.goto(f"{live_server.url}{path}")
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.body"):
                break
            result = page.evaluate(_contrast_script())
            seen += 1
            if result["ratio"] < 3:
                weak.append(f"{path}: {result['name']} {result['ratio']:.2f}")
    assert seen > 200
    assert weak == []


def _luminance(css):
    r, g, b = (float(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
    f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)


def test_forced_colours_keep_the_chart_and_the_ninth_vote(page, live_server, record):
    page.emulate_media(forced_colors="active", color_scheme="dark")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    fill, canvas = page.evaluate("""() => {
        const probe = document.createElement('div');
        probe.style.backgroundColor = 'Canvas';
        document.body.append(probe);
        return [getComputedStyle(document.querySelector('.vote-chart-wide .chart-value')).fill,
                getComputedStyle(probe).backgroundColor];
    }""")
    lighter, darker = sorted([_luminance(fill), _luminance(canvas)], reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5, f"the chart's numbers ({fill}) stay legible on {canvas}"
    page.goto(f"{live_server.url}/meetings/2014-12-22/")
    ring = page.evaluate("getComputedStyle(document.querySelector('.cell-threshold a'), '::after').borderTopStyle")
    assert ring == "solid", "the ninth vote is marked by a border, which forced colours keep"


@pytest.mark.parametrize("path", ["/", "/meetings/", "/votes/", "/countries/", "/countries/chn/", "/search/?q=korea"])
def test_the_list_pages_reflow_at_320_px(page, live_server, record, path):
    """WCAG 1.4.10: at 320 px nothing scrolls sideways, neither the page nor a box in it."""
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    scrolling = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
        .map(e => e.className)""")
    assert scrolling == []
    assert page.locator(".table-scroll[tabindex]").count() == 0, "a wrapper that does not scroll is no tab stop"


def test_a_table_wrapper_is_a_named_tab_stop_only_while_it_scrolls(page, live_server, record):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/countries/")
    wrapper = page.locator(".table-scroll")
    expect(wrapper).not_to_have_attribute("tabindex", "0")
    wrapper.evaluate("el => { el.style.width = '200px'; el.style.overflowX = 'auto'; window.dispatchEvent(new Event('resize')); }")
    expect(wrapper).to_have_attribute("tabindex", "0")
    expect(wrapper).to_have_attribute("role", "region")
    expect(wrapper).to_have_attribute("aria-label", "States in the record, scrolls sideways")
    wrapper.evaluate("el => { el.style.width = ''; window.dispatchEvent(new Event('resize')); }")
    expect(wrapper).not_to_have_attribute("tabindex", "0")
    expect(wrapper).not_to_have_attribute("role", "region")
