"""The activation explorer (``explorer.html``, from docs/explorer.md) in headless Chromium:
it loads nothing from elsewhere, and what it draws after a real interaction (choosing an
activation, moving its slider with the keyboard, switching to the derivative, hovering)
is what flaxact computes here. Needs ``FLAXACT_SITE`` like tests/site/test_site_browser.py,
and skips, saying why, without it."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import flaxact
from flaxact_dev.docs_testing import ROOT, site_in_browser

ARTIFACTS = ROOT / "artifacts"

#: The data behind one of the page's three curves, read from the Bokeh ColumnDataSource
#: the plot draws: columns x, y<slot> and label<slot>.
CURVE = """(slot) => {
    const source = Bokeh.documents[0].get_model_by_name("curves")
    return {x: Array.from(source.get_column("x")), y: Array.from(source.get_column(`y${slot}`)),
            label: source.get_column(`label${slot}`)[0]}
}"""


@pytest.fixture(scope="module")
def served():
    yield from site_in_browser()


@pytest.fixture
def explorer(served):
    """The page freshly loaded (each test starts from its defaults), the requests it made
    elsewhere and its script errors."""
    base, page, external = served
    external.clear()
    errors: list[str] = []

    def record(exc):
        errors.append(str(exc))

    page.on("pageerror", record)
    page.goto(f"{base}/explorer.html", wait_until="networkidle")
    # drawn once the document is ready: the first curve has its legend text
    page.wait_for_function(
        "() => window.Bokeh && Bokeh.documents.length > 0"
        " && Bokeh.documents[0].get_model_by_name('curves').get_column('label0')[0] !== ''"
    )
    yield page, external, errors
    page.remove_listener("pageerror", record)


def _expected(name: str, x: np.ndarray, derivative: bool, **params) -> np.ndarray:
    """flaxact's values under ``jax.jit``, the parameters numbers, as the page states."""
    f = functools.partial(flaxact.get(name).example_fn, **params)
    return np.asarray(jax.jit(jax.vmap(jax.grad(f)) if derivative else f)(jnp.asarray(x)))


def _assert_drawn(page, slot: int, name: str, derivative: bool, **params) -> None:
    """The curve drawn in ``slot`` is flaxact's, to the float32 value, at every x: a probe
    at a kink and a few round values first (a clearer message), then the whole grid."""
    curve = page.evaluate(CURVE, slot)
    x = np.asarray(curve["x"], np.float32)
    y = np.asarray(curve["y"], np.float32)
    assert x.size > 100, f"slot {slot}: {x.size} points drawn"
    expected = _expected(name, x, derivative, **params)
    for probe in (-2.0, -0.5, 0.0, 1.5):
        (i,) = np.flatnonzero(x == np.float32(probe))
        assert y[i] == expected[i], (
            f"{name}{params} {'derivative ' if derivative else ''}at x={probe}: "
            f"drawn {y[i]!r}, flaxact gives {expected[i]!r}"
        )
    np.testing.assert_array_equal(y, np.where(np.isfinite(expected), expected, np.nan))


