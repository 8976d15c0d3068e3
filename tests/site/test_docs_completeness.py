"""Every public name has its gallery page and API page, and the gallery is assembled
as Sphinx-Gallery runs it (no Sphinx needed)."""

from __future__ import annotations

import html
import inspect
import re

import pytest

import flaxact
from flaxact._registry import FAMILIES
from flaxact_dev.docs_testing import (
    ALL_NAMES,
    GALLERY,
    ROOT,
    SITE,
    api_index_entries,
    prose,
    script,
    shingles,
)
from flaxact_dev.site import gallery as site_gallery


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_activation_has_a_gallery_script(name):
    text, _ = script(name)
    path = site_gallery.script_path(name).relative_to(ROOT)
    assert text is not None, f"no gallery script for {name}: write {path} (not generated)"
    compile(text, f"plot_{name}.py", "exec")  # a generated script is valid Python


@pytest.mark.parametrize("name", ALL_NAMES)
def test_gallery_script_plots_function_derivative_and_parameters(name):
    text, where = script(name)
    if text is None:
        pytest.fail(f"no gallery script for {name}")
    assert f"flaxact.{name}" in text, f"{where} never calls flaxact.{name}"
    rec = flaxact.get(name)
    if rec.smoothness != "discontinuous":
        assert re.search(r"jax\.(grad|jacobian|jacfwd|jacrev)\b", text), (
            f"{where} does not plot the derivative"
        )
    if name == rec.name:
        missing = [p for p in rec.example_params if p not in text]
        assert not missing, f"{where} does not sweep {missing}"


def test_gallery_is_assembled_with_a_page_per_activation(tmp_path, monkeypatch):
    """The folder Sphinx-Gallery runs: gallery/ as it is, plus a script per generated page.

    A hand-written script replaces the generated one, a stale file is removed, and an
    unchanged file is not rewritten (so a rebuild re-runs nothing).
    """
    ext = site_gallery
    out = tmp_path / "src"
    assert ext.assemble(out)
    for name in ALL_NAMES:
        page = out / ext.script_path(name).relative_to(GALLERY)
        assert page.is_file(), f"no gallery page for {name} in the assembled gallery"
        assert page.read_text() == script(name)[0]
    for src in GALLERY.rglob("*.py"):
        assert (out / src.relative_to(GALLERY)).read_bytes() == src.read_bytes()
    assert ext.assemble(out) == [], "an unchanged gallery was rewritten"

    (out / "stale" / "plot_gone.py").parent.mkdir()
    (out / "stale" / "plot_gone.py").write_text("")
    hand = tmp_path / "gallery"
    (hand / "rectifier").mkdir(parents=True)
    (hand / "rectifier" / "plot_relu.py").write_text("# by hand\n")
    monkeypatch.setattr(ext, "GALLERY", hand)
    changed = ext.assemble(out)
    assert (out / "rectifier" / "plot_relu.py").read_text() == "# by hand\n"
    assert "stale/plot_gone.py (removed)" in changed
    assert not (out / "stale").exists()


#: The most that two activations' pages may share: the fraction of the shorter page's
#: word 5-grams that the other page also has (containment, not Jaccard, so that a short
#: page cannot hide inside a long one).
MAX_SHARED_PROSE = 0.5


def shared_prose() -> list[tuple[float, str, str]]:
    """Each pair of per-activation pages (generated or hand-written; aliases left out,
    since their page points at their target's) with the share of prose they have in
    common, the largest first."""
    pages = {}
    for name in flaxact.names():
        text, _ = script(name)
        if text is not None:
            pages[name] = shingles(prose(text, name))
    found = []
    for i, (a, sa) in enumerate(pages.items()):
        for b, sb in list(pages.items())[i + 1 :]:
            found.append((len(sa & sb) / max(1, min(len(sa), len(sb))), a, b))
    return sorted(found, reverse=True)


def test_no_two_activation_pages_share_most_of_their_prose():
    """Each page teaches what is specific to its function: no two per-activation gallery
    pages have more than half of their prose (docstring and comment blocks, as word
    5-grams, the page's own name left out) in common."""
    pairs = shared_prose()
    over = [f"{a} / {b}: {share:.0%}" for share, a, b in pairs if share > MAX_SHARED_PROSE]
    assert not over, f"{len(over)} pairs of pages share most of their prose: {over[:10]}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_activation_has_an_api_page(name):
    assert name in api_index_entries(), f"{name} is missing from the generated API index"
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
    assert name in api_index_entries(), f"flaxact.{name} is missing from the API index"


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


def _site_pages(*parts: str) -> list:
    """The built site's HTML pages under ``parts`` (skips when no site was built)."""
    if SITE is None:
        pytest.skip("no built site: set FLAXACT_SITE to a built docs/_build/html")
    pages = sorted(SITE.joinpath(*parts).rglob("*.html"))
    assert pages, f"no pages under {SITE.joinpath(*parts)}"
    return pages


def _page_text(path) -> str:
    """A page's text as a reader sees it: scripts and tags dropped, entities decoded."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# An object shown by its repr: ``<function silu at 0x7f...>``, ``<class 'jax.numpy.float32'>``,
# ``<function variance_scaling.<locals>.init>``, a dataclass's ``<factory>``.
_REPR = re.compile(
    r"<(?:function|class|factory|bound method|built-in function|lambda)\b"
    r"|<locals>|\bat 0x[0-9a-fA-F]{4,}|<[\w.]+ object\b"
)


def test_api_pages_show_no_object_reprs():
    """Signatures show defaults as code (``param_dtype=jnp.float32``,
    ``kernel_init=lecun_normal()``), never a repr with an address or ``<locals>``."""
    found = []
    for page in _site_pages("generated", "api"):
        found += [f"{page.name}: {m.group(0)!r}" for m in _REPR.finditer(_page_text(page))]
    assert not found, f"object reprs on API pages: {found[:10]}"


def test_options_keep_their_hyphens():
    """Smart quotes turn ``--keep-going`` outside a literal into an en dash, which a
    reader copies into a command that fails: every option on the site is a literal."""
    dashed = re.compile(r"(?:^|[\s(])[\u2013\u2014]\w")
    found = []
    for page in _site_pages():
        if "_modules" in page.parts:
            continue
        for m in dashed.finditer(_page_text(page)):
            found.append(f"{page.relative_to(SITE)}: {m.group(0).strip()!r}")
    assert not found, f"an en or em dash where an option's hyphens belong: {found[:10]}"


def test_no_page_shows_raw_directives():
    """Directives render on every page, Markdown (MyST) ones included: no page shows the
    text of one (``.. list-table::``) where a table or formula belongs."""
    raw = re.compile(r"^\s*\.\. [\w-]+::", flags=re.MULTILINE)
    found = [
        f"{page.relative_to(SITE)}: {m.group(0).strip()!r}"
        for page in _site_pages()
        if "_modules" not in page.parts
        for m in raw.finditer(_page_text(page))
    ]
    assert not found, f"directives shown as text: {found[:10]}"
    development = (SITE / "development.html").read_text()
    assert development.count('<table class="flaxact-props') == 2, "the measured records' tables"
