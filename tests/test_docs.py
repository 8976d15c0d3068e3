"""The documentation site: completeness, Read the Docs config, and a check in a real browser.

The completeness and config tests run everywhere. The browser tests need a built site
(``FLAXACT_SITE`` pointing at ``docs/_build/html``; ``nox -s site`` builds it and sets
it), Playwright's Python package and Debian's Chromium at ``/usr/bin/chromium``.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import flaxact
from flaxact._registry import FAMILIES

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "gallery"
SITE = Path(os.environ["FLAXACT_SITE"]) if os.environ.get("FLAXACT_SITE") else None
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"

ALL_NAMES = flaxact.names(aliases=True)


def _docs_ext():
    """docs/_ext/flaxact_pages.py, the generator of the API index (needs no Sphinx)."""
    spec = importlib.util.spec_from_file_location(
        "flaxact_pages", ROOT / "docs" / "_ext" / "flaxact_pages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _api_index_entries() -> set[str]:
    """Names listed in the generated API index's autosummary tables."""
    text = _docs_ext()._api_index()
    return set(re.findall(r"^   ([\w.]+)$", text, flags=re.MULTILINE))


def _script(name: str) -> Path:
    return GALLERY / flaxact.get(name).family / f"plot_{name}.py"


# --------------------------------------------------------------------------- completeness
@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_activation_has_a_gallery_script(name):
    path = _script(name)
    assert path.is_file(), f"no gallery script for {name}: expected {path.relative_to(ROOT)}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_gallery_script_plots_function_derivative_and_parameters(name):
    path = _script(name)
    if not path.is_file():
        pytest.fail(f"no gallery script for {name}")
    text = path.read_text()
    assert f"flaxact.{name}" in text, f"{path.name} never calls flaxact.{name}"
    rec = flaxact.get(name)
    if rec.smoothness != "discontinuous":
        assert re.search(r"jax\.(grad|jacobian|jacfwd|jacrev)\b", text), (
            f"{path.name} does not plot the derivative"
        )
    if name == rec.name:
        missing = [p for p in rec.example_params if p not in text]
        assert not missing, f"{path.name} does not sweep {missing}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_activation_has_an_api_page(name):
    assert name in _api_index_entries(), f"{name} is missing from the generated API index"
    if SITE is not None:
        page = SITE / "generated" / "api" / f"flaxact.{name}.html"
        assert page.is_file(), f"built site has no page for {name}"


def _public_documentable() -> list[str]:
    out = []
    public = [*flaxact.__all__, "nnx"]  # flaxact.nnx loads on first use
    for name in dict.fromkeys(public):
        obj = getattr(flaxact, name)
        if inspect.ismodule(obj):
            for sub in getattr(obj, "__all__", ()):
                # re-exported at the top (flaxact.linen.PReLU is flaxact.PReLU): one page
                same = getattr(flaxact, sub, None) is getattr(obj, sub)
                out.append(sub if same else f"{name}.{sub}")
        elif callable(obj):
            out.append(name)
    return out


@pytest.mark.parametrize("name", _public_documentable())
def test_every_public_function_and_module_is_documented(name):
    assert name in _api_index_entries(), f"flaxact.{name} is missing from the API index"


def test_no_stray_gallery_scripts():
    """A script for a name that is not (or no longer) registered is a stale page."""
    names = set(ALL_NAMES)
    families = {r.family for r in flaxact.records()} | set(FAMILIES)
    stray = [
        p.relative_to(ROOT)
        for fam in families
        for p in (GALLERY / fam).glob("plot_*.py")
        if p.stem.removeprefix("plot_") not in names
    ]
    assert not stray, f"gallery scripts without a registry entry: {stray}"


# --------------------------------------------------------------------------- Read the Docs
def test_readthedocs_config_matches_schema():
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the test group")
    exe = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    result = subprocess.run(
        [exe, "--builtin-schema", "vendor.readthedocs", str(ROOT / ".readthedocs.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readthedocs_config_builds_strictly():
    yaml = pytest.importorskip("yaml", reason="pyyaml is in the test group")
    conf = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert conf["version"] == 2
    assert conf["build"]["os"] == "ubuntu-24.04"
    assert isinstance(conf["build"]["tools"]["python"], str)
    assert conf["sphinx"]["configuration"] == "docs/conf.py"
    assert conf["sphinx"]["fail_on_warning"] is True
    jobs = " ".join(" ".join(v) for v in conf["build"].get("jobs", {}).values())
    assert "--group docs" in jobs, "Read the Docs must install the docs dependency group"


# --------------------------------------------------------------------------- the browser
@pytest.fixture(scope="module")
def browser_page():
    if SITE is None or not (SITE / "index.html").is_file():
        pytest.skip("no built site: run `nox -s site` (builds it and sets FLAXACT_SITE)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is in the `site` dependency group"
    )
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing and could not be installed (apt-get install chromium)")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        external: list[str] = []
        page.on(
            "request",
            lambda req: external.append(req.url) if not req.url.startswith(base) else None,
        )
        yield base, page, external
        browser.close()
    server.shutdown()
    server.server_close()


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
    broken = _images(page)
    assert not broken, f"{name}: images that did not load: {broken}"
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
