"""What the documentation tests share: the committed benchmark results the site renders,
the gallery script of each name, and the built site in a headless browser."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import flaxact
from flaxact_dev import report
from flaxact_dev.site import gallery, pages
from flaxact_dev.site import results as site_results

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "gallery"
#: The built site, where a session built one (``nox -s site`` sets it); None otherwise.
SITE = Path(os.environ["FLAXACT_SITE"]) if os.environ.get("FLAXACT_SITE") else None
ALL_NAMES = flaxact.names(aliases=True)
ELEMENTWISE = [r.name for r in flaxact.records() if r.elementwise]


@functools.cache
def api_index_entries() -> set[str]:
    """Names listed in the generated API index's autosummary tables."""
    text = pages.api_index()
    return set(re.findall(r"^   ([\w.]+)$", text, flags=re.MULTILINE))


def script(name: str) -> tuple[str | None, str]:
    """The script of ``name``'s gallery page (None if it has none) and where it comes from.

    A hand-written ``gallery/<family>/plot_<name>.py`` wins; otherwise the build generates
    the page from the registry (element-wise and gated functions, aliases).
    """
    path = gallery.script_path(name)
    if path.is_file():
        return path.read_text(), str(path.relative_to(ROOT))
    return gallery.script_text(name), f"the generated plot_{name}.py"


_SKIP_COMMENT = re.compile(r"^#\s*(%%|sphinx_gallery_|[-=~^]+\s*$)")


def prose(text: str, name: str) -> list[str]:
    """The words of a gallery script's prose, in order: its docstring and its comment lines
    (lines that start with ``#``; not the ``# %%`` separators, heading underlines or
    Sphinx-Gallery's configuration comments), lower-cased, with the page's own name
    replaced by ``NAME`` so that sentences that differ only in the name count as the same."""
    import ast

    doc = ast.get_docstring(ast.parse(text)) or ""
    comments = [
        line.strip()[1:]
        for line in text.splitlines()
        if line.strip().startswith("#") and not _SKIP_COMMENT.match(line.strip())
    ]
    own = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)", re.IGNORECASE)
    words = " ".join([doc, *comments])
    words = own.sub(" NAME ", words.replace(f"flaxact.{name}", "NAME"))
    return [w if w == "NAME" else w.lower() for w in re.findall(r"[\w.'+-]+", words)]


def shingles(words: list[str], n: int = 5) -> set[tuple[str, ...]]:
    """The word ``n``-grams of ``words``."""
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@functools.cache
def committed_results() -> dict:
    return report.load_results()


@functools.cache
def accuracy_page() -> str:
    return site_results.accuracy_page(committed_results())


def site_in_browser(chromium: Path = Path("/usr/bin/chromium")):
    """The built site served on localhost and a page of headless Chromium (Playwright) to
    load it in, for a pytest fixture (``yield from site_in_browser()``): yields
    ``(base_url, page, external)`` once, ``external`` the list of every request the page
    made to anywhere else, and closes both when resumed. Skips the calling test, saying
    why, without a built site (``FLAXACT_SITE``), Playwright or Chromium."""
    import http.server
    import threading

    import pytest

    if SITE is None or not (SITE / "index.html").is_file():
        pytest.skip("no built site: run `nox -s site` (builds it and sets FLAXACT_SITE)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is in the `site` dependency group"
    )
    if not chromium.exists():
        pytest.skip(f"{chromium} is missing and could not be installed (apt-get install chromium)")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(chromium),
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                external: list[str] = []
                page.on(
                    "request",
                    lambda req: None if req.url.startswith(base) else external.append(req.url),
                )
                yield base, page, external
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
