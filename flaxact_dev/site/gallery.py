"""The gallery's per-activation pages, generated from the registry at build time.

Every element-wise and gated activation (and every alias) gets its Sphinx-Gallery page
from one template, ``gallery/page.py.jinja``, filled from its registry record: when to use
it, the models that use it, other libraries' names, what goes wrong, and a figure of the
function and its derivative that the script annotates itself (kinks, minima, bounds, flat
regions) on axes it chooses from the curve; then each parameter swept. Nothing is
committed per activation: at ``config-inited`` ``docs/_ext/flaxact_docs.py`` calls :func:`assemble`,
which mirrors ``gallery/`` (the hand-written scripts: functions of a whole axis,
comparisons, demos) into ``docs/_build/gallery_src`` and adds a generated script for each
registry name that has no hand-written one.
Sphinx-Gallery runs that folder. Files are rewritten only when their text changes.

A page that needs more than the template says: write ``gallery/<family>/plot_<name>.py``
by hand; it replaces the generated one. To start from the template::

    python -m flaxact_dev.site.gallery gelu elu   # writes gallery/<family>/plot_<name>.py

(it never overwrites). ``tests/site/test_docs_completeness.py`` fails when a registry name has neither.

Every array computation is wrapped in ``jax.jit``: one compiled program per curve,
where eager execution compiles every primitive separately.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from flaxact_dev.site import prose
from flaxact_dev.site.render import render, write_if_changed

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "gallery"

#: Margins of the generated pages' line plots, as fractions of the figure (Matplotlib's
#: ``figure.subplot.*``), set before every example by :func:`figure_margins`. Fixed
#: margins rather than ``layout="constrained"``: a layout engine draws each figure twice
#: (once to measure it, once to render it).
FIGURE_MARGINS = {"left": 0.12, "right": 0.97, "bottom": 0.15, "top": 0.91, "wspace": 0.2}


def figure_margins(gallery_conf: Any, fname: Any) -> None:
    """Sphinx-Gallery ``reset_modules`` hook (after its Matplotlib reset): FIGURE_MARGINS."""
    import matplotlib

    matplotlib.rcParams.update({f"figure.subplot.{k}": v for k, v in FIGURE_MARGINS.items()})


def subsection_key(folder: str) -> tuple[int, str]:
    """Sphinx-Gallery ``subsection_order``: the families in the registry's order, then the
    other folders (comparisons, demos, modules), as the gallery's header announces them.

    """
    from flaxact._registry import FAMILIES

    name = Path(folder).name
    return (FAMILIES.index(name), "") if name in FAMILIES else (len(FAMILIES), name)


def _literal(v: Any) -> str:
    """A value as the formatter would write it: strings in double quotes, functions by name."""
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, tuple | list):
        items = ", ".join(_literal(i) for i in v)
        return f"({items},)" if len(v) == 1 else f"({items})"
    if callable(v) and hasattr(v, "__name__"):
        return v.__name__
    return repr(v)


def _summary(rec: Any) -> str:
    doc = (rec.fn.__doc__ or rec.name).strip().splitlines()[0].strip()
    return doc if doc.endswith(".") else doc + "."


def script_path(name: str) -> Path:
    """Where a hand-written script for ``name`` lives (and where the CLI writes one)."""
    import flaxact

    return GALLERY / flaxact.get(name).family / f"plot_{name}.py"


def script_text(name: str) -> str | None:
    """The generated script for a registry name, or None (functions of a whole axis).

    Those — softmax, log_softmax, ..., whose pages show slices and Jacobians — are
    written by hand in ``gallery/normalizing``. The templates hold the page; this passes
    them the record and the parameter sweeps as Python literals.
    """
    import flaxact

    rec = flaxact.get(name)
    if name == rec.name and not (rec.elementwise or rec.family == "gated"):
        return None
    if name != rec.name:
        return render("gallery/alias.py.jinja", alias=name, name=rec.name)
    sweeps = [
        (p, _literal(tuple(v)), _literal(rec.params.get(p))) for p, v in rec.example_params.items()
    ]
    return render(
        "gallery/page.py.jinja",
        name=name,
        rec=rec,
        prose=prose.of(name),
        summary=_summary(rec),
        gated=rec.family == "gated",
        sweeps=sweeps,
    )


def assemble(dest: Path) -> list[str]:
    """Make ``dest`` the gallery Sphinx-Gallery runs: ``gallery/`` plus generated scripts.

    Returns the paths (relative to ``dest``) written or removed. Unchanged files keep
    their modification time, so Sphinx-Gallery and Sphinx see nothing new.
    """
    import flaxact

    wanted: dict[Path, bytes] = {}
    for src in sorted(GALLERY.rglob("*")):
        if src.is_file() and "__pycache__" not in src.parts:
            wanted[src.relative_to(GALLERY)] = src.read_bytes()
    for name in flaxact.names(aliases=True):
        rel = script_path(name).relative_to(GALLERY)
        if rel in wanted:
            continue  # a hand-written page replaces the template
        text = script_text(name)
        if text is not None:
            wanted[rel] = text.encode()
    changed = [str(rel) for rel, data in wanted.items() if write_if_changed(dest / rel, data)]
    if dest.is_dir():
        for path in sorted(dest.rglob("*"), reverse=True):
            rel = path.relative_to(dest)
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed.append(f"{rel} (removed)")
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def main(argv: list[str]) -> int:
    """Write the generated script of each named activation into ``gallery/`` to edit it."""
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for name in argv:
        path, text = script_path(name), script_text(name)
        if text is None:
            print(f"{name}: a function of a whole axis; write its script by hand", file=sys.stderr)
        elif path.exists():
            print(f"{path.relative_to(ROOT)} exists; not overwritten", file=sys.stderr)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
