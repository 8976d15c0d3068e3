"""The Properties page in a real browser (headless Chromium): its tables sort when a
header is clicked, the filter box hides the rows that do not match, the tables keep to
the page's width (scrolling inside their own box), and nothing is fetched from outside
the site. Needs ``FLAXACT_SITE`` pointing at a built ``docs/_build/html``, Playwright and
``/usr/bin/chromium``; skips, saying why, otherwise (as ``test_site_browser.py``)."""

from __future__ import annotations

import math

import pytest

import flaxact
from flaxact_dev.docs_testing import ROOT, site_in_browser

ARTIFACTS = ROOT / "artifacts"
TABLE = "table.flaxact-sortable"


@pytest.fixture(scope="module")
def site():
    """The served site's address and the browser showing it."""
    for base, first, _external in site_in_browser():
        yield base, first.context.browser
        break


@pytest.fixture
def seen(site):
    """The URLs outside the site that the page asked for, and its script errors."""
    return {"external": [], "errors": []}


@pytest.fixture
def page(site, seen):
    """The Properties page, freshly loaded (unsorted, unfiltered)."""
    base, browser = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda r: None if r.url.startswith(base) else seen["external"].append(r.url))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(f"{base}/generated/properties.html", wait_until="networkidle")
    page.wait_for_selector(f"{TABLE} th[role=columnheader]")  # tablesort has set it up
    yield page
    page.close()


def _column(page, header: str, table: int = 0) -> list[str]:
    """The visible cells of the column headed ``header``, top to bottom (a function's
    name without the ``()`` Sphinx writes after it)."""
    cells = page.evaluate(
        """([i, header]) => {
        const table = document.querySelectorAll('table.flaxact-sortable')[i];
        const col = [...table.tHead.rows[0].cells].findIndex(th => th.textContent.trim() === header);
        if (col < 0) throw new Error('no column ' + header);
        return [...table.tBodies[0].rows].filter(r => !r.hidden)
            .map(r => r.cells[col].textContent.trim());
    }""",
        [table, header],
    )
    return [c.removesuffix("()") for c in cells]


def _click(page, header: str, table: int = 0) -> None:
    page.locator(TABLE).nth(table).locator("thead th", has_text=header).first.click()


def _number(cell: str) -> float:
    """A cell of a number column as the page's script orders it: n/a after every number."""
    if cell.startswith(("-∞", "+∞")):
        return math.inf if cell[0] == "+" else -math.inf
    try:
        return float(cell.split()[0])
    except ValueError:
        return math.nan


def test_clicking_a_header_sorts_the_rows(page):
    names = _column(page, "function")
    assert names == sorted(r.name for r in flaxact.records())

    _click(page, "f(0)")  # ascending: -∞, -0.6931, -0.5, ..., 0.6931, 1, then n/a
    values = [_number(c) for c in _column(page, "f(0)")]
    numbers = [v for v in values if not math.isnan(v)]
    assert numbers == sorted(numbers), values
    assert numbers[0] == -math.inf, values  # log1mexp
    assert numbers[-1] == 1.0, values  # squareplus
    assert all(math.isnan(v) for v in values[len(numbers) :]), "n/a is not last"
    assert _column(page, "function")[0] == "log1mexp"

    _click(page, "f(0)")  # again: descending
    values = [_number(c) for c in _column(page, "f(0)")]
    numbers = [v for v in values if not math.isnan(v)]
    assert numbers == sorted(numbers, reverse=True), values

    _click(page, "family")  # ties keep the page's (alphabetical) order
    families = _column(page, "family")
    assert families == sorted(families)
    by_family = sorted(flaxact.records(), key=lambda r: (r.family, r.name))
    assert _column(page, "function") == [r.name for r in by_family]

    _click(page, "function")
    _click(page, "function")  # ascending, then descending
    assert _column(page, "function") == sorted(names, reverse=True)
    header = page.locator(TABLE).first.locator("thead th", has_text="function").first
    assert header.get_attribute("aria-sort") == "descending"


def test_filter_box_hides_rows_that_do_not_match(page):
    box = page.locator("input.flaxact-filter").first
    box.fill("exponential")
    shown = _column(page, "function")
    assert shown == sorted(r.name for r in flaxact.records() if r.family == "exponential")
    assert page.locator(".flaxact-filter-count").first.inner_text().startswith(f"{len(shown)} of")

    box.fill("gated n/a")  # every word must match
    assert _column(page, "function") == sorted(
        r.name for r in flaxact.records() if r.family == "gated"
    )
    box.fill("no-such-function")
    assert _column(page, "function") == []
    box.fill("")
    assert len(_column(page, "function")) == len(flaxact.records())

    # the second table has its own box
    pitfalls = page.locator("input.flaxact-filter").nth(1)
    pitfalls.fill("dying")
    assert "relu" in _column(page, "function", table=1)
    assert len(_column(page, "function", table=0)) == len(flaxact.records())


@pytest.mark.parametrize("width", [1280, 800])
def test_tables_keep_to_the_page_width_and_scroll_inside(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    boxes = page.evaluate(
        """() => {
        const main = document.querySelector('article.bd-article') || document.querySelector('main');
        const content = main.getBoundingClientRect();
        return [...document.querySelectorAll('table.flaxact-sortable')].map(table => {
            // the box that scrolls: the table (display: block) or the theme's wrapper
            let box = table;
            while (box !== main && box.scrollWidth <= box.clientWidth + 1) box = box.parentElement;
            const r = table.getBoundingClientRect();
            return {left: r.left, right: r.right, contentLeft: content.left,
                    contentRight: content.right, scroller: box === main ? null : box.tagName,
                    overflowX: box === main ? null : getComputedStyle(box).overflowX,
                    pageScroll: document.documentElement.scrollWidth - document.documentElement.clientWidth};
        });
    }"""
    )
    assert len(boxes) == 2
    for b in boxes:
        assert b["pageScroll"] <= 0, f"the page scrolls sideways at {width} px: {b}"
        assert b["left"] >= b["contentLeft"] - 1, b
        assert b["right"] <= b["contentRight"] + 1, b
        if b["scroller"] is not None:  # wider than the page: it scrolls in its own box
            assert b["overflowX"] in ("auto", "scroll"), b
    if width == 800:  # the properties table is wider than that: it must scroll in its box
        assert boxes[0]["scroller"] is not None, "the table fits at 800 px: scrolling untested"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"properties_{width}.png"), full_page=False)


def test_no_external_requests_and_no_script_errors(site, page, seen):
    """The scripts come from the site itself, and run without error here and on a page
    with no sortable table (they are loaded on every page)."""
    page.locator("input.flaxact-filter").first.fill("relu")
    _click(page, "family")
    page.goto(f"{site[0]}/generated/api/flaxact.relu.html", wait_until="networkidle")
    assert page.evaluate("() => typeof Tablesort") == "function"
    assert not seen["external"], f"requests left the site: {seen['external'][:5]}"
    assert not seen["errors"], f"script errors: {seen['errors'][:5]}"
