"""The figures the benchmarks draw beside their JSON, each recording the digest of what it
was drawn from, and redrawing those whose results changed
(``python -m flaxact_dev.report``).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from flaxact_dev.report.contract import CONTRACT_ULP, IMPL_LABELS, JAX_NN_GOAL, MODES
from flaxact_dev.report.judge import goals, impls, shapes, tested_bound
from flaxact_dev.report.programs import piecewise_linear
from flaxact_dev.report.results import RESULTS, ROOT, is_num, result_files, shape_of, upgrade_speed

#: The PNG text key holding the digest of a figure's inputs.
FIGURE_KEY = "flaxact-results-digest"


def accuracy_figure(data: dict[str, Any], path: Path, meta: dict[str, str] | None = None) -> None:
    """flaxact's (and jax.nn's) largest float32 error in each bin of x, a panel per case."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    cases = data["cases"]
    edges = np.asarray(data["bins"], float)
    centres = 0.5 * (edges[1:] + edges[:-1])
    drawn = impls(data, "float32")
    colours = {"flaxact": "C0", "jax.nn": "C1", "torch": "C2"}
    ncols = 5
    nrows = math.ceil(len(cases) / ncols)
    height = 1.5 * nrows + 0.55
    # Plain axes with fixed ticks and text titles: shared axes, automatic symlog tick
    # locators and title placement cost most of the drawing time with 35 panels.
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, height), squeeze=False)
    yticks_all = [0, 1, 2, 10, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8]
    xticks = [-20, -10, 0, 10, 20]
    for i, (ax, case) in enumerate(zip(axes.flat, cases, strict=False)):
        top = 1.0
        for impl in drawn:
            curve = case.get("curve", {}).get(impl)
            if not curve:
                continue
            y = np.array([np.nan if v is None else v for v in curve], float)
            ax.plot(
                centres, y, color=colours.get(impl, "C3"), lw=1.0, label=IMPL_LABELS.get(impl, impl)
            )
            finite = y[np.isfinite(y)]
            if finite.size:
                top = max(top, float(finite.max()))
        ax.axhline(CONTRACT_ULP["float32"], color="0.2", lw=0.8, ls="--")
        bound = tested_bound(case)
        if bound is not None and bound != CONTRACT_ULP["float32"] and bound > 0:
            ax.axhline(bound, color="0.45", lw=0.8, ls=":")
        ax.set_yscale("symlog", linthresh=1.0, linscale=0.6)
        ymax = max(top, 2.5) * 1.6
        ax.set_ylim(0, ymax)
        ax.set_xlim(edges[0], edges[-1])
        ax.yaxis.set_major_locator(FixedLocator([t for t in yticks_all if t <= ymax]))
        ax.yaxis.set_major_formatter(
            matplotlib.ticker.FuncFormatter(
                lambda v, _: f"{v:g}" if v < 1e3 else f"1e{math.log10(v):.0f}"
            )
        )
        ax.yaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_locator(FixedLocator(xticks))
        ax.xaxis.set_minor_locator(NullLocator())
        if i < len(cases) - ncols:
            ax.xaxis.set_major_formatter(NullFormatter())
        ax.text(0.5, 1.03, case["id"], transform=ax.transAxes, ha="center", va="bottom", fontsize=8)
        ax.tick_params(labelsize=6.5, pad=1, length=2)
        ax.grid(alpha=0.25, lw=0.5)
    for ax in list(axes.flat)[len(cases) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncols=len(labels), frameon=False, fontsize=9)
    fig.text(0.5, 0.004, "x", ha="center", va="bottom", fontsize=9)
    fig.text(
        0.004, 0.5, "largest error in bin (ULP)", rotation=90, ha="left", va="center", fontsize=9
    )
    fig.subplots_adjust(
        left=0.05, right=0.99, bottom=0.42 / height, top=1 - 0.45 / height, hspace=0.35, wspace=0.22
    )
    _save(fig, path, meta or {})