def test_explorer_loads_offline_and_draws_its_defaults(explorer):
    page, external, errors = explorer
    assert not external, f"requests left the site: {external[:5]}"
    assert not errors, f"script errors: {errors[:3]}"
    assert page.locator(".fx-select0 select").is_visible()
    # the defaults: relu, gelu (tanh form) and elu with alpha = 1
    _assert_drawn(page, 0, "relu", derivative=False)
    _assert_drawn(page, 1, "gelu", derivative=False, approximate=True)
    _assert_drawn(page, 2, "elu", derivative=False, alpha=1.0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer.png"), full_page=True)


def test_slider_and_derivative_toggle_select_flaxacts_values(explorer):
    page, _external, errors = explorer
    page.locator(".fx-select0 select").select_option("leaky_relu")
    slider = page.locator(".fx-control0-leaky_relu-negative_slope")
    handle = slider.locator(".noUi-handle")
    handle.wait_for(state="visible")
    assert slider.locator(".bk-slider-title").inner_text() == "negative_slope: 0.01"
    _assert_drawn(page, 0, "leaky_relu", derivative=False, negative_slope=0.01)

    # the keyboard on the slider's handle: one step to the right, the next value offered
    handle.focus()
    page.keyboard.press("ArrowRight")
    assert slider.locator(".bk-slider-title").inner_text() == "negative_slope: 0.1"
    _assert_drawn(page, 0, "leaky_relu", derivative=False, negative_slope=0.1)
    assert page.evaluate(CURVE, 0)["label"] == "leaky_relu(negative_slope=0.1)"

    page.locator(".fx-derivative button", has_text="f′(x)").click()
    _assert_drawn(page, 0, "leaky_relu", derivative=True, negative_slope=0.1)
    _assert_drawn(page, 2, "elu", derivative=True, alpha=1.0)
    axis = page.evaluate("() => Bokeh.documents[0].get_model_by_name('plot').left[0].axis_label")
    assert axis == "f′(x)"

    # another slot's slider to its end: elu with alpha = 2, still the derivative
    alpha = page.locator(".fx-control2-elu-alpha")
    alpha.locator(".noUi-handle").focus()
    page.keyboard.press("End")
    assert alpha.locator(".bk-slider-title").inner_text() == "alpha: 2"
    _assert_drawn(page, 2, "elu", derivative=True, alpha=2.0)

    page.locator(".fx-derivative button", has_text="f(x)").click()
    _assert_drawn(page, 2, "elu", derivative=False, alpha=2.0)
    page.locator(".fx-select0 select").select_option("relu")
    handle.wait_for(state="hidden")  # relu has no parameter: the slider goes
    _assert_drawn(page, 0, "relu", derivative=False)
    assert not errors, f"script errors: {errors[:3]}"


def test_hover_reads_values_off_the_curves(explorer):
    """One tooltip under the cursor: x, and each curve's name and value there."""
    page, _external, _errors = explorer
    page.locator(".fx-select1 select").select_option("leaky_relu")
    page.locator(".fx-select2 select").select_option("none")
    canvas = page.locator(".bk-Canvas").first.bounding_box()
    assert canvas is not None
    page.mouse.move(canvas["x"] + canvas["width"] * 0.3, canvas["y"] + canvas["height"] * 0.5)
    tooltip = page.locator(".bk-Tooltip .bk-tooltip-content").filter(has_text="x = ")
    tooltip.wait_for(state="visible", timeout=10_000)
    first, *rows = tooltip.inner_text().splitlines()
    x = float(first.removeprefix("x = "))
    shown = dict(r.removeprefix("━ ").rsplit(": ", 1) for r in rows)
    assert list(shown) == ["relu", "leaky_relu(negative_slope=0.01)"], rows
    # each value shown is the one drawn at that x, to the 6 digits shown
    for slot, text in enumerate(shown.values()):
        curve = page.evaluate(CURVE, slot)
        (i,) = np.flatnonzero(np.asarray(curve["x"], np.float32) == np.float32(x))
        assert float(text) == pytest.approx(curve["y"][i], rel=5e-6, abs=1e-30), (slot, rows)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer_hover.png"))


def test_controls_stay_legible_in_dark_mode(explorer):
    """In the theme's dark mode the widgets sit on a light panel: each select's text (the
    activation chosen) must differ in colour from its box, which the page's dark colour
    scheme would otherwise turn white on white."""
    page, _, _ = explorer
    page.emulate_media(color_scheme="dark")
    try:
        page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
        selects = page.evaluate(
            """() => {
            const out = [];
            const walk = root => {
                for (const el of root.querySelectorAll('*')) {
                    if (el.tagName === 'SELECT') {
                        const s = getComputedStyle(el);
                        out.push({value: el.value, color: s.color, background: s.backgroundColor});
                    }
                    if (el.shadowRoot) walk(el.shadowRoot);
                }
            };
            walk(document);
            return out;
        }"""
        )
        assert [s["value"] for s in selects] == ["relu", "gelu", "elu"], selects
        unreadable = [s for s in selects if s["color"] == s["background"]]
        assert not unreadable, f"select text in its box's colour in dark mode: {unreadable}"
    finally:
        page.emulate_media(color_scheme="light")
        page.evaluate("() => document.documentElement.dataset.theme = 'light'")
