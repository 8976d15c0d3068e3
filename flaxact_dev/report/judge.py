"""What the results say against the contract: accuracy findings, each speed row's goals
and misses, and the cells of the contract table.
"""

from __future__ import annotations

import math
from typing import Any

from flaxact_dev.report.contract import (
    CONTRACT,
    CONTRACT_ULP,
    DTYPES,
    F32_TINY,
    GRAD_NOTE,
    IMPL_LABELS,
    JAX_NN_GOAL,
    MODES,
    PIECEWISE_LINEAR_GOAL,
    REFERENCE_ARRAYS,
    REFERENCE_GOALS,
)
from flaxact_dev.report.results import is_num, shape_of


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


def missed_names(speed: dict[str, dict[str, Any]], pw_linear: set[str]) -> list[str]:
    """Registry names with a case that misses a run-time target in any results file."""
    names: set[str] = set()
    for data in speed.values():
        for row in data["cases"]:
            for mode, _ in MODES:
                if any(not c["met"] for c in goal_checks(row, mode, pw_linear)):
                    names.add(row["name"])
    return sorted(names)


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
