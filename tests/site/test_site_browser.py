"""The built site in a real browser (headless Chromium): formulas typeset, figures
loaded, search, no external requests. Needs ``FLAXACT_SITE`` pointing at a built
``docs/_build/html`` (``nox -s site`` builds it and sets it), Playwright's Python
package and Debian's Chromium at ``/usr/bin/chromium``; skips, saying why, otherwise."""

from __future__ import annotations

import pytest

import flaxact
from flaxact_dev.docs_testing import ALL_NAMES, ROOT, SITE, site_in_browser

ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def browser_page():
    yield from site_in_browser()


def _typeset(page) -> dict:
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    return page.evaluate(
        """() => {
        const math = [...document.querySelectorAll('span.math, div.math')];
        const raw = math.filter(el => !el.querySelector('mjx-container')).map(el => el.textContent);
        const text = document.querySelector('main, article, body').innerText;
        return {n: math.length, mjx: document.querySelectorAll('mjx-container').length,
                raw: raw, tex: /\\\\(frac|begin|mathrm|max|cdot|sigma|alpha)\\b|\\\\[(\\[]/.test(text)};
    }"""
    )


def _formula_widths(page) -> dict[str, list[str]]:
    """Typeset formulas wider than the box that holds them. ``cell``: a formula wider than
    its table cell. ``past``: a display formula whose block runs past the text column.
    ``scrolled``: a display formula wider than the column, which its block scrolls (the
    reader sees only a part at a time)."""
    return page.evaluate(
        """() => {
        const out = {cell: [], past: [], scrolled: []};
        const room = el => {
            const s = getComputedStyle(el);
            return el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
        };
        for (const m of document.querySelectorAll('mjx-container')) {
            const width = (m.querySelector('mjx-math') || m).getBoundingClientRect().width;
            const what = `${Math.round(width)} px: ` + m.textContent.slice(0, 40);
            const cell = m.closest('td, th');
            if (cell) {
                if (width > room(cell) + 1) out.cell.push(what);
            } else if (m.getAttribute('display') === 'true') {
                const column = m.parentElement.closest('section, article, main');
                if (m.getBoundingClientRect().right > column.getBoundingClientRect().right + 1)
                    out.past.push(what);
                else if (width > room(m) + 1) {
                    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(m).overflowX);
                    (scrolls ? out.scrolled : out.past).push(what);
                }
            }
        }
        return out;
    }"""
    )


def _images(page) -> list[str]:
    """URLs of images that did not load (naturalWidth 0), lazy ones forced to load."""
    return page.evaluate(
        """async () => {
        const imgs = [...document.images];
        imgs.forEach(img => { img.loading = 'eager'; });
        const res = await Promise.all(imgs.map(img => img.decode().then(
            () => [img.currentSrc || img.src, img.naturalWidth],
            () => [img.currentSrc || img.src, img.naturalWidth])));
        return res.filter(([, w]) => !(w > 0)).map(([src]) => src);
    }"""
    )


@pytest.mark.parametrize("name", ALL_NAMES)
def test_activation_page_typesets_formulas_and_loads_images(browser_page, name):
    base, page, _external = browser_page
    page.goto(f"{base}/generated/api/flaxact.{name}.html", wait_until="load")
    math = _typeset(page)
    assert math["n"] > 0, f"{name}: no formula on the page"
    assert math["mjx"] >= math["n"], f"{name}: {math['n']} formulas, {math['mjx']} typeset"
    assert not math["raw"], f"{name}: formulas left as raw TeX: {math['raw'][:3]}"
    assert not math["tex"], f"{name}: raw TeX visible in the page text"
    wide = _formula_widths(page)
    assert not wide["cell"], f"{name}: formulas wider than their table cell: {wide['cell']}"
    assert not wide["past"], f"{name}: formulas running past the column: {wide['past']}"
    if name in {"gelu", "sparsemax", "clamped_swiglu"}:  # long formulas, a line per part
        assert not wide["scrolled"], f"{name}: formulas wider than the column: {wide['scrolled']}"
    broken = _images(page)
    assert not broken, f"{name}: images that did not load: {broken}"
    figure = page.locator(f"img[src*='sphx_glr_plot_{name}_001']")
    assert figure.count() >= 1, f"{name}: the API page shows no figure of its own"
    assert figure.first.evaluate("img => img.naturalWidth") > 0, f"{name}: its figure is empty"
    if name in {"relu", "leaky_relu", "gelu", "softmax"}:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"api_{name}.png"), full_page=True)


def test_landing_page_and_gallery_index(browser_page):
    base, page, _external = browser_page
    page.goto(f"{base}/index.html", wait_until="load")
    assert not _images(page), "landing page images did not load"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)

    page.goto(f"{base}/auto_gallery/index.html", wait_until="load")
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    missing = [
        n for n in ALL_NAMES if not any(h.split("#")[0].endswith(f"/plot_{n}.html") for h in hrefs)
    ]
    assert not missing, f"gallery index does not link {missing}"
    assert not _images(page), "gallery thumbnails did not load"
    page.screenshot(path=str(ARTIFACTS / "gallery.png"), full_page=True)


