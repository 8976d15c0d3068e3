"""The Accuracy and Performance pages, rendered from the committed benchmark results.

Reads ``benchmarks/results/{accuracy,speed,cost,exhaustive}-<platform>.json`` (written by
``benchmarks/accuracy.py``, ``speed.py``, ``cost.py`` and ``exhaustive.py``) and returns
reST text and Matplotlib figures; nothing here needs Sphinx, so ``tests/test_results_policy.py``
imports it too. Every number on those pages, every flag and every "target met" mark is
computed here from those files: nothing is typed by hand except the contract's limits
and the run-time targets (``CONTRACT_ULP``, ``CONTRACT``, ``REFERENCE_GOALS``).

Figures are cached: each PNG is redrawn only when the hash of its JSON file or of this
module changes (the keys live in ``generated/.results-figures.json``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"

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
_HEADER = (
    ".. This file is written by docs/_ext/flaxact_results.py from benchmarks/results; do not edit."
)


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
            if _is_num(v):
                spread.setdefault(shape_of(row), []).append(abs(v - 1))
    bands = {
        shape: sorted(vals)[min(len(vals) - 1, math.ceil(NOISE_QUANTILE * len(vals)) - 1)]
        for shape, vals in spread.items()
    }
    for row in data["cases"]:
        row["noise_band"] = bands.get(shape_of(row), 0.0)


def machine_label(info: dict[str, Any]) -> str:
    """``CPU: AMD EPYC (2 cores)`` or ``GPU: NVIDIA H100 80GB HBM3``."""
    plat = str(info.get("platform", "?")).upper()
    device = info.get("device") or ""
    if plat == "CPU" or device.lower() == "cpu":
        cores = info.get("cpu_count")
        return f"{plat}: {info.get('cpu', 'unknown')}" + (f" ({cores} cores)" if cores else "")
    return f"{plat}: {device}"


@functools.cache
def current_source() -> str:
    """The digest of the library code this site documents (``benchmarks/_source.py``)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_flaxact_source", RESULTS.parent / "_source.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.digest()


def _measured_code(info: dict[str, Any]) -> tuple[bool, str]:
    """Whether the results were measured on the code documented here, and a phrase."""
    measured, now = info.get("flaxact_source"), current_source()
    if measured == now:
        return True, f"the code this site documents (source digest ``{now}``)"
    if measured is None:
        return False, "not recorded (the file predates the source digest)"
    return False, f"an earlier version (source digest ``{measured}``; this site's: ``{now}``)"


def stale_warning(*datas: dict[str, Any]) -> list[str]:
    """A warning to put above results measured on other code than the one documented
    (naming each such file among ``datas``)."""
    stale = [d for d in datas if not _measured_code(d["machine"])[0]]
    if not stale:
        return []
    files = ", ".join(f"``{d['_file']}``" for d in stale)
    return [
        ".. warning::",
        "",
        "   These results were not measured on the library code this site documents: the",
        "   kernels have changed since, or the file does not say which code it measured.",
        "   The figures below describe that earlier code; rerun the benchmarks on this",
        f"   machine to refresh {files}.",
        "",
    ]


def _machine_facts(data: dict[str, Any]) -> list[str]:
    info = data["machine"]
    rows = [
        ("device", info.get("device")),
        ("host CPU", f"{info.get('cpu')}, {info.get('cpu_count')} cores"),
        ("measured on", info.get("date")),
        ("jax / jaxlib", f"{info.get('jax')} / {info.get('jaxlib')}"),
        ("flaxact", info.get("flaxact")),
        ("library code measured", _measured_code(info)[1]),
        ("Python / NumPy", f"{info.get('python')} / {info.get('numpy')}"),
        ("PyTorch", info.get("torch") or "not installed"),
        ("benchmark run time", f"{data.get('seconds')} s"),
        (
            "load average when it started (1, 5, 15 min)",
            " / ".join(map(str, info["load_average_1m_5m_15m"]))
            if info.get("load_average_1m_5m_15m")
            else "not recorded",
        ),
        ("results file", f"``{data['_file']}``"),
    ]
    lines = [".. list-table::", "   :class: flaxact-props", ""]
    for key, value in rows:
        lines += [f"   * - {key}", f"     - {value}"]
    return [*lines, ""]


# --------------------------------------------------------------------------- formatting
def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def fmt_ulp(v: Any) -> str:
    if not _is_num(v):
        return "—"
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf"
    if v >= 1e5:
        mant, exp = f"{v:.2e}".split("e")
        return f"{mant}e{int(exp)}"
    if v >= 1e3:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def fmt_x(v: Any) -> str:
    if not _is_num(v):
        return "—"
    return f"{v:.6g}".replace("e-0", "e-").replace("e+0", "e+")


def fmt_rel(v: Any) -> str:
    if not _is_num(v):
        return "—"
    if math.isnan(v) or math.isinf(v):
        return str(v)
    return "0" if v == 0 else f"{v:.2g}"


def fmt_us(seconds: float) -> str:
    us = seconds * 1e6
    return f"{us:,.0f}" if us >= 100 else f"{us:.1f}"


def fmt_ratio(v: Any) -> str:
    return "—" if not _is_num(v) or math.isnan(v) else f"{v:.2f}"


def miss(text: str) -> str:
    """A figure that misses the contract or a goal: red and bold on the page."""
    return f":flaxact-miss:`{text}`"


def _pow2(n: int) -> str:
    """``2^16`` as reST (a superscript), or the plain number when not a power of two."""
    return f"2\\ :sup:`{n.bit_length() - 1}`" if n > 0 and n & (n - 1) == 0 else f"{n:,}"


def _size_label(n: int) -> str:
    return f"{_pow2(n)} = {n:,} elements" if n > 0 and n & (n - 1) == 0 else f"{n:,} elements"


def _shape_label(shape: tuple[int, ...]) -> str:
    """``2^22 = 4,194,304 elements`` (1-D) or ``4096 × 1024`` (over the last axis)."""
    if len(shape) == 1:
        return _size_label(shape[0])
    return " × ".join(map(str, shape)) + " (whole-axis functions, over the last axis)"


def _shape_short(shape: tuple[int, ...]) -> str:
    """``2^22`` (reST) or ``4096×1024``."""
    return _pow2(shape[0]) if len(shape) == 1 else "×".join(map(str, shape))


def _table(header: list[str], rows: Iterable[list[str]], widths: str | None = None) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", "   :class: flaxact-table"]
    if widths:
        lines.append(f"   :widths: {widths}")
    lines.append("")
    for row in [header, *rows]:
        lines.append(f"   * - {row[0]}")
        lines += [f"     - {cell}" for cell in row[1:]]
    return [*lines, ""]


