"""The Accuracy and Performance pages and the accuracy block of the API pages, rendered
from the committed benchmark results.

The judgements (contract, goals, noise, findings) come from ``flaxact_dev.report``, the
figures are the PNGs the benchmarks drew beside their JSON; this module formats figures
into table cells and sentences and fills the templates of ``_templates/flaxact/``.
No Sphinx needed to import it.
"""

from __future__ import annotations

import math
import re
from typing import Any

from flaxact_dev import report as rp
from flaxact_dev.site import prose
from flaxact_dev.site.render import miss, render

# --------------------------------------------------------------------------- formatting
ULP = {k: f"{v:g}" for k, v in rp.CONTRACT_ULP.items()}


def fmt_ulp(v: Any, digits: int = 3, sci: float = 1e5) -> str:
    """An error in ULP: ``digits`` significant digits up to 10^(digits - 1), whole numbers
    from there (``1,823``), and from ``sci`` on ``1.2e7``; ``—`` where there is none."""
    if not rp.is_num(v):
        return "—"
    if not math.isfinite(v):
        return str(v)
    if v >= sci:
        mant, exp = f"{v:.{digits - 1}e}".split("e")
        return f"{mant}e{int(exp)}"
    return f"{v:,.0f}" if v >= 10 ** (digits - 1) else f"{v:.{digits}g}"


def fmt_x(v: Any) -> str:
    return f"{v:.6g}".replace("e-0", "e-").replace("e+0", "e+") if rp.is_num(v) else "—"


def fmt_rel(v: Any) -> str:
    if not rp.is_num(v):
        return "—"
    if math.isnan(v) or math.isinf(v):
        return str(v)
    return "0" if v == 0 else f"{v:.2g}"


def fmt_us(seconds: float) -> str:
    us = seconds * 1e6
    return f"{us:,.0f}" if us >= 100 else f"{us:.1f}"


def fmt_ratio(v: Any) -> str:
    return "—" if not rp.is_num(v) or math.isnan(v) else f"{v:.2f}"


def _pow2(n: int) -> str:
    """``2^16`` as reST (a superscript), or the plain number when not a power of two."""
    return f"2\\ :sup:`{n.bit_length() - 1}`" if n > 0 and n & (n - 1) == 0 else f"{n:,}"


def _shape_label(shape: tuple[int, ...]) -> str:
    """``2^22 = 4,194,304 elements`` (1-D) or ``4096 × 1024 (...)``."""
    if len(shape) == 1:
        (n,) = shape
        return f"{_pow2(n)} = {n:,} elements" if n & (n - 1) == 0 else f"{n:,} elements"
    return " × ".join(map(str, shape)) + " (whole-axis functions, over the last axis)"


def _shape_short(shape: tuple[int, ...]) -> str:
    return _pow2(shape[0]) if len(shape) == 1 else "×".join(map(str, shape))


def _case_link(case_id: str) -> str:
    """The function's name as a link, then the rest of the id (parameters, a dtype other
    than float32, the expression it was timed in) as literal text."""
    name = re.match(r"[A-Za-z_]\w*", case_id).group(0)
    rest = case_id[len(name) :]
    return f":func:`{name}`" + (f" ``{rest.strip()}``" if rest.strip() else "")


def _ulp_cell(st: dict[str, Any] | None, dtype: str, flag: bool, bound: float | None) -> str:
    if not st:
        return "n/a"
    over = rp.over(st.get("max"), rp.CONTRACT_ULP[dtype])
    marks = ""
    if flag and bound is not None and dtype == "float32" and rp.over(st.get("max"), bound):
        marks += " †"
    if over and rp.subnormal_input(st.get("worst_x"), dtype):
        marks += " ‡"
    text = fmt_ulp(st.get("max")) + marks
    return miss(text) if flag and over else text


def _stale_files(*datas: dict[str, Any]) -> str:
    """The results files among ``datas`` measured on other code than this checkout's."""
    return ", ".join(f"``{d['_file']}``" for d in datas if not rp.measured_code(d["machine"])[0])