def test_gallery_pages_load_their_figures(browser_page):
    base, page, _external = browser_page
    for name in ALL_NAMES:
        family = flaxact.get(name).family
        page.goto(f"{base}/auto_gallery/{family}/plot_{name}.html", wait_until="load")
        n = page.evaluate(
            "() => document.querySelectorAll('img.sphx-glr-single-img, img.sphx-glr-multi-img').length"
        )
        assert n >= 1, f"gallery page for {name} shows no figure"
        assert not _images(page), f"gallery page for {name}: images did not load"


@pytest.mark.parametrize("page_name", ["accuracy", "performance"])
def test_measurement_pages_show_figures_and_flag_misses(browser_page, page_name):
    base, page, _external = browser_page
    page.goto(f"{base}/generated/{page_name}.html", wait_until="load")
    n = page.evaluate("() => document.querySelectorAll('figure img, div.figure img').length")
    assert n >= 1, f"{page_name}: no figure"
    assert not _images(page), f"{page_name}: images that did not load"
    flags = page.evaluate(
        """() => [...document.querySelectorAll('span.flaxact-miss')].map(
            el => [getComputedStyle(el).fontWeight, getComputedStyle(el).color])"""
    )
    assert all(int(w) >= 600 and c != "rgb(0, 0, 0)" for w, c in flags), (
        f"unstyled flags {flags[:3]}"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{page_name}.png"))


def test_search_finds_gelu(browser_page):
    base, page, _external = browser_page
    page.goto(f"{base}/search.html?q=gelu", wait_until="load")
    page.wait_for_selector("ul.search li a", timeout=30_000)
    links = page.evaluate("() => [...document.querySelectorAll('ul.search li a')].map(a => a.href)")
    assert any("gelu" in h for h in links), f"search for gelu found {links[:5]}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search_gelu.png"))


def test_site_makes_no_external_requests(browser_page):
    """Offline by construction: MathJax and every asset come from the site itself."""
    base, page, external = browser_page
    page.goto(f"{base}/generated/api/flaxact.relu.html", wait_until="networkidle")
    assert not external, f"requests left the site: {external[:5]}"


def test_every_image_has_a_text_alternative(browser_page):
    """No image on any page of the site has an empty or missing ``alt``: gallery figures
    take theirs from the figures' titles, thumbnails name the example they come from."""
    base, page, _external = browser_page
    missing = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE).as_posix()
        page.goto(f"{base}/{rel}", wait_until="domcontentloaded")
        srcs = page.evaluate(
            """() => [...document.images].filter(
                img => !(img.getAttribute('alt') || '').trim()).map(img => img.getAttribute('src'))"""
        )
        missing += [f"{rel}: {src}" for src in srcs]
    assert not missing, f"{len(missing)} images without alt text: {missing[:10]}"


@pytest.mark.parametrize("module", ["PReLU", "LeakyReLU", "XIELU", "Snake", "GatedFeedForward"])
@pytest.mark.parametrize("prefix", ["", "nnx."])
def test_module_pages_show_the_module_plotted(browser_page, prefix, module):
    """Each Flax module's API page shows its gallery figure (at its initial parameters and
    as they change), loaded."""
    base, page, _external = browser_page
    page.goto(f"{base}/generated/api/flaxact.{prefix}{module}.html", wait_until="load")
    figure = page.locator(f"img[src*='sphx_glr_plot_module_{module.lower()}_001']")
    assert figure.count() == 1, f"{prefix}{module}: no figure of the module"
    assert figure.first.evaluate("img => img.naturalWidth") > 0, f"{prefix}{module}: empty figure"


@pytest.mark.skipif(SITE is None, reason="no built site: run `nox -s site` (sets FLAXACT_SITE)")
def test_figures_are_drawn_on_an_opaque_background():
    """Figures stay legible in the theme's dark mode: each is drawn on its own opaque
    (white) background, not on a transparent one that would put black axes and text on the
    dark page. Sphinx-Gallery's thumbnails are exempt: it pads them with transparency
    around an opaque figure."""
    from PIL import Image

    images = [p for p in (SITE / "_images").glob("*.png") if not p.stem.endswith("_thumb")]
    assert len(images) > 50, "the built site has few figures"
    transparent = []
    for path in images:
        with Image.open(path) as im:
            rgba = im.convert("RGBA")
            corners = [
                rgba.getpixel((x, y)) for x in (0, rgba.width - 1) for y in (0, rgba.height - 1)
            ]
        if any(alpha < 255 for *_, alpha in corners):
            transparent.append(path.name)
    assert not transparent, f"figures with a transparent background: {transparent[:10]}"