def _heading(text: str, char: str) -> list[str]:
    return [text, char * len(text), ""]


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


def _subnormal_input(x: Any, dtype: str) -> bool:
    """Whether ``x`` is subnormal as a float32 (``dtype`` kept for the call sites' sake)."""
    return _is_num(x) and x != 0 and math.isfinite(x) and abs(x) < F32_TINY


def _over(v: Any, limit: float) -> bool:
    return _is_num(v) and not (v <= limit)  # nan counts as over


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
            if _over(st.get("max"), CONTRACT_ULP[dtype]):
                out["over_contract"].append({**fact, "limit": CONTRACT_ULP[dtype]})
            if dtype == "float32" and bound is not None and _over(st.get("max"), bound):
                out["over_tested"].append(fact)
            theirs = case.get(dtype, {}).get("jax.nn") or {}
            if _is_num(theirs.get("max")) and _is_num(st.get("max")) and st["max"] > theirs["max"]:
                out["worse_than_jax_nn"].append({**fact, "jax_nn": theirs["max"]})
            for impl, s in case.get(dtype, {}).items():
                if _over(s.get("max"), CONTRACT_ULP[dtype]) and _subnormal_input(
                    s.get("worst_x"), dtype
                ):
                    out["subnormal_worst"].append(
                        {"case": case["id"], "dtype": dtype, "impl": impl, **s}
                    )
        g = case.get("grad", {}).get("flaxact") or {}
        if g.get("nonfinite"):
            out["grad_nonfinite"].append({"case": case["id"], **g})
        if _over(g.get("max"), GRAD_NOTE):
            out["grad_inaccurate"].append({"case": case["id"], **g})
    return out


def _impls(data: dict[str, Any], key: str) -> list[str]:
    seen: dict[str, None] = {}
    for case in data["cases"]:
        for impl in case.get(key, {}):
            seen.setdefault(impl, None)
    return sorted(seen, key=lambda k: (list(IMPL_LABELS).index(k) if k in IMPL_LABELS else 9, k))


def _case_link(case_id: str) -> str:
    return f":func:`{case_id.split('[', 1)[0]}`" + (
        f" ``[{case_id.split('[', 1)[1]}``" if "[" in case_id else ""
    )


def _ulp_cell(st: dict[str, Any] | None, dtype: str, flag: bool, bound: float | None) -> str:
    if not st:
        return "n/a"
    text = fmt_ulp(st.get("max"))
    marks = ""
    if flag and bound is not None and dtype == "float32" and _over(st.get("max"), bound):
        marks += " †"
    if _over(st.get("max"), CONTRACT_ULP[dtype]) and _subnormal_input(st.get("worst_x"), dtype):
        marks += " ‡"
    if flag and _over(st.get("max"), CONTRACT_ULP[dtype]):
        return miss(text + marks)
    return text + marks


def _dtype_table(data: dict[str, Any], dtype: str) -> list[str]:
    impls = _impls(data, dtype)
    header = ["case"]
    if dtype == "float32":
        header.append("tested bound")
    for impl in impls:
        lab = IMPL_LABELS.get(impl, impl)
        header += [f"{lab} max", f"{lab} p99.9", f"{lab} worst x"]
    rows = []
    for case in data["cases"]:
        bound = tested_bound(case)
        row = [_case_link(case["id"])]
        if dtype == "float32":
            row.append(fmt_ulp(bound) if bound is not None else "—")
        for impl in impls:
            st = case.get(dtype, {}).get(impl)
            row.append(_ulp_cell(st, dtype, impl == "flaxact", bound))
            row.append(fmt_ulp(st.get("p999")) if st else "n/a")
            row.append(fmt_x(st.get("worst_x")) if st else "n/a")
        rows.append(row)
    return _table(header, rows)


def _grad_table(data: dict[str, Any]) -> list[str]:
    impls = _impls(data, "grad")
    header = ["case"]
    for impl in impls:
        lab = IMPL_LABELS.get(impl, impl)
        header += [f"{lab} max", f"{lab} p99.9", f"{lab} worst x", f"{lab} non-finite"]
    rows = []
    for case in data["cases"]:
        row = [_case_link(case["id"])]
        for impl in impls:
            st = case.get("grad", {}).get(impl)
            if not st:
                row += ["n/a"] * 4
                continue
            nonfinite = str(st.get("nonfinite", "—"))
            if impl == "flaxact" and st.get("nonfinite"):
                nonfinite = miss(nonfinite)
            row += [
                fmt_rel(st.get("max")),
                fmt_rel(st.get("p999")),
                fmt_x(st.get("worst_x")),
                nonfinite,
            ]
        rows.append(row)
    return _table(header, rows)


def _findings_text(plat: str, data: dict[str, Any]) -> list[str]:
    f = accuracy_findings(data)
    label = machine_label(data["machine"])
    lines = [f"**{label}** (``{data['_file']}``, {data['machine'].get('date')}):", ""]
    items: list[str] = []
    for dtype in DTYPES:
        facts = [x for x in f["over_contract"] if x["dtype"] == dtype]
        if not facts:
            items.append(f"{dtype}: every case within {fmt_ulp(CONTRACT_ULP[dtype])} ULP.")
            continue
        parts = []
        for x in facts:
            part = f"{x['case']} {fmt_ulp(x['max'])} ULP at x = {fmt_x(x.get('worst_x'))}"
            if dtype == "float32" and x.get("bound") is not None:
                part += f" (tested bound {fmt_ulp(x['bound'])})"
            if _subnormal_input(x.get("worst_x"), dtype):
                part += " (a subnormal input, see ‡)"
            parts.append(part)
        items.append(
            f"{dtype}, over the {fmt_ulp(CONTRACT_ULP[dtype])}-ULP contract in "
            f"{len(facts)} of {len(data['cases'])} cases: " + "; ".join(parts) + "."
        )
    if f["over_tested"]:
        items.append(
            "Above the float32 bound the test suite asserts (†, the tests run on the CPU): "
            + "; ".join(
                f"{x['case']} {fmt_ulp(x['max'])} > {fmt_ulp(x['bound'])}" for x in f["over_tested"]
            )
            + "."
        )
    if f["worse_than_jax_nn"]:
        items.append(
            "Larger maximum error than jax.nn (the contract says never worse): "
            + "; ".join(
                f"{x['case']} {x['dtype']} {fmt_ulp(x['max'])} vs {fmt_ulp(x['jax_nn'])}"
                for x in f["worse_than_jax_nn"]
            )
            + "."
        )
    else:
        items.append("Never a larger maximum error than jax.nn, in any case or type.")
    if f["grad_nonfinite"]:
        items.append(
            "Non-finite gradients where the derivative is finite: "
            + "; ".join(f"{x['case']} ({x['nonfinite']})" for x in f["grad_nonfinite"])
            + "."
        )
    else:
        items.append("No non-finite gradient where the derivative is finite, in any case.")
    if f["grad_inaccurate"]:
        items.append(
            f"Gradients finite but with a relative error above {GRAD_NOTE:g} somewhere: "
            + "; ".join(
                f"{x['case']} {fmt_rel(x['max'])} at x = {fmt_x(x.get('worst_x'))} "
                f"(99.9 % of points within {fmt_rel(x.get('p999'))})"
                for x in f["grad_inaccurate"]
            )
            + "."
        )
    sub = f["subnormal_worst"]
    if sub:
        ids = sorted(
            {f"{x['case']} {x['dtype']} ({IMPL_LABELS.get(x['impl'], x['impl'])})" for x in sub}
        )
        items.append(
            "‡ The worst case is at an input that is subnormal as a float32, which JAX on "
            "the CPU flushes to zero, while the contract is stated for normal inputs: "
            "these figures measure that flush, not the function (" + "; ".join(ids) + ")."
        )
    lines += [f"* {item}" for item in items]
    return [*lines, ""]