def _other_jax(*datas: dict[str, Any]) -> str:
    """The jax versions ``datas`` were measured with (``"jax 0.10.2"``) where that is not
    the jax the site is built with, or ``""``."""
    other = {
        f"jax {d['machine']['jax']}" if d["machine"].get("jax") else "a jax version not recorded"
        for d in datas
        if not rp.measured_jax(d["machine"])[0]
    }
    return " and ".join(sorted(other))


def _facts(data: dict[str, Any]) -> list[tuple[str, Any]]:
    info = data["machine"]
    load = info.get("load_average_1m_5m_15m")
    return [
        ("device", info.get("device")),
        ("host CPU", f"{info.get('cpu')}, {info.get('cpu_count')} cores"),
        ("measured on", info.get("date")),
        ("jax / jaxlib", f"{info.get('jax')} / {info.get('jaxlib')}"),
        ("jax measured with", rp.measured_jax(info)[1]),
        ("flaxact", info.get("flaxact")),
        ("library code measured", rp.measured_code(info)[1]),
        ("Python / NumPy", f"{info.get('python')} / {info.get('numpy')}"),
        ("PyTorch", info.get("torch") or "not installed"),
        ("benchmark run time", f"{data.get('seconds')} s"),
        (
            "load average when it started (1, 5, 15 min)",
            " / ".join(map(str, load)) if load else "not recorded",
        ),
        ("results file", f"``{data['_file']}``"),
    ]


def _figure(data: dict[str, Any]) -> str:
    """The path of a result file's figure, from ``docs/generated/``."""
    return "../../" + data["_file"].removesuffix(".json") + ".png"


def _by_machine(data: dict[str, Any]) -> dict[str, Any]:
    info = data["machine"]
    return {
        "label": rp.machine_label(info),
        "file": data["_file"],
        "date": info.get("date"),
        "platform": data["_file"].rsplit("-", 1)[1].removesuffix(".json"),
        "stale": _stale_files(data),
        "other_jax": _other_jax(data),
        "facts": _facts(data),
        "figure": _figure(data),
    }


# --------------------------------------------------------------------------- accuracy page
def _findings(data: dict[str, Any]) -> list[str]:
    """The "not met yet" list of one accuracy file, a sentence per kind of finding."""
    f = rp.accuracy_findings(data)
    items = []
    for dtype in rp.DTYPES:
        facts = [x for x in f["over_contract"] if x["dtype"] == dtype]
        if not facts:
            items.append(f"{dtype}: every case within {ULP[dtype]} ULP.")
            continue
        parts = []
        for x in facts:
            part = f"{x['case']} {fmt_ulp(x['max'])} ULP at x = {fmt_x(x.get('worst_x'))}"
            if dtype == "float32" and x.get("bound") is not None:
                part += f" (tested bound {fmt_ulp(x['bound'])})"
            if rp.subnormal_input(x.get("worst_x"), dtype):
                part += " (a subnormal input, see ‡)"
            parts.append(part)
        items.append(
            f"{dtype}, over the {ULP[dtype]}-ULP contract in {len(facts)} of "
            f"{len(data['cases'])} cases: " + "; ".join(parts) + "."
        )

    def listed(key: str, intro: str, each, otherwise: str | None = None) -> None:
        if f[key]:
            items.append(intro + "; ".join(each(x) for x in f[key]) + ".")
        elif otherwise:
            items.append(otherwise)

    listed(
        "over_tested",
        "Above the float32 bound the test suite asserts (†, the tests run on the CPU): ",
        lambda x: f"{x['case']} {fmt_ulp(x['max'])} > {fmt_ulp(x['bound'])}",
    )
    listed(
        "worse_than_jax_nn",
        "Larger maximum error than jax.nn (the contract says never worse): ",
        lambda x: f"{x['case']} {x['dtype']} {fmt_ulp(x['max'])} vs {fmt_ulp(x['jax_nn'])}",
        "Never a larger maximum error than jax.nn, in any case or type.",
    )
    listed(
        "grad_nonfinite",
        "Non-finite gradients where the derivative is finite: ",
        lambda x: f"{x['case']} ({x['nonfinite']})",
        "No non-finite gradient where the derivative is finite, in any case.",
    )
    listed(
        "grad_inaccurate",
        f"Gradients finite but with a relative error above {rp.GRAD_NOTE:g} somewhere: ",
        lambda x: (
            f"{x['case']} {fmt_rel(x['max'])} at x = {fmt_x(x.get('worst_x'))} "
            f"(99.9 % of points within {fmt_rel(x.get('p999'))})"
        ),
    )
    if f["subnormal_worst"]:
        ids = sorted(
            {
                f"{x['case']} {x['dtype']} ({rp.IMPL_LABELS.get(x['impl'], x['impl'])})"
                for x in f["subnormal_worst"]
            }
        )
        items.append(
            "‡ The worst case is at an input that is subnormal as a float32, which JAX on "
            "the CPU flushes to zero, while the contract is stated for normal inputs: "
            "these figures measure that flush, not the function (" + "; ".join(ids) + ")."
        )
    return items