def speed_figure(
    data: dict[str, Any], path: Path, pw_linear: set[str], meta: dict[str, str] | None = None
) -> None:
    """flaxact / baseline and flaxact / reference per case and array, with the targets."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ids = list(dict.fromkeys(r["id"] for r in data["cases"]))
    names = {r["id"]: r["name"] for r in data["cases"]}
    sizes = shapes(data)
    by = {(r["id"], shape_of(r)): r for r in data["cases"]}
    panels = [(m, "baseline") for m, _ in MODES] + [(m, "reference") for m, _ in MODES]
    bar = 0.8 / len(sizes)
    height = 0.2 * len(ids) + 1.0
    fig, axes = plt.subplots(1, 4, figsize=(11, height), sharey=True)
    ypos = np.arange(len(ids))

    def legend(shape: tuple[int, ...]) -> str:
        (n,) = shape if len(shape) == 1 else (0,)
        return (
            f"$2^{{{n.bit_length() - 1}}}$" if n and n & (n - 1) == 0 else "×".join(map(str, shape))
        )

    for ax, (mode, what) in zip(axes, panels, strict=True):
        ax_values: list[float] = []
        for j, shape in enumerate(sizes):
            vals = []
            for cid in ids:
                e = by.get((cid, shape), {}).get(mode, {})
                v = (
                    e.get("ratio_flaxact_to_baseline")
                    if what == "baseline"
                    else e.get("ratio_to_reference", {}).get("flaxact")
                )
                vals.append(v if is_num(v) else np.nan)
            ax_values += vals
            # bars grow from 1.0 (equal time) to the ratio, left when faster
            ax.barh(
                ypos + (j - (len(sizes) - 1) / 2) * bar,
                np.asarray(vals) - 1.0,
                left=1.0,
                height=bar,
                color=f"C{j}",
                label=legend(shape),
            )
        ax.axvline(1.0, color="0.2", lw=0.8)
        limits = []
        for k, cid in enumerate(ids):
            for w, limit in goals(names[cid], pw_linear):
                if w == what == "reference":
                    ax.plot([limit, limit], [k - 0.45, k + 0.45], color="red", lw=1.4)
                    limits.append(limit)
        if what == "baseline":
            ax.axvline(JAX_NN_GOAL, color="red", lw=1.0, ls="--")
        ax.set_xscale("log")
        finite = [v for v in [*ax_values, *limits] if math.isfinite(v) and v > 0]
        lo = min([0.5, *finite]) / 1.2
        hi = max([2.0, *finite]) * 1.2
        ax.set_xlim(lo, hi)
        ticks = [t for t in (0.25, 0.5, 1, 2, 4, 8, 16) if lo <= t <= hi]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.text(
            0.5,
            1.005,
            f"{dict(MODES)[mode].lower()}\nflaxact / {what}",
            transform=ax.transAxes,
            ha="center",
            va="bottom",
            fontsize=9,
        )
        ax.tick_params(labelsize=7, length=2, pad=1)
        ax.grid(axis="x", alpha=0.3, lw=0.5)
    axes[0].set_yticks(ypos, ids, fontsize=7)
    axes[0].set_ylim(len(ids) - 0.5, -0.5)
    axes[0].yaxis.set_minor_locator(NullLocator())
    # two columns fit the margin left of the first panel, above the case names
    fig.legend(
        *axes[0].get_legend_handles_labels(),
        loc="upper left",
        fontsize=7,
        frameon=False,
        title="array",
        title_fontsize=7,
        ncols=2,
        columnspacing=0.8,
        handlelength=1.2,
    )
    fig.subplots_adjust(
        left=0.17, right=0.99, bottom=0.35 / height, top=1 - 0.5 / height, wspace=0.08
    )
    _save(fig, path, meta or {})


def _figure_inputs(kind: str, data: dict[str, Any], path: Path) -> str:
    """Digest of what a figure shows: its JSON file and what the drawing reads from the
    registry besides (the tested bounds; the piecewise-linear set)."""
    extra = (
        [tested_bound(c) for c in data["cases"]]
        if kind == "accuracy"
        else sorted(piecewise_linear())
    )
    h = hashlib.sha256(path.read_bytes())
    h.update(json.dumps(extra).encode())
    return h.hexdigest()


def draw_figure(json_path: Path) -> Path:
    """Draw the figure of an accuracy or speed result file beside it (``.png``), recording
    the digest of its inputs in the PNG. The kind is the file's own ``kind`` field (any
    ``--out`` name works), else the start of its name."""
    data = json.loads(json_path.read_text())
    kind = data.get("kind") or json_path.stem.split("-", 1)[0]
    if kind == "speed":
        upgrade_speed(data)
    png = json_path.with_suffix(".png")
    meta = {FIGURE_KEY: _figure_inputs(kind, data, json_path)}
    if kind == "accuracy":
        accuracy_figure(data, png, meta)
    elif kind == "speed":
        speed_figure(data, png, piecewise_linear(), meta)
    else:
        raise ValueError(f"draw_figure: no figure for {json_path.name} (accuracy or speed)")
    return png


def stale_figures(folder: Path = RESULTS) -> list[str]:
    """Accuracy and speed result files whose figure is missing or was drawn from other
    inputs than the file and registry of this checkout."""
    from PIL import Image

    out = []
    for path in result_files(folder):
        kind = path.stem.split("-", 1)[0]
        if kind not in ("accuracy", "speed"):
            continue
        png = path.with_suffix(".png")
        drawn = Image.open(png).text.get(FIGURE_KEY) if png.is_file() else None
        data = json.loads(path.read_text())
        if drawn != _figure_inputs(kind, data, path):
            out.append(path.name)
    return out


def _save(fig: Any, path: Path, meta: dict[str, str]) -> None:
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90, metadata=meta, pil_kwargs={"compress_level": 9})
    plt.close(fig)


def main(argv: list[str]) -> int:
    """``python -m flaxact_dev.report [--all]``: redraw stale figures (every one with --all)."""
    names = [p.name for p in result_files() if p.stem.split("-")[0] in ("accuracy", "speed")]
    todo = names if "--all" in argv else stale_figures()
    for name in todo:
        print("drew", draw_figure(RESULTS / name).relative_to(ROOT))
    if not todo:
        print("every figure is up to date")
    return 0
