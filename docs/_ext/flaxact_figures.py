"""The figures of the generated pages, drawn in a process of their own.

``flaxact_docs.py`` writes the generated pages itself at ``config-inited`` and starts
``python flaxact_figures.py OUT`` for their figures (the Accuracy and Performance
figures of ``flaxact_results.py``, the landing page's ``overview.png``): drawing them
takes 5-10 s, which then overlaps with the gallery in the main process. It waits for
this process before Sphinx reads any page (the pages name the figures).

The process is started only when a figure may be out of date: when it is missing or
older than one of its inputs (:func:`inputs`); ``flaxact_results.generate`` then decides
by content hash which ones to redraw. The stamp file records the last complete run.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
STAMP = ".figures-stamp"


def inputs() -> list[Path]:
    """Files the figures are drawn from: the drawing code, the results, the package."""
    import flaxact_results

    return [
        HERE / "flaxact_results.py",
        HERE / "flaxact_pages.py",
        Path(__file__),
        *flaxact_results.result_files(),
        *(ROOT / "flaxact").glob("*.py"),
    ]


def up_to_date(out: Path) -> bool:
    """Whether the last complete run is newer than every input (then nothing to draw)."""
    stamp = out / STAMP
    if not stamp.is_file():
        return False
    made = stamp.stat().st_mtime
    return all(p.stat().st_mtime < made for p in inputs() if p.is_file())


def main(out: Path) -> int:
    import flaxact_results
    from flaxact_pages import _overview_png, _write_if_changed

    drawn = [p for p in flaxact_results.generate(out, _write_if_changed) if p.endswith(".png")]
    _overview_png(out / "overview.png")
    (out / STAMP).write_text("\n".join(drawn) + "\n")
    print(", ".join(drawn) or "no figure redrawn")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    sys.exit(main(Path(sys.argv[1])))