def _accuracy_tables(data: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """``(title, header, rows)`` per dtype, then the gradients."""
    out = []
    for dtype in rp.DTYPES:
        impls = rp.impls(data, dtype)
        header = ["case", *(["tested bound"] if dtype == "float32" else [])]
        for impl in impls:
            lab = rp.IMPL_LABELS.get(impl, impl)
            header += [f"{lab} max", f"{lab} p99.9", f"{lab} worst x"]
        rows = []
        for case in data["cases"]:
            bound = rp.tested_bound(case)
            row = [_case_link(case["id"])]
            if dtype == "float32":
                row.append(fmt_ulp(bound))
            for impl in impls:
                st = case.get(dtype, {}).get(impl)
                row += [
                    _ulp_cell(st, dtype, impl == "flaxact", bound),
                    fmt_ulp(st.get("p999")) if st else "n/a",
                    fmt_x(st.get("worst_x")) if st else "n/a",
                ]
            rows.append(row)
        out.append((f"{dtype} (ULP)", header, rows))
    impls = rp.impls(data, "grad")
    header = ["case"]
    for impl in impls:
        lab = rp.IMPL_LABELS.get(impl, impl)
        header += [f"{lab} max", f"{lab} p99.9", f"{lab} worst x", f"{lab} non-finite"]
    rows = []
    for case in data["cases"]:
        row = [_case_link(case["id"])]
        for impl in impls:
            st = case.get("grad", {}).get(impl)
            if not st:
                row += ["n/a"] * 4
                continue
            bad = str(st.get("nonfinite", "—"))
            bad = miss(bad) if impl == "flaxact" and st.get("nonfinite") else bad
            row += [fmt_rel(st.get("max")), fmt_rel(st.get("p999")), fmt_x(st.get("worst_x")), bad]
        rows.append(row)
    out.append(("Gradients (relative error)", header, rows))
    return out


def _accuracy_machine(data: dict[str, Any]) -> dict[str, Any]:
    grid = data.get("grid", {})
    half = []
    for dtype in rp.DTYPES[1:]:
        ns = [c[dtype]["flaxact"]["n"] for c in data["cases"] if c.get(dtype, {}).get("flaxact")]
        if ns:
            half.append(f"{dtype}: {min(ns):,} to {max(ns):,} values per case")
    desc = grid.get("half") or "the finite values of the type"
    return {
        **_by_machine(data),
        "findings": _findings(data),
        "grid": f"{grid.get('dense', '?'):,} points on [-20, 20] and "
        f"{grid.get('logs', '?'):,} log-spaced magnitudes each side",
        "n_cases": len(data["cases"]),
        "half": f"{desc}, measured where the exact result is normal ({'; '.join(half)})"
        if half
        else "",
        "torch": data["machine"].get("torch") if "torch" in rp.impls(data, "float32") else None,
        "bins": len(data.get("bins", [])) - 1,
        "tables": _accuracy_tables(data),
    }


def _binade(exponent: int) -> str:
    return f"2\\ :sup:`{exponent}`" if exponent else "1"


def _exhaustive(data: dict[str, Any]) -> dict[str, Any]:
    lo, hi = data["binades"]
    rows = []
    for case in data["cases"]:
        bound = rp.tested_bound(case)
        ours, theirs, held = case["flaxact"], case.get("jax.nn"), case.get("accurate_from")
        rows.append(
            [
                _case_link(case["id"]),
                fmt_ulp(bound) + ("" if held is None else f" (x ≥ {held:g})"),
                _ulp_cell(ours, "float32", True, bound),
                fmt_x(ours.get("worst_x")),
                fmt_ulp(theirs["max"]) if theirs else "—",
                fmt_x(theirs.get("worst_x")) if theirs else "—",
            ]
        )
    return {
        **_by_machine(data),
        "lo": 2.0**lo,
        "hi": 2.0**hi,
        "lo_label": _binade(lo),
        "hi_label": _binade(hi),
        "n": sum(c["flaxact"]["n"] for c in data["cases"]),
        "seconds": data.get("seconds_per_case"),
        "worse": [_case_link(c["id"]) for c in data["cases"] if not rp.never_worse_than_jax_nn(c)],
        "rows": rows,
    }


def accuracy_page(results: dict[str, dict[str, Any]]) -> str:
    return render(
        "accuracy.rst.jinja",
        ulp=ULP,
        built_jax=rp.built_jax(),
        machines=[_accuracy_machine(r["accuracy"]) for r in results.values() if "accuracy" in r],
        exhaustive=[_exhaustive(r["exhaustive"]) for r in results.values() if "exhaustive" in r],
    )


def api_block(name: str, results: dict[str, dict[str, Any]]) -> list[str]:
    """The "Measured accuracy" block of an element-wise activation's API page."""
    rows = []
    for plat, res in results.items():
        data = res.get("accuracy")
        if not data:
            continue
        where = f"{plat.upper()}, jax {data['machine'].get('jax') or '(not recorded)'}" + (
            "" if rp.measured_on_current_code(data) else ", earlier code"
        )
        swept = {c["id"]: c for c in (res.get("exhaustive") or {}).get("cases", [])}
        for case in (c for c in data["cases"] if c["name"] == name):
            bound = rp.tested_bound(case)
            setting = ", ".join(f"{k}={v}" for k, v in case.get("params", {}).items())
            cells = [setting or "defaults", f":ref:`{where} <accuracy-{plat}>`"]
            for dtype in rp.DTYPES:
                theirs = case.get(dtype, {}).get("jax.nn")
                cells.append(
                    _ulp_cell(case.get(dtype, {}).get("flaxact"), dtype, True, bound)
                    + (f" (jax.nn {fmt_ulp(theirs.get('max'))})" if theirs else "")
                )
            sw = swept.get(case["id"])
            cells.append(_ulp_cell(sw["flaxact"], "float32", True, bound) if sw else "—")
            cells.append(fmt_ulp(bound))
            rows.append(cells)
    binades = next((r["exhaustive"]["binades"] for r in results.values() if "exhaustive" in r), 0)
    sweep = (
        f"over every float32 from {2.0 ** binades[0]:g} to {2.0 ** binades[1]:g} in magnitude"
        if binades
        else "over every float32 of a range of magnitudes"
    )
    return render("api_accuracy.rst.jinja", rows=rows, sweep=sweep, ulp=ULP).splitlines()


# --------------------------------------------------------------------------- performance page
def _contract_cell(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return "—"
    if cell["value"] is None:
        return "none saved"
    text = f"{cell['value']:.2f}"
    return miss(text) if not cell["met"] else text + (" (noise)" if cell["noise"] else "")


def contract_header() -> list[str]:
    return [
        "function",
        "compared with",
        *[f"{title} (≤ {rp.CONTRACT[col]:g})" for col, title in rp.CONTRACT_COLUMNS],
        "code measured",
    ]


def contract_rows(results: dict[str, dict[str, Any]]) -> list[list[str]]:
    """A row per registered function: each cell a ratio to the baseline (misses marked),
    then what it was compared with and which code was measured."""
    import flaxact

    plat = rp.primary_platform(results)
    res = results.get(plat, {}) if plat else {}
    rows = []
    for rec in flaxact.records():
        cells = rp.contract_cells(res, rec.name)
        used = {k for c in cells.values() for k in c["kinds"]}
        stale = [k for k in rp.KINDS if k in used and not rp.measured_on_current_code(res[k])]
        rows.append(
            [
                f":func:`{rec.name}`",
                rp.baselines(res, rec.name),
                *[_contract_cell(cells.get(col)) for col, _ in rp.CONTRACT_COLUMNS],
                "earlier: " + ", ".join(stale) if stale else ("current" if used else "—"),
            ]
        )
    return rows


def _miss_text(c: dict[str, Any]) -> str:
    """``jax.nn 1.19 > 1 (+19 %)``, with enough digits that the miss shows."""
    value, limit = c["value"], c["limit"]
    over = 100 * (value / limit - 1)
    pct = f"{over:.0f}" if over >= 1 else f"{over:.1f}"
    return f"{c['what']} {value:.{2 if round(value, 2) > limit else 3}f} > {limit:g} (+{pct} %)"


def _goal_cell(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return "—"
    missed = [c for c in checks if not c["met"]]
    if missed:
        return miss("; ".join(_miss_text(c) for c in missed))
    noisy = [f"{c['what']} {c['value']:.2f}" for c in checks if c["noise"]]
    if noisy:
        return "within noise (" + ", ".join(noisy) + ")"
    return "met (" + ", ".join(f"{c['what']} ≤ {c['limit']:g}" for c in checks) + ")"


def _summary(data: dict[str, Any], pw: frozenset[str]) -> dict[str, Any]:
    """Targets met per kind of target, the run's noise, and the rows that miss one."""
    tally: dict[str, list[int]] = {}
    for row in data["cases"]:
        for mode, _ in rp.MODES:
            for c in rp.goal_checks(row, mode, pw):
                key = f"flaxact / {c['what']} ≤ {c['limit']:g}"
                if c["what"] == "reference" and c["limit"] == rp.PIECEWISE_LINEAR_GOAL:
                    key += " (piecewise linear)"
                t = tally.setdefault(key, [0, 0, 0])
                t[0], t[1], t[2] = t[0] + c["met"], t[1] + 1, t[2] + c["noise"]
    texts = []
    for key, (met, total, noise) in tally.items():
        text = f"{met} of {total} met" + (f" ({noise} of them within the noise)" if noise else "")
        texts.append((key, text if met == total else miss(text)))
    bands = {rp.shape_of(r): r["noise_band"] for r in data["cases"] if r.get("noise_band")}
    noise = ", ".join(
        f"{100 * bands[s]:.0f} % at {_shape_short(s)}"
        for s in sorted(bands, key=lambda s: (len(s) > 1, s))
    )
    shapes = rp.shapes(data)
    by = {(r["id"], rp.shape_of(r)): r for r in data["cases"]}
    rows = []
    for cid in dict.fromkeys(r["id"] for r in data["cases"]):
        cells = [_case_link(cid)]
        for shape in shapes:
            for mode, _ in rp.MODES:
                row = by.get((cid, shape))
                checks = rp.goal_checks(row, mode, pw) if row else []
                missed = [c for c in checks if not c["met"]]
                cells.append(
                    miss("; ".join(map(_miss_text, missed)))
                    if missed
                    else ("met" if checks else "—")
                )
        if any(":flaxact-miss:" in c for c in cells):
            rows.append(cells)
    header = ["case"] + [
        f"{title.lower()}, {_shape_short(s)}" for s in shapes for _, title in rp.MODES
    ]
    return {
        "label": rp.machine_label(data["machine"]),
        "file": data["_file"],
        "date": data["machine"].get("date"),
        "tally": texts,
        "noise": noise,
        "share": f"{rp.NOISE_QUANTILE * 10:.0f} in 10",
        "header": header,
        "rows": rows,
    }


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
            for mode, title in rp.MODES
        )
        slow |= any(
            c["what"] != "reference" and not c["met"]
            for mode, _ in rp.MODES
            for c in rp.goal_checks(row, mode, set())
        )
        where = f"{rp.machine_label(data['machine'])} at {_shape_short(rp.shape_of(row))}"
        parts.append(f"{where}: {ratios}")
    text = (
        "its entry notes no work beyond its baseline's; flaxact / "
        "baseline " + "; ".join(parts) + "."
    )
    if slow:
        return text + " Where its time goes is not recorded yet."
    return text + (
        " Its miss is at a smaller size (where a fixed cost per call dominates), "
        "against the reference op, or within run-to-run noise."
    )


def _why(speed: dict[str, dict[str, Any]], pw: frozenset[str]) -> list[tuple[str, str]]:
    """Each function that misses a target, with its record's note on where the time goes
    (escaped: plain text, where reST would read ``|x|`` as a substitution)."""

    out = []
    for name in rp.missed_names(speed, pw):
        note = prose.of(name).speed_note
        for ch in "\\|*":
            note = note.replace(ch, "\\" + ch)
        out.append((name, note or _no_note(speed, name)))
    return out


def _speed_notes(data: dict[str, Any]) -> list[str]:
    """What the reference op says about this run: fixed per-call cost, timing noise."""
    out = []
    db = rp.dispatch_bound(data)
    if db:
        fwd = db["forward"]
        text = (
            f"The reference op takes a median {fmt_us(fwd['t_small'])} µs at "
            f"{db['small']:,} elements and {fmt_us(fwd['t_large'])} µs at {db['large']:,} "
            f"({db['large'] // db['small']} times the data in {fwd['growth']:.1f} times the "
            f"time; {fwd['gb_per_s']:.0f} GB/s of memory traffic at the larger size)."
        )
        if db["dominated"]:
            text += (
                " At these sizes a call's time here is mostly a fixed cost per call (host "
                "dispatch and synchronisation), not the kernel: ratios near 1.0 on this "
                "machine say little about the kernels themselves."
            )
        out.append(text)
    below = [
        f"{r['id']} {dict(rp.MODES)[m].lower()} at {r['size']:,} ({v:.2f})"
        for r in data["cases"]
        if len(rp.shape_of(r)) == 1
        for m, _ in rp.MODES
        for v in [r.get(m, {}).get("ratio_to_reference", {}).get("flaxact")]
        if rp.is_num(v) and v < rp.NOISE_FLOOR
    ]
    if below:
        out.append(
            f"Rows where flaxact runs more than {100 * (1 - rp.NOISE_FLOOR):.0f} % "
            "faster than the reference op, which is therefore not a floor there: "
            + "; ".join(below)
            + ". In small arrays a call's time depends on more than "
            "the memory it moves (the program's fixed cost, how XLA splits the loop); "
            "a function of a whole axis writes less than the reference (glu and the "
            "gated units halve the axis, logsumexp keeps one element)."
        )
    return out


def _speed(data: dict[str, Any], pw: frozenset[str]) -> dict[str, Any]:
    tables = []
    for shape in rp.shapes(data):
        for mode, title in rp.MODES:
            rows = []
            for r in (r for r in data["cases"] if rp.shape_of(r) == shape):
                e = r.get(mode, {})
                med, rr = e.get("median_s", {}), e.get("ratio_to_reference", {})
                rows.append(
                    [
                        _case_link(r["id"]),
                        rp.baseline_word(r) if r.get("baseline") else "none",
                        fmt_us(med["flaxact"]) if "flaxact" in med else "—",
                        fmt_us(med["baseline"]) if "baseline" in med else "n/a",
                        fmt_us(med["reference"]) if "reference" in med else "—",
                        fmt_ratio(e.get("ratio_flaxact_to_baseline")),
                        fmt_ratio(rr.get("flaxact")),
                        fmt_ratio(rr.get("baseline")),
                        _goal_cell(rp.goal_checks(r, mode, pw)),
                    ]
                )
            tables.append((f"{title}, {_shape_label(shape)}", rows))
    return {
        **_by_machine(data),
        "method": data.get("method", "not recorded"),
        "repeats": data.get("repeats"),
        "seconds": data.get("seconds_per_case"),
        "rounds": _rounds(data),
        "notes": _speed_notes(data),
        "tables": tables,
    }


def _rounds(data: dict[str, Any]) -> str | None:
    """``"21 to 2,000"``: the range of timed rounds over the file's cases (``None`` in
    files timed with a fixed count)."""
    if not data.get("seconds_per_case"):
        return None
    runs = [r[m]["runs"] for r in data["cases"] for m, _ in rp.MODES if "runs" in r.get(m, {})]
    lo, hi = min(runs), max(runs)
    return f"{lo:,}" if lo == hi else f"{lo:,} to {hi:,}"


def _cost(data: dict[str, Any]) -> dict[str, Any]:
    def ratio(v: Any, limit: float) -> str:
        text = "—" if v is None else (fmt_ratio(v) if math.isfinite(v) else "inf")
        return miss(text) if rp.over(v, limit) else text

    def mib(n: Any) -> str:
        return "—" if not rp.is_num(n) else (f"{n / 2**20:,.2f}" if n else "0")

    rows = []
    for r in data["cases"]:
        c, h, m = r["compile"], r["hlo_instructions"], r["residual_bytes"]
        rows.append(
            [
                _case_link(r["id"]),
                rp.baseline_word(r),
                f"{1e3 * c['median_s']['flaxact']:,.0f}",
                f"{1e3 * c['median_s']['baseline']:,.0f}",
                ratio(c["ratio"], rp.CONTRACT["compile"]),
                f"{h['flaxact']:,}",
                f"{h['baseline']:,}",
                ratio(h["ratio"], rp.CONTRACT["program"]),
                mib(m["flaxact"]),
                mib(m["baseline"]),
                ratio(m["ratio"], rp.CONTRACT["saved"]),
            ]
        )
    shape = data.get("shape") or ["?"]
    return {
        **_by_machine(data),
        "seconds": data.get("seconds_per_case"),
        "method": data.get("method", "not recorded"),
        "shape": " × ".join(map(str, shape)),
        "n_index": shape[0],
        "rows": rows,
    }


def performance_page(results: dict[str, dict[str, Any]]) -> str:
    pw = rp.piecewise_linear()
    speed = {p: r["speed"] for p, r in results.items() if "speed" in r}
    plat = rp.primary_platform(results)
    res = results.get(plat, {}) if plat else {}
    contract = {
        "label": rp.machine_label(next(iter(res.values()))["machine"]) if res else "no results",
        "stale": _stale_files(*[res[k] for k in rp.KINDS if k in res]),
        "other_jax": _other_jax(*[res[k] for k in rp.KINDS if k in res]),
        "header": contract_header(),
        "rows": contract_rows(results),
    }
    goal = {
        "baseline": f"{rp.JAX_NN_GOAL:g}",
        "piecewise_linear": f"{rp.PIECEWISE_LINEAR_GOAL:g}",
        "reference": [(names, f"{limit:g}") for names, limit in rp.REFERENCE_GOALS],
        "piecewise_names": ", ".join(f":func:`{n}`" for n in sorted(pw)),
    }
    machines = [
        {
            "platform": p,
            "label": rp.machine_label((r.get("speed") or r["cost"])["machine"]),
            "speed": _speed(r["speed"], pw) if "speed" in r else None,
            "cost": _cost(r["cost"]) if "cost" in r else None,
        }
        for p, r in results.items()
        if "speed" in r or "cost" in r
    ]
    return render(
        "performance.rst.jinja",
        contract=contract,
        goal=goal,
        machines=machines,
        built_jax=rp.built_jax(),
        limit={k: f"{v:g}" for k, v in rp.CONTRACT.items()},
        summaries=[_summary(d, pw) for d in speed.values()],
        why=_why(speed, pw) if speed else [],
    )