# --------------------------------------------------------------------------- accuracy page
def _binade_label(exponent: int) -> str:
    return f"2\\ :sup:`{exponent}`" if exponent else "1"


def exhaustive_section(data: dict[str, Any]) -> list[str]:
    """The table of ``benchmarks/exhaustive.py``: the largest float32 error over every input
    of a range of binades, flaxact against each case's tested bound, and jax.nn's."""
    lo, hi = data["binades"]
    label = machine_label(data["machine"])
    n = sum(c["flaxact"]["n"] for c in data["cases"])
    worse = [c["id"] for c in data["cases"] if not never_worse_than_jax_nn(c)]
    lines = [f".. _accuracy-exhaustive-{data['machine']['platform']}:", ""]
    lines += _heading(f"Every float32 input from {2.0**lo:g} to {2.0**hi:g}, {label}", "-")
    lines += stale_warning(data)
    lines += [
        "The grids below sample; a worst case between two samples escapes them. Here",
        "``benchmarks/exhaustive.py`` evaluated flaxact and jax.nn at every float32 ``x``",
        rf"with {_binade_label(lo)} ≤ \|x\| < {_binade_label(hi)}, both signs (where the",
        "functions bend, and their exponential tails down to where the result stops being",
        f"normal): {n:,} inputs in all, {data.get('seconds')} s on this machine",
        f"({data['machine'].get('date')}). The tested bound is the figure each function's",
        "page states; the test suite fails if a flaxact maximum here exceeds it, or exceeds",
        "jax.nn's.",
        "",
        (
            "On these inputs flaxact's largest error is at most jax.nn's in every case."
            if not worse
            else "flaxact's largest error is above jax.nn's in: "
            + ", ".join(_case_link(c) for c in worse)
            + "."
        ),
        "",
    ]
    rows = []
    for case in data["cases"]:
        bound = tested_bound(case)
        ours, theirs = case["flaxact"], case.get("jax.nn")
        held = case.get("accurate_from")
        rows.append([
            _case_link(case["id"]),
            fmt_ulp(bound) + ("" if held is None else f" (x ≥ {held:g})"),
            _ulp_cell(ours, "float32", True, bound),
            fmt_x(ours.get("worst_x")),
            fmt_ulp(theirs["max"]) if theirs else "—",
            fmt_x(theirs.get("worst_x")) if theirs else "—",
        ])  # fmt: skip
    header = ["case", "tested bound", "flaxact max", "flaxact worst x", "jax.nn max",
              "jax.nn worst x"]  # fmt: skip
    return lines + _table(header, rows)


def never_worse_than_jax_nn(case: dict[str, Any]) -> bool:
    """flaxact's largest error at most jax.nn's (or half an ULP, correct rounding), where
    jax.nn has the function; as the float32 contract test asks on its grid."""
    theirs = case.get("jax.nn")
    return theirs is None or case["flaxact"]["max"] <= max(theirs["max"], 0.5)


