"""What the committed benchmark results say: loading, noise bands, goals, findings, and
the figures the benchmarks draw when they write their JSON.

``benchmarks/{accuracy,speed,cost,exhaustive}.py`` write
``benchmarks/results/<kind>-<platform>.json``; ``accuracy.py`` and ``speed.py`` then call
:func:`draw_figure`, which puts ``<kind>-<platform>.png`` beside the JSON. Every pass/fail
judgement over those files (the contract's limits, the run-time targets, the noise band
of each run, which functions are piecewise linear) is made here; the documentation
extension only renders what this module returns, and the tests assert the same
judgements. Nothing here needs Sphinx.

``python -m flaxact_dev.report`` redraws the figures whose results changed (each PNG
records the digest of what it was drawn from; :func:`stale_figures` compares).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

from flaxact_dev.source import digest as _source_digest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
#: The PNG text key holding the digest of a figure's inputs.
FIGURE_KEY = "flaxact-results-digest"

#: The numerics contract (DESIGN.md §2): float32 and half-type ULP, measured where input
#: and output are normal numbers of the type.
CONTRACT_ULP = {"float32": 2.0, "bfloat16": 1.0, "float16": 1.0}


DTYPES = ("float32", "bfloat16", "float16")


#: Smallest normal float32. JAX on the CPU flushes float32 subnormals (and bfloat16 ones,
#: computed in float32) to zero; float16 subnormals are normal float32 numbers.
F32_TINY = 2.0**-126


#: Gradient relative errors above this are listed (the contract itself is "finite").
GRAD_NOTE = 1e-3


#: Run-time targets relative to the memory-bound reference op, by activation name.
#: The piecewise-linear ones (limit 1.1) are found numerically, see ``piecewise_linear``.
REFERENCE_GOALS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("elu", "celu", "selu"), 2.0),
    (("softplus", "log_sigmoid"), 3.0),
    (("mish",), 4.0),
)


PIECEWISE_LINEAR_GOAL = 1.1


#: A ratio to the reference below this says more about timing noise than about speed.
NOISE_FLOOR = 0.8


#: Run-time target against the baseline (jax.nn, or the jnp code a user would write):
#: stricter than the contract's run-time limits (``CONTRACT``).
JAX_NN_GOAL = 1.0


#: The cost contract (DESIGN.md §2), as limits on flaxact / baseline: run time (forward,
#: and forward + backward), trace + compile time of a deep model, optimized HLO
#: instructions, bytes saved for the backward pass, and the largest float32 error in ULP
#: (against jax.nn's, or half an ULP where jax.nn's is smaller: correct rounding).
CONTRACT = {
    "forward": 1.10,
    "forward_backward": 1.10,
    "compile": 1.5,
    "program": 2.0,
    "saved": 1.0,
    "ulp": 1.0,
}


IMPL_LABELS = {"flaxact": "flaxact", "jax.nn": "jax.nn", "torch": "PyTorch"}


MODES = (("forward", "Forward"), ("forward_backward", "Forward + backward"))


#: Arrays read and written by the reference op of each mode (``2*x``; ``(2*x, 3*x)``).
REFERENCE_ARRAYS = {"forward": 2, "forward_backward": 3}


# --------------------------------------------------------------------------- loading
KINDS = ("accuracy", "speed", "cost", "exhaustive")


def result_files(folder: Path = RESULTS) -> list[Path]:
    return sorted(p for p in folder.glob("*-*.json") if p.stem.split("-", 1)[0] in KINDS)


def load_results(folder: Path = RESULTS) -> dict[str, dict[str, Any]]:
    """``{platform: {"accuracy": {...}, "speed": {...}, "cost": {...}, "exhaustive": {...}}}``,
    CPU first, then GPU, then the rest (a kind is absent where its file is)."""
    out: dict[str, dict[str, Any]] = {}
    for path in result_files(folder):
        kind, plat = path.stem.split("-", 1)
        data = json.loads(path.read_text())  # NaN and Infinity are valid in these files
        data["_file"] = f"benchmarks/results/{path.name}"
        if kind == "speed":
            upgrade_speed(data)
            _add_noise_bands(data)
        out.setdefault(plat, {})[kind] = data
    order = {"cpu": 0, "gpu": 1}
    return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], 2), kv[0])))


def upgrade_speed(data: dict[str, Any]) -> None:
    """Bring a speed file written before baselines and shapes to today's form, in place.

    Such a file timed element-wise functions only, on 1-D arrays, against jax.nn, under
    the keys ``jax.nn``, ``ratio_flaxact_to_jax_nn`` and ``same_program_as_jax_nn``.
    """
    for row in data["cases"]:
        row.setdefault("shape", [row["size"]])
        old = any("ratio_flaxact_to_jax_nn" in row.get(m, {}) for m, _ in MODES)
        row.setdefault("baseline", "jax.nn" if old else None)
        for mode, _ in MODES:
            entry = row.get(mode, {})
            for table in (entry.get("median_s", {}), entry.get("ratio_to_reference", {})):
                if "jax.nn" in table:
                    table["baseline"] = table.pop("jax.nn")
            for key in ("ratio_flaxact_to", "same_program_as"):
                if f"{key}_jax_nn" in entry:
                    entry[f"{key}_baseline"] = entry.pop(f"{key}_jax_nn")


def shape_of(row: dict[str, Any]) -> tuple[int, ...]:
    return tuple(row.get("shape") or (row["size"],))


#: The share of A/A comparisons of a shape that the noise band covers.
NOISE_QUANTILE = 0.9


def _add_noise_bands(data: dict[str, Any]) -> None:
    """Give each row ``noise_band``: how far apart two identical reference ops ran in this
    file (``noise_ratio``, an A/A comparison), as the NOISE_QUANTILE quantile of
    ``|noise_ratio - 1|`` over the rows of its shape, both modes (a quantile, not the
    maximum: one disturbed pair must not excuse every miss). 0 in files without it."""
    spread: dict[tuple[int, ...], list[float]] = {}
    for row in data["cases"]:
        for mode, _ in MODES:
            v = row.get(mode, {}).get("noise_ratio")
            if is_num(v):
                spread.setdefault(shape_of(row), []).append(abs(v - 1))
    bands = {
        shape: sorted(vals)[min(len(vals) - 1, math.ceil(NOISE_QUANTILE * len(vals)) - 1)]
        for shape, vals in spread.items()
    }
    for row in data["cases"]:
        row["noise_band"] = bands.get(shape_of(row), 0.0)


def machine_label(info: dict[str, Any]) -> str:
    """``CPU: AMD EPYC (2 cores), jax 0.10.2`` or ``GPU: NVIDIA H100 80GB HBM3, jax 0.11.2``:
    the machine and the jax the results were measured with (``info["jax"]``), since
    jax.nn's figures, the baselines, are that jax's."""
    plat = str(info.get("platform", "?")).upper()
    device = info.get("device") or ""
    if plat == "CPU" or device.lower() == "cpu":
        cores = info.get("cpu_count")
        label = f"{plat}: {info.get('cpu', 'unknown')}" + (f" ({cores} cores)" if cores else "")
    else:
        label = f"{plat}: {device}"
    return label + f", jax {info.get('jax') or 'version not recorded'}"


@functools.cache
def built_jax() -> str:
    """The version of the jax this process runs: the one the site is built with."""
    import jax

    return jax.__version__


def measured_jax(info: dict[str, Any]) -> tuple[bool, str]:
    """Whether the results were measured with the jax the site is built with
    (``info["jax"]``, which the benchmarks record), and a phrase saying which."""
    measured, now = info.get("jax"), built_jax()
    if measured == now:
        return True, f"jax {now}, the version this site is built with"
    if measured is None:
        return False, f"not recorded (this site is built with jax {now})"
    return False, f"jax {measured}, not the jax {now} this site is built with"


@functools.cache
def current_source() -> str:
    """The digest of the library code in this checkout (``flaxact_dev/source.py``)."""
    return _source_digest()


def measured_code(info: dict[str, Any]) -> tuple[bool, str]:
    """Whether the results were measured on the code documented here, and a phrase."""
    measured, now = info.get("flaxact_source"), current_source()
    if measured == now:
        return True, f"the code this site documents (source digest ``{now}``)"
    if measured is None:
        return False, "not recorded (the file predates the source digest)"
    return False, f"an earlier version (source digest ``{measured}``; this site's: ``{now}``)"


# --------------------------------------------------------------------------- formatting
def is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# --------------------------------------------------------------------------- accuracy facts
def tested_bound(case: dict[str, Any]) -> float | None:
    """The float32 bound the test suite asserts for this case, from the registry now."""
    import flaxact

    try:
        rec = flaxact.get(case["name"])
    except (KeyError, ValueError, LookupError):
        return None
    # The results store parameter values as text; ulp_bound's keys are "name=value" text too.
    return rec.ulp_bound(case.get("params") or {})


def subnormal_input(x: Any, dtype: str) -> bool:
    """Whether ``x`` is subnormal as a float32 (``dtype`` kept for the call sites' sake)."""
    return is_num(x) and x != 0 and math.isfinite(x) and abs(x) < F32_TINY


def over(v: Any, limit: float) -> bool:
    return is_num(v) and not (v <= limit)  # nan counts as over


def accuracy_findings(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """What one accuracy result says against the contract, as lists of plain facts."""
    out: dict[str, list[dict[str, Any]]] = {
        "over_contract": [],
        "over_tested": [],
        "worse_than_jax_nn": [],
        "subnormal_worst": [],
        "grad_nonfinite": [],
        "grad_inaccurate": [],
    }
    for case in data["cases"]:
        bound = tested_bound(case)
        for dtype in DTYPES:
            st = case.get(dtype, {}).get("flaxact") or {}
            fact = {"case": case["id"], "dtype": dtype, **st, "bound": bound}
            if over(st.get("max"), CONTRACT_ULP[dtype]):
                out["over_contract"].append({**fact, "limit": CONTRACT_ULP[dtype]})
            if dtype == "float32" and bound is not None and over(st.get("max"), bound):
                out["over_tested"].append(fact)
            theirs = case.get(dtype, {}).get("jax.nn") or {}
            if is_num(theirs.get("max")) and is_num(st.get("max")) and st["max"] > theirs["max"]:
                out["worse_than_jax_nn"].append({**fact, "jax_nn": theirs["max"]})
            for impl, s in case.get(dtype, {}).items():
                if over(s.get("max"), CONTRACT_ULP[dtype]) and subnormal_input(
                    s.get("worst_x"), dtype
                ):
                    out["subnormal_worst"].append(
                        {"case": case["id"], "dtype": dtype, "impl": impl, **s}
                    )
        g = case.get("grad", {}).get("flaxact") or {}
        if g.get("nonfinite"):
            out["grad_nonfinite"].append({"case": case["id"], **g})
        if over(g.get("max"), GRAD_NOTE):
            out["grad_inaccurate"].append({"case": case["id"], **g})
    return out


def impls(data: dict[str, Any], key: str) -> list[str]:
    seen: dict[str, None] = {}
    for case in data["cases"]:
        for impl in case.get(key, {}):
            seen.setdefault(impl, None)
    return sorted(seen, key=lambda k: (list(IMPL_LABELS).index(k) if k in IMPL_LABELS else 9, k))


def never_worse_than_jax_nn(case: dict[str, Any]) -> bool:
    """flaxact's largest error at most jax.nn's (or half an ULP, correct rounding), where
    jax.nn has the function; as the float32 contract test asks on its grid."""
    theirs = case.get("jax.nn")
    return theirs is None or case["flaxact"]["max"] <= max(theirs["max"], 0.5)


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


# --------------------------------------------------------------------------- speed facts
# Levels of dependence on x, for reading a jaxpr: independent of x, piecewise constant
# (comparisons, masks), piecewise linear, anything else.
_CONST, _PC, _PL, _NL = 0, 1, 2, 3


_COMPARE = {
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "is_finite",
    "and",
    "or",
    "not",
    "xor",
    "sign",
    "floor",
    "ceil",
    "round",
}


_LINEAR = {
    "add",
    "sub",
    "neg",
    "max",
    "min",
    "abs",
    "select_n",
    "clamp",
    "convert_element_type",
    "broadcast_in_dim",
    "reshape",
    "squeeze",
    "expand_dims",
    "optimization_barrier",
    "copy",
    "copy_p",
    "stop_gradient",
    "reduce_precision",
}


def _jaxpr_level(jaxpr: Any, levels: list[int]) -> list[int]:
    """How each output of ``jaxpr`` depends on its inputs, given the inputs' levels."""
    env: dict[Any, int] = dict(zip(jaxpr.invars, levels, strict=True))

    def read(v: Any) -> int:
        if not hasattr(v, "aval") or type(v).__name__ == "Literal":
            return _CONST
        return env.get(v, _CONST)  # constants (constvars) do not depend on x

    for eqn in jaxpr.eqns:
        ins = [read(v) for v in eqn.invars]
        name = eqn.primitive.name
        inner = eqn.params.get("jaxpr") or eqn.params.get("call_jaxpr")
        top = max(ins, default=_CONST)
        if inner is not None:
            inner = getattr(inner, "jaxpr", inner)
            outs = _jaxpr_level(inner, ins)
        elif name in _COMPARE:
            outs = [min(top, _PC)] * len(eqn.outvars)
        elif name in _LINEAR:
            outs = [top] * len(eqn.outvars)
        elif name == "mul":
            a, b = ins
            outs = [
                top
                if min(a, b) == _CONST
                else (_PL if max(a, b) <= _PL and min(a, b) <= _PC else _NL)
            ]
        elif name == "div":
            a, b = ins
            outs = [a if b == _CONST else (_PC if top <= _PC else _NL)]
        else:
            outs = [top if top <= _PC else _NL] * len(eqn.outvars)
        env.update(zip(eqn.outvars, outs, strict=True))
    return [read(v) for v in jaxpr.outvars]


@functools.cache
def piecewise_linear() -> frozenset[str]:
    """Element-wise records that are piecewise linear in x, read from their jaxprs.

    Each record's function is traced (not compiled) and its operations followed:
    sums, maxima, selections and products with constants keep a function piecewise
    linear; a product of two x-dependent terms or any other operation on x does not.
    """
    import jax
    import jax.numpy as jnp

    import flaxact

    out = set()
    x = jax.ShapeDtypeStruct((8,), jnp.float32)
    for rec in flaxact.records():
        if not rec.elementwise:
            continue
        closed = jax.make_jaxpr(rec.example_fn)(x)
        if max(_jaxpr_level(closed.jaxpr, [_PL]), default=_NL) <= _PL:
            out.add(rec.name)
    return frozenset(out)


def goals(name: str, pw_linear: set[str]) -> list[tuple[str, float]]:
    """``[(what, limit)]`` for one activation: ``what`` is ``"baseline"`` or ``"reference"``."""
    out = [("baseline", JAX_NN_GOAL)]
    if name in pw_linear:
        out.append(("reference", PIECEWISE_LINEAR_GOAL))
    for names, limit in REFERENCE_GOALS:
        if name in names:
            out.append(("reference", limit))
    return out


def baseline_word(row: dict[str, Any]) -> str:
    """``jax.nn``, or ``jnp`` for the jnp code of an extra jax.nn lacks."""
    label = row.get("baseline")
    return "jax.nn" if label == "jax.nn" else ("jnp" if label else "baseline")


def within(value: float, limit: float, row: dict[str, Any], same: bool) -> tuple[bool, bool]:
    """``(met, noise)`` for one speed ratio: met when at most ``limit``, or when over it by
    less than two identical ops differed in this run (``noise_band``) or both programs
    are the same (``same``), which ``noise`` then says."""
    noise = value > limit and (same or value <= limit * (1 + row.get("noise_band", 0.0)))
    return value <= limit or noise, noise


def goal_checks(row: dict[str, Any], mode: str, pw_linear: set[str]) -> list[dict[str, Any]]:
    """Each target for one row and mode, with the measured ratio and whether it is met
    (``what`` names the comparison: ``jax.nn``, ``jnp`` or ``reference``)."""
    entry = row.get(mode, {})
    out = []
    for kind, limit in goals(row["name"], pw_linear):
        if kind == "baseline":
            value = entry.get("ratio_flaxact_to_baseline")
        else:
            value = entry.get("ratio_to_reference", {}).get("flaxact")
        if not is_num(value):
            continue  # nothing to compare with for this case
        # a miss smaller than two identical ops differed by in this run is not one; nor
        # is any difference from the baseline when both compile to the same program
        same = kind == "baseline" and entry.get("same_program_as_baseline", False)
        met, noise = within(value, limit, row, same)
        what = baseline_word(row) if kind == "baseline" else kind
        out.append({"what": what, "limit": limit, "value": value, "met": met, "noise": noise})
    return out


def dispatch_bound(data: dict[str, Any]) -> dict[str, Any] | None:
    """Reference-op medians at the smallest and largest 1-D size, and whether they say the
    timings are dominated by a fixed per-call cost rather than by memory traffic."""
    flat = [r for r in data["cases"] if len(shape_of(r)) == 1]
    sizes = sorted({r["size"] for r in flat})
    if len(sizes) < 2:
        return None
    lo, hi = sizes[0], sizes[-1]

    def med(size: int, mode: str) -> float:
        vals = sorted(r[mode]["median_s"]["reference"] for r in flat if r["size"] == size)
        return vals[len(vals) // 2]

    out: dict[str, Any] = {"small": lo, "large": hi}
    for mode, _ in MODES:
        t_lo, t_hi = med(lo, mode), med(hi, mode)
        gbps = REFERENCE_ARRAYS[mode] * 4 * hi / t_hi / 1e9
        out[mode] = {"t_small": t_lo, "t_large": t_hi, "growth": t_hi / t_lo, "gb_per_s": gbps}
    # 256x the data in less than 4x the time: mostly a fixed cost per call.
    out["dominated"] = all(out[m]["growth"] < 4 for m, _ in MODES)
    return out


def shapes(data: dict[str, Any]) -> list[tuple[int, ...]]:
    """The shapes of a speed file: 1-D sizes first, smallest first, then the others."""
    return sorted({shape_of(r) for r in data["cases"]}, key=lambda s: (len(s) > 1, s))


# --------------------------------------------------------------------------- speed page
def missed_names(speed: dict[str, dict[str, Any]], pw_linear: set[str]) -> list[str]:
    """Registry names with a case that misses a run-time target in any results file."""
    names: set[str] = set()
    for data in speed.values():
        for row in data["cases"]:
            for mode, _ in MODES:
                if any(not c["met"] for c in goal_checks(row, mode, pw_linear)):
                    names.add(row["name"])
    return sorted(names)


# --------------------------------------------------------------------------- contract table
#: The summary table's columns after the function's name: (key, heading).
CONTRACT_COLUMNS = (
    ("forward", "run time, forward"),
    ("forward_backward", "run time, forward + backward"),
    ("compile", "compile time"),
    ("program", "program size"),
    ("saved", "saved memory"),
    ("ulp", "max float32 ULP"),
)


def primary_platform(results: dict[str, dict[str, Any]]) -> str | None:
    """The platform the summary table describes: the CPU, where any contributor can
    measure, else the first one with results."""
    return "cpu" if "cpu" in results else next(iter(results), None)


def _ulp_ratios(res: dict[str, Any], name: str) -> list[float]:
    """flaxact's largest float32 error over jax.nn's (at least half an ULP) for each case
    of ``name`` in the accuracy grid and the exhaustive sweep of one platform."""
    out = []
    for case in (res.get("accuracy") or {}).get("cases", []):
        if case["name"] == name:
            ours = case.get("float32", {}).get("flaxact") or {}
            theirs = case.get("float32", {}).get("jax.nn") or {}
            if is_num(ours.get("max")) and is_num(theirs.get("max")):
                out.append(ours["max"] / max(theirs["max"], 0.5))
    for case in (res.get("exhaustive") or {}).get("cases", []):
        if case["name"] == name and case.get("jax.nn"):
            out.append(case["flaxact"]["max"] / max(case["jax.nn"]["max"], 0.5))
    return out


def contract_cells(res: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """The summary table's figures for one function on one platform.

    ``{column: {"value", "met", "noise", "kinds"}}`` for each column of
    :data:`CONTRACT_COLUMNS` that was measured: the worst ratio to the baseline over the
    function's cases (sizes, shapes and parameter values), whether the contract's limit
    holds for every case (a run-time ratio within the run's noise, or of the baseline's
    own program, holds), and the result kinds it was read from.
    """
    out: dict[str, dict[str, Any]] = {}

    def put(col: str, checks: list[tuple[float, bool, bool]], kinds: list[str]) -> None:
        if not checks:
            return
        missed = [v for v, met, _ in checks if not met]
        value = max(missed) if missed else max(v for v, _, _ in checks)
        noise = not missed and any(n for _, _, n in checks)
        out[col] = {"value": value, "met": not missed, "noise": noise, "kinds": kinds}

    speed = res.get("speed")
    for mode, _ in MODES:
        checks = []
        for row in (speed or {}).get("cases", []):
            entry = row.get(mode, {})
            value = entry.get("ratio_flaxact_to_baseline")
            if row["name"] == name and is_num(value):
                same = entry.get("same_program_as_baseline", False)
                checks.append((value, *within(value, CONTRACT[mode], row, same)))
        put(mode, checks, ["speed"])
    cost = res.get("cost")
    rows = [r for r in (cost or {}).get("cases", []) if r["name"] == name]
    for col, key in (
        ("compile", "compile"),
        ("program", "hlo_instructions"),
        ("saved", "residual_bytes"),
    ):
        values = [r[key]["ratio"] for r in rows if is_num(r.get(key, {}).get("ratio"))]
        put(col, [(v, v <= CONTRACT[col], False) for v in values], ["cost"])
    if rows and "saved" not in out and all(r["residual_bytes"]["ratio"] is None for r in rows):
        # neither saves anything (a function of indices): equal, not unmeasured
        out["saved"] = {"value": None, "met": True, "noise": False, "kinds": ["cost"]}
    ulps = _ulp_ratios(res, name)
    kinds = [k for k in ("accuracy", "exhaustive") if res.get(k)]
    put("ulp", [(v, v <= CONTRACT["ulp"], False) for v in ulps], kinds)
    return out


def baselines(res: dict[str, Any], name: str) -> str:
    """What the function's rows were compared with: ``jax.nn``, ``jnp`` or both (without
    rows, what its registry record says: a jax.nn counterpart or none)."""
    import flaxact

    words = {
        baseline_word(r)
        for kind in ("speed", "cost")
        for r in (res.get(kind) or {}).get("cases", [])
        if r["name"] == name and r.get("baseline")
    }
    if not words:
        words = {"jax.nn" if flaxact.get(name).jax_nn else "jnp"}
    return ", ".join(sorted(words, key=lambda w: w != "jax.nn"))


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


def missing_accuracy_cases(results: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Element-wise registry names with no defaults case (the record's ``example_args``
    only) in each accuracy result measured on the current code; a result measured on
    earlier code is labelled so on the page and cannot know later functions."""
    import flaxact

    records = {r.name: r for r in flaxact.records() if r.elementwise}
    out = {}
    for plat, res in results.items():
        data = res.get("accuracy")
        if data is None or not measured_on_current_code(data):
            continue
        have = {c["name"] for c in data["cases"] if at_defaults(c)}
        out[plat] = [n for n in records if n not in have]
    return out


def at_defaults(case: dict[str, Any]) -> bool:
    """Whether a result case is its function's defaults case: no swept parameter, only the
    record's ``example_args`` (values for arguments without a default), which the
    results store as text."""
    import flaxact

    try:
        fixed = flaxact.get(case["name"]).example_args
    except KeyError:
        return False
    return {k: str(v) for k, v in (case.get("params") or {}).items()} == {
        k: str(v) for k, v in fixed.items()
    }


def measured_on_current_code(data: dict[str, Any]) -> bool:
    """Whether a result file was measured on the library code documented here."""
    return measured_code(data["machine"])[0]


# --------------------------------------------------------------------------- figures
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


def figure_path(json_path: Path) -> Path:
    return json_path.with_suffix(".png")


def draw_figure(json_path: Path) -> Path:
    """Draw the figure of an accuracy or speed result file beside it (``.png``), recording
    the digest of its inputs in the PNG. The kind is the file's own ``kind`` field (any
    ``--out`` name works), else the start of its name."""
    data = json.loads(json_path.read_text())
    kind = data.get("kind") or json_path.stem.split("-", 1)[0]
    if kind == "speed":
        upgrade_speed(data)
    png = figure_path(json_path)
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
        png = figure_path(path)
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