def accuracy_page(results: dict[str, dict[str, Any]]) -> str:
    acc = {p: r["accuracy"] for p, r in results.items() if "accuracy" in r}
    lines = [
        _HEADER,
        "",
        ".. _accuracy:",
        "",
        *_heading("Accuracy", "="),
        ".. currentmodule:: flaxact",
        "",
    ]
    lines += [
        "How far each element-wise activation is from the exact result, for flaxact and",
        "jax.nn side by side (and PyTorch where it was installed), as measured by",
        "``benchmarks/accuracy.py`` (``nox -s bench``) and committed to",
        "``benchmarks/results/``. Every number on this page is read from those files at",
        "build time.",
        "",
        "Errors are in units in the last place (ULP) of the result's type, against the",
        "float64 oracle of the test suite (``tests/_oracle.py``, itself checked against",
        "mpmath), counted where the exact result is a normal number of the type.",
        "",
        f"* **float32** (contract: {fmt_ulp(CONTRACT_ULP['float32'])} ULP): a dense grid on",
        "  [-20, 20] plus log-spaced magnitudes up to ±3e38 (grid sizes per machine below).",
        f"* **bfloat16** and **float16** (contract: {fmt_ulp(CONTRACT_ULP['bfloat16'])} ULP):",
        "  the finite values of the type (how many per machine below).",
        "* **gradients** (float32): relative error of ``jax.grad`` where the derivative is",
        "  normal, and the count of non-finite gradients where the derivative is finite",
        "  (±inf and ±3e38 included). The contract: none.",
        "",
        "*max* is the largest error, *p99.9* the 99.9th percentile, *worst x* where the",
        "largest error happens. The *tested bound* is the float32 bound the test suite",
        "asserts for flaxact (the registry's ``ulp_bound``); where it is above 2 ULP the",
        "function's page says so.",
        "",
        f"Marks: {miss('red')} flaxact misses the contract (2 ULP in float32, 1 ULP in",
        "bfloat16/float16, any non-finite gradient); † also above the tested bound;",
        "‡ the worst case is at a subnormal input (see below).",
        "",
    ]
    if not acc:
        lines += [
            "No accuracy results are committed yet (``benchmarks/results/accuracy-*.json``).",
            "",
        ]
        return "\n".join(lines) + "\n"

    lines += [".. _accuracy-not-met:", "", *_heading("Where the contract is not met yet", "-")]
    lines += [
        "Computed from the results below; each figure is the measured maximum.",
        "",
    ]
    for plat, data in acc.items():
        lines += _findings_text(plat, data)

    for res in results.values():
        if "exhaustive" in res:
            lines += exhaustive_section(res["exhaustive"])

    for plat, data in acc.items():
        label = machine_label(data["machine"])
        grid = data.get("grid", {})
        lines += [f".. _accuracy-{plat}:", "", *_heading(label, "-")]
        lines += stale_warning(data)
        lines += _machine_facts(data)
        lines += [
            f"float32 grid: {grid.get('dense', '?'):,} points on [-20, 20] and "
            f"{grid.get('logs', '?'):,} log-spaced magnitudes each side. "
            f"{len(data['cases'])} cases (every element-wise activation at its defaults, "
            "then each swept parameter value).",
            "",
        ]
        half = []
        for dtype in DTYPES[1:]:
            ns = [
                c[dtype]["flaxact"]["n"] for c in data["cases"] if c.get(dtype, {}).get("flaxact")
            ]
            if ns:
                half.append(f"{dtype}: {min(ns):,} to {max(ns):,} values per case")
        if half:
            desc = grid.get("half") or "the finite values of the type"
            lines += [
                f"Half types: {desc}, measured where the exact result is normal "
                f"({'; '.join(half)}).",
                "",
            ]
        if "torch" in _impls(data, "float32"):
            lines += [
                "The PyTorch column is PyTorch's CPU functions on this machine's host "
                f"(torch {data['machine'].get('torch')}), not its GPU kernels.",
                "",
            ]
        lines += _heading("float32 error over x", "^")
        lines += [
            f".. figure:: accuracy-{plat}.png",
            f"   :alt: float32 error in ULP over x in [-20, 20] for each case, {label}",
            "   :width: 100%",
            "",
            f"   Largest float32 error in each of the {len(data.get('bins', [])) - 1} bins of",
            "   [-20, 20], per case (symmetric-log scale: linear below 1 ULP). Dashed: the",
            "   2-ULP contract; dotted: the tested bound where it differs.",
            "",
        ]
        for dtype in DTYPES:
            lines += _heading(f"{dtype} (ULP)", "^")
            lines += _dtype_table(data, dtype)
        lines += _heading("Gradients (relative error)", "^")
        lines += _grad_table(data)
    return "\n".join(lines) + "\n"


def accuracy_figure(data: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    cases = data["cases"]
    edges = np.asarray(data["bins"], float)
    centres = 0.5 * (edges[1:] + edges[:-1])
    impls = _impls(data, "float32")
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
        for impl in impls:
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
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.42 / height, top=1 - 0.45 / height,
                        hspace=0.35, wspace=0.22)  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90, pil_kwargs={"compress_level": 3})
    plt.close(fig)


# --------------------------------------------------------------------------- speed facts
# Levels of dependence on x, for reading a jaxpr: independent of x, piecewise constant
# (comparisons, masks), piecewise linear, anything else.
_CONST, _PC, _PL, _NL = 0, 1, 2, 3
_COMPARE = {"eq", "ne", "lt", "le", "gt", "ge", "is_finite", "and", "or", "not", "xor", "sign",
            "floor", "ceil", "round"}  # fmt: skip
_LINEAR = {"add", "sub", "neg", "max", "min", "abs", "select_n", "clamp", "convert_element_type",
           "broadcast_in_dim", "reshape", "squeeze", "expand_dims", "optimization_barrier",
           "copy", "copy_p", "stop_gradient", "reduce_precision"}  # fmt: skip


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


def piecewise_linear() -> set[str]:
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
    return out


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
        if not _is_num(value):
            continue  # nothing to compare with for this case
        # a miss smaller than two identical ops differed by in this run is not one; nor
        # is any difference from the baseline when both compile to the same program
        same = kind == "baseline" and entry.get("same_program_as_baseline", False)
        met, noise = within(value, limit, row, same)
        what = baseline_word(row) if kind == "baseline" else kind
        out.append({"what": what, "limit": limit, "value": value, "met": met, "noise": noise})
    return out


def _miss_text(c: dict[str, Any]) -> str:
    """``jax.nn 1.19 > 1 (+19 %)``, with enough digits that the miss shows."""
    value, limit = c["value"], c["limit"]
    digits = 2 if round(value, 2) > limit else 3
    over = 100 * (value / limit - 1)
    pct = f"{over:.0f}" if over >= 1 else f"{over:.1f}"
    return f"{c['what']} {value:.{digits}f} > {limit:g} (+{pct} %)"


def _goal_cell(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return "—"
    missed = [c for c in checks if not c["met"]]
    if not missed:
        noisy = [c for c in checks if c["noise"]]
        if noisy:
            return (
                "within noise (" + ", ".join(f"{c['what']} {c['value']:.2f}" for c in noisy) + ")"
            )
        return "met (" + ", ".join(f"{c['what']} ≤ {c['limit']:g}" for c in checks) + ")"
    return miss("; ".join(_miss_text(c) for c in missed))


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


def _goal_summary(data: dict[str, Any], pw_linear: set[str]) -> list[str]:
    label = machine_label(data["machine"])
    tally: dict[str, list[int]] = {}
    for row in data["cases"]:
        for mode, _ in MODES:
            for c in goal_checks(row, mode, pw_linear):
                key = f"flaxact / {c['what']} ≤ {c['limit']:g}"
                if c["what"] == "reference" and c["limit"] == PIECEWISE_LINEAR_GOAL:
                    key += " (piecewise linear)"
                t = tally.setdefault(key, [0, 0, 0])
                t[0] += c["met"]
                t[1] += 1
                t[2] += c["noise"]
    lines = [f"**{label}** (``{data['_file']}``, {data['machine'].get('date')}):", ""]
    for key, (met, total, noise) in tally.items():
        text = f"{met} of {total} met"
        if noise:
            text += f" ({noise} of them within the noise)"
        lines.append(f"* {key}: " + (text if met == total else miss(text)) + ";")
    lines[-1] = lines[-1][:-1] + "."
    lines.append("")
    lines += _noise_text(data)
    shapes = _shapes(data)
    by = {(r["id"], shape_of(r)): r for r in data["cases"]}
    header = ["case"] + [
        f"{title.lower()}, {_shape_short(shape)}" for shape in shapes for _, title in MODES
    ]
    rows = []
    for cid in dict.fromkeys(r["id"] for r in data["cases"]):
        cells, any_miss = [_case_link(cid)], False
        for shape in shapes:
            for mode, _ in MODES:
                row = by.get((cid, shape))
                checks = goal_checks(row, mode, pw_linear) if row else []
                missed = [c for c in checks if not c["met"]]
                any_miss |= bool(missed)
                cells.append(
                    miss("; ".join(_miss_text(c) for c in missed))
                    if missed
                    else ("met" if checks else "—")
                )
        if any_miss:
            rows.append(cells)
    if rows:
        lines += _table(header, rows)
    return lines


def _shapes(data: dict[str, Any]) -> list[tuple[int, ...]]:
    """The shapes of a speed file: 1-D sizes first, smallest first, then the others."""
    return sorted({shape_of(r) for r in data["cases"]}, key=lambda s: (len(s) > 1, s))


def _noise_text(data: dict[str, Any]) -> list[str]:
    """What the A/A comparison says about this run, per shape."""
    bands = {shape_of(r): r["noise_band"] for r in data["cases"] if r.get("noise_band")}
    if not bands:
        return [
            "This file predates the A/A measurement: every ratio above its target counts as a "
            "miss, however small.",
            "",
        ]
    parts = [
        f"{100 * bands[shape]:.0f} % at {_shape_short(shape)}"
        for shape in sorted(bands, key=lambda s: (len(s) > 1, s))
    ]
    share = f"{NOISE_QUANTILE * 10:.0f} in 10"
    return [
        "Noise: in every row the reference op is timed twice, in the same rounds, with",
        f"buffers of its own. In this run {share} of those identical pairs differed by less",
        f"than {', '.join(parts)}. A ratio above its target or limit by less than that",
        "counts as *within the noise*, not as a miss; so does any ratio to the baseline of",
        "a case whose optimized XLA program is the same as the baseline's",
        "(``same_program_as_baseline`` in the file).",
        "",
    ]


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


def _no_note(speed: dict[str, dict[str, Any]], name: str) -> str:
    """For a function without a ``speed_note``: its ratios to the baseline at its largest
    array, and whether they explain its miss."""
    parts, slow = [], False
    for data in speed.values():
        rows = [r for r in data["cases"] if r["id"] == name]
        if not rows:
            continue
        row = max(rows, key=lambda r: r["size"])
        ratios = ", ".join(
            f"{title.lower()} {fmt_ratio(row[mode].get('ratio_flaxact_to_baseline'))}"
            for mode, title in MODES
        )
        slow |= any(
            c["what"] != "reference" and not c["met"]
            for mode, _ in MODES
            for c in goal_checks(row, mode, set())
        )
        parts.append(f"{machine_label(data['machine'])} at {_shape_short(shape_of(row))}: {ratios}")
    text = (
        "its record notes no work beyond its baseline's (no ``speed_note``); flaxact / "
        "baseline " + "; ".join(parts) + "."
    )
    if slow:
        return text + " Where its time goes is not recorded yet."
    return text + (
        " Its miss is at a smaller size (where a fixed cost per call dominates), against "
        "the reference op, or within run-to-run noise."
    )


def _why_section(speed: dict[str, dict[str, Any]], pw_linear: set[str]) -> list[str]:
    """Each function that misses a goal, with the registry's note on where its time goes."""
    import flaxact

    lines = [".. _performance-why:", "", *_heading("Where the time goes", "-")]
    lines += [
        "For each function above that misses a target, what flaxact computes that jax.nn",
        "does not (from the ``speed_note`` of its registry record). Most of the extra work",
        "buys accuracy: the :ref:`accuracy page <accuracy>` shows what jax.nn's cheaper",
        "form costs in ULP.",
        "",
    ]
    for name in missed_names(speed, pw_linear):
        # plain text: escape what reStructuredText would read as markup (|x| is a substitution)
        note = (
            flaxact.get(name)
            .speed_note.replace("\\", "\\\\")
            .replace("|", "\\|")
            .replace("*", "\\*")
        )
        lines.append(f"* :func:`{name}`: " + (note or _no_note(speed, name)))
    return [*lines, ""]


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
#: Which results file each column reads.
_COLUMN_KIND = {"forward": "speed", "forward_backward": "speed", "compile": "cost",
                "program": "cost", "saved": "cost", "ulp": "accuracy"}  # fmt: skip


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
            if _is_num(ours.get("max")) and _is_num(theirs.get("max")):
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
            if row["name"] == name and _is_num(value):
                same = entry.get("same_program_as_baseline", False)
                checks.append((value, *within(value, CONTRACT[mode], row, same)))
        put(mode, checks, ["speed"])
    cost = res.get("cost")
    rows = [r for r in (cost or {}).get("cases", []) if r["name"] == name]
    for col, key in (("compile", "compile"), ("program", "hlo_instructions"),
                     ("saved", "residual_bytes")):  # fmt: skip
        values = [r[key]["ratio"] for r in rows if _is_num(r.get(key, {}).get("ratio"))]
        put(col, [(v, v <= CONTRACT[col], False) for v in values], ["cost"])
    if rows and "saved" not in out and all(r["residual_bytes"]["ratio"] is None for r in rows):
        # neither saves anything (a function of indices): equal, not unmeasured
        out["saved"] = {"value": None, "met": True, "noise": False, "kinds": ["cost"]}
    ulps = _ulp_ratios(res, name)
    kinds = [k for k in ("accuracy", "exhaustive") if res.get(k)]
    put("ulp", [(v, v <= CONTRACT["ulp"], False) for v in ulps], kinds)
    return out


def _baselines(res: dict[str, Any], name: str) -> str:
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


def _contract_cell(cell: dict[str, Any] | None, col: str) -> str:
    if cell is None:
        return "—"
    if cell["value"] is None:
        return "none saved"
    text = f"{cell['value']:.2f}"
    if not cell["met"]:
        return miss(text)
    return text + " (noise)" if cell["noise"] else text


def contract_rows(results: dict[str, dict[str, Any]]) -> list[list[str]]:
    """The summary table: a row per registered function, each cell a ratio to the
    baseline (misses marked), then what it was compared with and which code was measured."""
    import flaxact

    plat = primary_platform(results)
    res = results.get(plat, {}) if plat else {}
    rows = []
    for rec in flaxact.records():
        cells = contract_cells(res, rec.name)
        row = [f":func:`{rec.name}`", _baselines(res, rec.name)]
        row += [_contract_cell(cells.get(col), col) for col, _ in CONTRACT_COLUMNS]
        used = {k for c in cells.values() for k in c["kinds"]}
        stale = [k for k in KINDS if k in used and not _measured_code(res[k]["machine"])[0]]
        row.append("earlier: " + ", ".join(stale) if stale else ("current" if used else "—"))
        rows.append(row)
    return rows


def contract_header() -> list[str]:
    limits = {"forward": "≤ 1.1", "forward_backward": "≤ 1.1"}
    return [
        "function",
        "compared with",
        *[
            f"{title} ({limits.get(col, f'≤ {CONTRACT[col]:g}')})"
            for col, title in CONTRACT_COLUMNS
        ],
        "code measured",
    ]


def _contract_section(results: dict[str, dict[str, Any]]) -> list[str]:
    plat = primary_platform(results)
    res = results.get(plat, {}) if plat else {}
    label = machine_label(next(iter(res.values()))["machine"]) if res else "no results"
    lines = [
        f"Every function against its baseline ({label}). Each figure is flaxact / baseline,",
        "the worst over sizes, shapes and parameter values, against the contract's limit in",
        f"the column's heading; {miss('red')}: a miss.",
        "",
    ]
    lines += stale_warning(*[res[k] for k in KINDS if k in res])
    lines += _table(contract_header(), contract_rows(results))
    lines += [
        "The *baseline* is jax.nn's function; for an extra jax.nn lacks (*jnp*), the jnp code",
        "a user would write instead: ``x * jax.nn.sigmoid(beta * x)`` for ``swish`` with",
        '``beta``, ``x * jax.nn.sigmoid(1.702 * x)`` for ``gelu(approximate="sigmoid")``,',
        "``a * jax.nn.silu(b)``, ``a * jax.nn.gelu(b, approximate)`` and",
        "``a * jax.nn.relu(b)`` for the gated family, the first half ``a`` linear as in",
        "flaxact.",
        "",
        f"* **run time** (``benchmarks/speed.py``; limit {CONTRACT['forward']:g}): median time",
        "  of the jitted function, and of its value and input gradient, element-wise",
        "  functions on 2\\ :sup:`16` and 2\\ :sup:`22` float32 elements, functions of a whole",
        "  axis over the last axis of 4096 × 1024, 256 × 32000 and 2\\ :sup:`22`. A ratio",
        "  over the limit by less than two identical ops differed in the same run, or of a",
        "  program the same as the baseline's, is marked *(noise)*, not missed.",
        f"* **compile time** (``benchmarks/cost.py``; limit {CONTRACT['compile']:g}): trace +",
        "  compile of ``jax.jit(jax.grad(loss))`` for a 24-layer MLP of width 64 using the",
        "  function after each layer, from cleared caches, median of the interleaved runs.",
        f"* **program size** (limit {CONTRACT['program']:g}): instructions in the optimized",
        "  HLO of ``jax.jit(jax.value_and_grad(lambda x: jnp.sum(f(x))))``, every instruction",
        "  of every computation, fusion bodies included (``tests/_cost.py``).",
        f"* **saved memory** (limit {CONTRACT['saved']:g}): bytes of the residuals kept from the",
        "  forward pass for the backward pass, as ``jax.ad_checkpoint`` lists them.",
        f"* **max float32 ULP** (limit {CONTRACT['ulp']:g}): flaxact's largest float32 error",
        "  over jax.nn's (at least half an ULP: correct rounding), on the grid of the",
        "  :ref:`accuracy` page and every float32 of the exhaustive sweep; measured for",
        "  element-wise functions with a jax.nn counterpart.",
        "",
        "—: not measured (no result for that function, or nothing to compare with).",
        "*code measured*: *current* when every figure of the row comes from results measured",
        "on the library code this site documents, else the kinds of result measured on",
        "earlier code. Program size and saved memory are also asserted by",
        "``tests/test_cost.py``; details per case are in the machine sections below.",
        "",
    ]
    return lines


# --------------------------------------------------------------------------- cost section
def _fmt_bytes(n: Any) -> str:
    if not _is_num(n):
        return "—"
    return f"{n / 2**20:,.2f}" if n else "0"


def _cost_ratio(v: Any, limit: float) -> str:
    if v is None:
        return "—"
    text = fmt_ratio(v) if math.isfinite(v) else "inf"
    return miss(text) if _over(v, limit) else text


def _cost_section(data: dict[str, Any]) -> list[str]:
    """The per-case table of one cost file."""
    lines = _heading("Compile time, program size and saved memory", "^")
    lines += stale_warning(data)
    shape = data.get("shape") or ["?"]
    lines += [
        f"Method (``{data['_file']}``, {data['machine'].get('date')}, run time "
        f"{data.get('seconds')} s): *{data.get('method', 'not recorded')}*. Program size and",
        f"saved memory are measured on a float32 array of {' × '.join(map(str, shape))}",
        f"({shape[0]} indices for a function of indices, ``one_hot``); saved memory in MiB.",
        "",
    ]
    table = []
    for r in data["cases"]:
        c, h, m = r["compile"], r["hlo_instructions"], r["residual_bytes"]
        table.append([
            _case_link(r["id"]),
            baseline_word(r),
            f"{1e3 * c['median_s']['flaxact']:,.0f}",
            f"{1e3 * c['median_s']['baseline']:,.0f}",
            _cost_ratio(c["ratio"], CONTRACT["compile"]),
            f"{h['flaxact']:,}",
            f"{h['baseline']:,}",
            _cost_ratio(h["ratio"], CONTRACT["program"]),
            _fmt_bytes(m["flaxact"]),
            _fmt_bytes(m["baseline"]),
            _cost_ratio(m["ratio"], CONTRACT["saved"]),
        ])  # fmt: skip
    header = ["case", "baseline", "compile, flaxact (ms)", "compile, baseline (ms)", "ratio",
              "HLO, flaxact", "HLO, baseline", "ratio", "saved, flaxact", "saved, baseline",
              "ratio"]  # fmt: skip
    return lines + _table(header, table)


# --------------------------------------------------------------------------- performance page
def performance_page(results: dict[str, dict[str, Any]], pw_linear: set[str]) -> str:
    speed = {p: r["speed"] for p, r in results.items() if "speed" in r}
    lines = [
        _HEADER,
        "",
        ".. _performance:",
        "",
        *_heading("Performance", "="),
        ".. currentmodule:: flaxact",
        "",
    ]
    lines += _contract_section(results)
    lines += [
        ".. _performance-run-time:",
        "",
        *_heading("Run-time targets", "-"),
        "How long each function takes, flaxact against its baseline and against a",
        "memory-bound reference op on the same array, as measured by ``benchmarks/speed.py``",
        "(``nox -s bench``) and committed to ``benchmarks/results/``. Every number, mark",
        "and chart on this page is read from those files at build time.",
        "",
        "The *reference* is the cheapest op with the same memory traffic as an element-wise",
        "function: ``2 * x`` forward (read one array, write one) and ``(2 * x, 3 * x)``",
        "forward + backward (read one, write two); its time is the practical floor on that",
        "machine (a function of a whole axis writes less or reads more, so its ratio to the",
        "reference is only indicative). Times are medians in microseconds; ratios below 1.0",
        "are faster.",
        "",
        "Beyond the contract's limit above, the kernels are held to these targets:",
        "",
        f"* flaxact / baseline ≤ {JAX_NN_GOAL:g} (median) for every function, forward and",
        "  forward + backward;",
        f"* piecewise-linear functions at the memory-bound limit: flaxact / reference ≤ {PIECEWISE_LINEAR_GOAL:g};",
    ]
    for names, limit in REFERENCE_GOALS:
        lines.append(f"* {', '.join(names)}: flaxact / reference ≤ {limit:g};")
    lines += [
        "",
        "They are set for CPU time; GPU rows are checked against the same numbers for",
        "comparison. The reference-op targets are checked for both modes.",
        "Piecewise-linear, found numerically from the registry (second difference zero",
        "away from the kinks): "
        + (", ".join(f":func:`{n}`" for n in sorted(pw_linear)) or "none")
        + ".",
        "",
    ]
    if not speed:
        lines += ["No speed results are committed yet (``benchmarks/results/speed-*.json``).", ""]
    else:
        lines += _heading("Targets met and missed", "-")
        lines += [
            "Every target against every row, counted per target; the table lists each row",
            "that misses one, by how much (*jax.nn* and *jnp* are flaxact / baseline,",
            "*reference* is flaxact / reference). Why is under :ref:`performance-why`.",
            "",
        ]
        for data in speed.values():
            lines += _goal_summary(data, pw_linear)
        lines += _why_section(speed, pw_linear)

    for plat, res in results.items():
        if "speed" not in res and "cost" not in res:
            continue
        label = machine_label((res.get("speed") or res["cost"])["machine"])
        lines += [f".. _performance-{plat}:", "", *_heading(label, "-")]
        if "speed" in res:
            lines += _speed_section(plat, res["speed"], pw_linear)
        if "cost" in res:
            lines += _cost_section(res["cost"])
    return "\n".join(lines) + "\n"


def _speed_section(plat: str, data: dict[str, Any], pw_linear: set[str]) -> list[str]:
    """The run-time tables and figure of one speed file."""
    label = machine_label(data["machine"])
    lines = stale_warning(data)
    lines += _machine_facts(data)
    lines += [
        f"Method: *{data.get('method', 'not recorded')}*; {data.get('repeats')} timed runs "
        "per implementation after warm-up, implementations interleaved in one process.",
        "",
    ]
    db = dispatch_bound(data)
    if db:
        fwd = db["forward"]
        text = (
            f"The reference op takes a median {fmt_us(fwd['t_small'])} µs at "
            f"{db['small']:,} elements and {fmt_us(fwd['t_large'])} µs at "
            f"{db['large']:,} ({db['large'] // db['small']} times the data in "
            f"{fwd['growth']:.1f} times the time; {fwd['gb_per_s']:.0f} GB/s of memory "
            "traffic at the larger size)."
        )
        if db["dominated"]:
            text += (
                " At these sizes a call's time here is mostly a fixed cost per call "
                "(host dispatch and synchronisation), not the kernel: ratios near 1.0 on "
                "this machine say little about the kernels themselves."
            )
        lines += [text, ""]
    below = [
        (r, mode, v)
        for r in data["cases"]
        for mode, _ in MODES
        for v in [r.get(mode, {}).get("ratio_to_reference", {}).get("flaxact")]
        if _is_num(v) and v < NOISE_FLOOR and len(shape_of(r)) == 1
    ]
    if below:
        lines += [
            f"Rows where flaxact beats the memory-bound reference by more than "
            f"{100 * (1 - NOISE_FLOOR):.0f} %, which the reference is meant to rule out, "
            "show the timing noise at that size: "
            + "; ".join(
                f"{r['id']} {dict(MODES)[m].lower()} at {r['size']:,} ({v:.2f})"
                for r, m, v in below
            )
            + ".",
            "",
        ]
    lines += _heading("Ratios", "^")
    lines += [
        f".. figure:: speed-{plat}.png",
        f"   :alt: speed ratios flaxact / baseline and flaxact / reference, {label}",
        "   :width: 100%",
        "",
        "   flaxact / baseline (left pair; bars to the left of 1 are faster) and",
        "   flaxact / reference (right pair; 1 is the memory-bound floor), one bar per",
        "   size or shape, on a log scale. Red: the run-time targets.",
        "",
    ]
    for shape in _shapes(data):
        rows = [r for r in data["cases"] if shape_of(r) == shape]
        for mode, title in MODES:
            lines += _heading(f"{title}, {_shape_label(shape)}", "^")
            table = []
            for r in rows:
                e = r.get(mode, {})
                med = e.get("median_s", {})
                rr = e.get("ratio_to_reference", {})
                table.append(
                    [
                        _case_link(r["id"]),
                        baseline_word(r) if r.get("baseline") else "none",
                        fmt_us(med["flaxact"]) if "flaxact" in med else "—",
                        fmt_us(med["baseline"]) if "baseline" in med else "n/a",
                        fmt_us(med["reference"]) if "reference" in med else "—",
                        fmt_ratio(e.get("ratio_flaxact_to_baseline")),
                        fmt_ratio(rr.get("flaxact")),
                        fmt_ratio(rr.get("baseline")),
                        _goal_cell(goal_checks(r, mode, pw_linear)),
                    ]
                )
            lines += _table(
                [
                    "case",
                    "baseline",
                    "flaxact (µs)",
                    "baseline (µs)",
                    "reference (µs)",
                    "flaxact / baseline",
                    "flaxact / reference",
                    "baseline / reference",
                    "targets",
                ],
                table,
            )
    return lines


def speed_figure(data: dict[str, Any], path: Path, pw_linear: set[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ids = list(dict.fromkeys(r["id"] for r in data["cases"]))
    names = {r["id"]: r["name"] for r in data["cases"]}
    shapes = _shapes(data)
    by = {(r["id"], shape_of(r)): r for r in data["cases"]}
    panels = [(m, "baseline") for m, _ in MODES] + [(m, "reference") for m, _ in MODES]
    bar = 0.8 / len(shapes)
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
        for j, shape in enumerate(shapes):
            vals = []
            for cid in ids:
                e = by.get((cid, shape), {}).get(mode, {})
                v = (
                    e.get("ratio_flaxact_to_baseline")
                    if what == "baseline"
                    else e.get("ratio_to_reference", {}).get("flaxact")
                )
                vals.append(v if _is_num(v) else np.nan)
            ax_values += vals
            # bars grow from 1.0 (equal time) to the ratio, left when faster
            ax.barh(ypos + (j - (len(shapes) - 1) / 2) * bar, np.asarray(vals) - 1.0, left=1.0,
                    height=bar, color=f"C{j}", label=legend(shape))  # fmt: skip
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
        ax.text(0.5, 1.005, f"{dict(MODES)[mode].lower()}\nflaxact / {what}",
                transform=ax.transAxes, ha="center", va="bottom", fontsize=9)  # fmt: skip
        ax.tick_params(labelsize=7, length=2, pad=1)
        ax.grid(axis="x", alpha=0.3, lw=0.5)
    axes[0].set_yticks(ypos, ids, fontsize=7)
    axes[0].set_ylim(len(ids) - 0.5, -0.5)
    axes[0].yaxis.set_minor_locator(NullLocator())
    # two columns fit the margin left of the first panel, above the case names
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper left", fontsize=7,
               frameon=False, title="array", title_fontsize=7, ncols=2,
               columnspacing=0.8, handlelength=1.2)  # fmt: skip
    fig.subplots_adjust(
        left=0.17, right=0.99, bottom=0.35 / height, top=1 - 0.5 / height, wspace=0.08
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90, pil_kwargs={"compress_level": 3})
    plt.close(fig)


# --------------------------------------------------------------------------- API pages
def api_rows(name: str, results: dict[str, dict[str, Any]]) -> list[list[str]]:
    """Rows of an activation's "measured accuracy" table: one per machine and case."""
    rows = []
    for plat, res in results.items():
        data = res.get("accuracy")
        if not data:
            continue
        current, _ = _measured_code(data["machine"])
        where = plat.upper() + ("" if current else ", earlier code")
        swept = {c["id"]: c for c in (res.get("exhaustive") or {}).get("cases", [])}
        for case in data["cases"]:
            if case["name"] != name:
                continue
            setting = ", ".join(f"{k}={v}" for k, v in case.get("params", {}).items()) or "defaults"
            bound = tested_bound(case)
            cells = [setting, f":ref:`{where} <accuracy-{plat}>`"]
            for dtype in DTYPES:
                ours = case.get(dtype, {}).get("flaxact")
                theirs = case.get(dtype, {}).get("jax.nn")
                cell = _ulp_cell(ours, dtype, True, bound)
                if theirs:
                    cell += f" (jax.nn {fmt_ulp(theirs.get('max'))})"
                cells.append(cell)
            sw = swept.get(case["id"])
            cells.append(_ulp_cell(sw["flaxact"], "float32", True, bound) if sw else "—")
            cells.append(fmt_ulp(bound) if bound is not None else "—")
            rows.append(cells)
    return rows


def api_block(name: str, results: dict[str, dict[str, Any]]) -> list[str]:
    """The "Measured accuracy" block of an element-wise activation's API page."""
    rows = api_rows(name, results)
    lines = [".. rubric:: Measured accuracy", ""]
    if not rows:
        return [*lines, "Not in the committed accuracy results yet.", ""]
    # the swept range as the results file records it (exhaustive.py's --lo/--hi)
    swept = next((r["exhaustive"]["binades"] for r in results.values() if "exhaustive" in r), None)
    sweep_text = (
        f"over every float32 from {2.0 ** swept[0]:g} to {2.0 ** swept[1]:g} in magnitude"
        if swept
        else "over every float32 of a range of magnitudes"
    )
    lines += [
        "Largest error in ULP over the benchmark's grids (described on the :ref:`accuracy`",
        f"page), jax.nn's in parentheses; {sweep_text}",
        "(the exhaustive sweep); and the float32 bound the",
        f"test suite asserts. The contract is {fmt_ulp(CONTRACT_ULP['float32'])} ULP in float32 and",
        f"{fmt_ulp(CONTRACT_ULP['bfloat16'])} ULP in bfloat16/float16; misses are in red, and explained",
        "on the :ref:`accuracy` page.",
        "",
    ]
    lines += _table(
        [
            "setting",
            "machine",
            "float32",
            "bfloat16",
            "float16",
            "float32, every input",
            "tested float32 bound",
        ],
        rows,
    )
    return lines


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
    return _measured_code(data["machine"])[0]


# --------------------------------------------------------------------------- generation
def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.hexdigest()


def generate(out: Path, write) -> list[str]:
    """Write the two pages and their figures into ``out``; return what changed.

    ``write(path, text)`` writes a file only when its content changes. A figure is
    redrawn only when its inputs change: the JSON file, this module, and what it reads
    from the registry (tested bounds, the piecewise-linear set).
    """
    results = load_results()
    pw = piecewise_linear()
    keys_path = out / ".results-figures.json"
    try:
        keys = json.loads(keys_path.read_text())
    except (OSError, ValueError):
        keys = {}
    changed = []
    if write(out / "accuracy.rst", accuracy_page(results)):
        changed.append("accuracy.rst")
    if write(out / "performance.rst", performance_page(results, pw)):
        changed.append("performance.rst")
    me = Path(__file__).read_bytes()
    new_keys: dict[str, str] = {}
    for plat, res in results.items():
        for kind in ("accuracy", "speed"):
            data = res.get(kind)
            if data is None:
                continue
            png = out / f"{kind}-{plat}.png"
            # what the figure reads from the registry besides the JSON file
            extra = [tested_bound(c) for c in data["cases"]] if kind == "accuracy" else sorted(pw)
            key = _digest(me, (ROOT / data["_file"]).read_bytes(), json.dumps(extra).encode())
            new_keys[png.name] = key
            if png.exists() and keys.get(png.name) == key:
                continue
            if kind == "accuracy":
                accuracy_figure(data, png)
            else:
                speed_figure(data, png, pw)
            changed.append(png.name)
    write(keys_path, json.dumps(new_keys, indent=1) + "\n")
    return changed
