"""The committed benchmark results and what the site says of them: completeness, the
contract's targets and the misses flagged, results from earlier code labelled."""

from __future__ import annotations

import copy
import json
import re
import shutil

import pytest

import flaxact
from flaxact_dev import report as rp
from flaxact_dev.docs_testing import (
    ELEMENTWISE,
    ROOT,
    SITE,
    accuracy_page,
    committed_results,
)
from flaxact_dev.site import prose
from flaxact_dev.site import results as site_results


def test_benchmark_results_are_committed():
    results = committed_results()
    kinds = {kind for res in results.values() for kind in res}
    assert {"accuracy", "speed", "cost"} <= kinds, (
        f"benchmarks/results/ holds {sorted(kinds)}: the Accuracy and Performance pages need "
        "accuracy-, speed- and cost-<platform>.json (nox -s bench)"
    )


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_elementwise_activation_has_accuracy_results(name):
    """A registry activation without measured rows would be missing from the Accuracy page."""
    results = committed_results()
    assert rp.missing_accuracy_cases(results), "no accuracy results at all"
    for plat, missing in rp.missing_accuracy_cases(results).items():
        assert name not in missing, (
            f"{name} has no row at its defaults in benchmarks/results/accuracy-{plat}.json: "
            "rerun benchmarks/accuracy.py"
        )
        case = next(
            c for c in results[plat]["accuracy"]["cases"] if c["name"] == name and rp.at_defaults(c)
        )
        for dtype in rp.DTYPES:
            assert case[dtype]["flaxact"]["max"] is not None, f"{name}: no {dtype} figure ({plat})"
        assert case["curve"]["flaxact"], f"{name}: no float32 error curve ({plat})"
        assert "nonfinite" in case["grad"]["flaxact"], f"{name}: no gradient figures ({plat})"
    rows = re.findall(rf"^   \* - :func:`{re.escape(name)}`", accuracy_page(), flags=re.MULTILINE)
    per_table = len(rp.DTYPES) + 1  # float32, bfloat16, float16, gradients
    # (results measured on earlier code are labelled so and cannot list later functions)
    n_acc = sum(
        "accuracy" in r and rp.measured_on_current_code(r["accuracy"]) for r in results.values()
    )
    assert len(rows) >= per_table * n_acc, f"{name} is missing from the Accuracy page's tables"
    block = "\n".join(site_results.api_block(name, results))
    assert "Not in the committed accuracy results" not in block, f"{name}'s API page has no figures"
    assert block.count("\n   * - ") >= 1 + n_acc, f"{name}'s API page lacks a row per machine"


def test_speed_misses_are_explained():
    """Every function clearly slower than its baseline on the CPU says where the time goes.

    Checked on every array but the smallest (2^16 elements, a few tens of microseconds,
    where a fixed cost per call blurs the kernels). "Clearly": by more than 10 % and by
    more than two identical ops differed in the same run (the benchmark's A/A
    ``noise_ratio``). The note lives in the function's entry of docs/_data/activations.toml (``speed_note``)
    and the Performance page renders it.
    """
    speed = {p: r["speed"] for p, r in committed_results().items() if "speed" in r and p == "cpu"}
    assert speed, "no CPU speed results"
    slow = {
        row["name"]
        for data in speed.values()
        for row in data["cases"]
        if row["size"] > min(r["size"] for r in data["cases"])
        for mode, _ in rp.MODES
        if row[mode].get("ratio_flaxact_to_baseline", 0) > max(1.1, 1 + row["noise_band"])
        and not row[mode].get("same_program_as_baseline")
    }
    unexplained = sorted(n for n in slow if not prose.of(n).speed_note)
    assert not unexplained, (
        f"slower than the baseline, no speed_note in docs/_data/activations.toml: {unexplained}"
    )
    page = site_results.performance_page(committed_results())
    for name in slow:
        line = next((ln for ln in page.splitlines() if ln.startswith(f"* :func:`{name}`: ")), "")
        assert line, f"{name} is not under 'Where the time goes'"
        assert "notes no work beyond its baseline" not in line, f"{name}'s note is not on the page"


def test_speed_noise_is_not_a_miss():
    """A ratio over its goal by less than the run's A/A noise is reported as noise; one
    over by more is a miss (with a band of 0, as in files without the measurement)."""
    row = {
        "id": "relu",
        "name": "relu",
        "size": 2**22,
        "noise_band": 0.08,
        "baseline": "jax.nn",
        "forward": {"ratio_flaxact_to_baseline": 1.05, "ratio_to_reference": {"flaxact": 1.0}},
    }
    (c,) = [c for c in rp.goal_checks(row, "forward", set()) if c["what"] == "jax.nn"]
    assert c["met"]
    assert c["noise"]
    assert rp.goal_checks({**row, "noise_band": 0.0}, "forward", set())[0]["met"] is False
    far = {**row, "forward": {**row["forward"], "ratio_flaxact_to_baseline": 1.2}}
    assert rp.goal_checks(far, "forward", set())[0]["met"] is False
    same = {**far, "forward": {**far["forward"], "same_program_as_baseline": True}}
    assert rp.goal_checks(same, "forward", set())[0]["met"]
    jnp_row = {**far, "baseline": "jnp: x * jax.nn.sigmoid(beta * x)"}
    assert rp.goal_checks(jnp_row, "forward", set())[0]["what"] == "jnp"
    data = {"cases": [row], "machine": {}, "_file": "speed-cpu.json"}
    assert "8 %" in site_results._summary(data, frozenset())["noise"]


def test_old_speed_files_are_read_as_today():
    """A speed file from before baselines and shapes reads as one against jax.nn, 1-D."""
    old = {
        "cases": [
            {
                "id": "relu",
                "name": "relu",
                "size": 64,
                "forward": {
                    "median_s": {"flaxact": 2.0, "jax.nn": 1.0, "reference": 1.0},
                    "ratio_to_reference": {"flaxact": 2.0, "jax.nn": 1.0},
                    "ratio_flaxact_to_jax_nn": 2.0,
                    "same_program_as_jax_nn": False,
                },
            }
        ]
    }
    rp.upgrade_speed(old)
    (row,) = old["cases"]
    assert row["shape"] == [64]
    assert row["baseline"] == "jax.nn"
    assert row["forward"]["median_s"] == {"flaxact": 2.0, "baseline": 1.0, "reference": 1.0}
    assert row["forward"]["ratio_to_reference"]["baseline"] == 1.0
    assert row["forward"]["ratio_flaxact_to_baseline"] == 2.0
    assert row["forward"]["same_program_as_baseline"] is False


def test_cpu_results_measure_the_current_code():
    """The CPU results (the ones any contributor can regenerate, in minutes, with
    ``nox -s bench``) were measured on the kernels in this checkout.

    Other platforms' files may lag (a GPU is not always at hand); their pages then carry
    a warning, which the second half checks.
    """
    now = rp.current_source()
    for kind, data in committed_results().get("cpu", {}).items():
        measured = data["machine"].get("flaxact_source")
        assert measured == now, (
            f"benchmarks/results/{kind}-cpu.json measured library code {measured}, the "
            f"checkout's is {now}: the kernels changed; rerun `nox -s bench`"
        )
    stale = {"machine": {"flaxact_source": "0" * 16}, "_file": "x.json", "cases": []}
    assert site_results._stale_files(stale) == "``x.json``"
    assert site_results._stale_files({**stale, "machine": {"flaxact_source": now}}) == ""


def test_tested_bounds_hold_on_every_swept_input():
    """Each function's stated float32 bound covers its largest error over every float32 in
    the binades ``benchmarks/exhaustive.py`` sweeps (not just the test grid's samples),
    and that error is never above jax.nn's there (the README's claim).

    The CPU file is current (the test above); a GPU file may describe older code and is
    only rendered, with its warning.
    """
    cpu = committed_results().get("cpu", {})
    assert "exhaustive" in cpu, (
        "no benchmarks/results/exhaustive-cpu.json: run benchmarks/exhaustive.py"
    )
    rows = cpu["exhaustive"]["cases"]
    assert {r["id"] for r in rows} >= {c["id"] for c in cpu["accuracy"]["cases"]}
    over = [
        (r["id"], r["flaxact"]["max"], rp.tested_bound(r), r["flaxact"]["worst_x"])
        for r in rows
        if r["flaxact"]["max"] > rp.tested_bound(r)
    ]
    assert not over, f"above the stated bound on some float32 input (id, max, bound, x): {over}"
    worse = [
        (r["id"], r["flaxact"]["max"], r["jax.nn"]["max"])
        for r in rows
        if not rp.never_worse_than_jax_nn(r)
    ]
    assert not worse, f"less accurate than jax.nn on some float32 input: {worse}"
    assert any("jax.nn" in r for r in rows)
    assert "Every float32 input from" in accuracy_page()
    # the check can fail
    assert not rp.never_worse_than_jax_nn({"flaxact": {"max": 2.0}, "jax.nn": {"max": 1.5}})


def test_missing_accuracy_rows_are_detected():
    """The completeness check above can fail: drop a case and it is reported."""
    plat = next(p for p, r in committed_results().items() if "accuracy" in r)
    data = committed_results()[plat]["accuracy"]
    dropped = ELEMENTWISE[0]
    cut = {**data, "cases": [c for c in data["cases"] if c["name"] != dropped]}
    assert rp.missing_accuracy_cases({plat: {"accuracy": cut}}) == {plat: [dropped]}
    block = "\n".join(site_results.api_block(dropped, {plat: {"accuracy": cut}}))
    assert "Not in the committed accuracy results" in block


def test_measurement_pages_show_current_figures():
    """The figures the benchmarks drew beside their results exist, were drawn from the
    committed files and registry (``python -m flaxact_dev.report`` redraws them), and each
    machine's section of the pages shows its figure."""
    results = committed_results()
    assert rp.stale_figures() == [], "figures out of date: run python -m flaxact_dev.report"
    pages = {
        "accuracy": site_results.accuracy_page(results),
        "speed": site_results.performance_page(results),
    }
    for plat, res in results.items():
        for kind in ("accuracy", "speed"):
            if kind not in res:
                continue
            png = ROOT / "benchmarks" / "results" / f"{kind}-{plat}.png"
            assert png.stat().st_size > 10_000, f"{png.name} is nearly empty"
            assert f"\n{rp.machine_label(res[kind]['machine'])}\n" in pages[kind]
            assert f".. figure:: ../../benchmarks/results/{png.name}" in pages[kind]
    index = (ROOT / "docs" / "index.md").read_text()
    for page in ("generated/accuracy", "generated/performance"):
        assert index.count(page) >= 2, f"{page} is not in the landing page's cards and toctree"
    if SITE is not None:
        for page in ("accuracy", "performance"):
            assert (SITE / "generated" / f"{page}.html").is_file(), f"built site has no {page} page"


def test_stale_figures_are_detected(tmp_path):
    """A figure whose results file changed since it was drawn is reported."""
    for path in (ROOT / "benchmarks" / "results").glob("speed-cpu.*"):
        shutil.copy(path, tmp_path)
    assert rp.stale_figures(tmp_path) == []
    data = tmp_path / "speed-cpu.json"
    data.write_text(data.read_text() + "\n")
    assert rp.stale_figures(tmp_path) == ["speed-cpu.json"]
    (tmp_path / "speed-cpu.png").unlink()
    assert rp.stale_figures(tmp_path) == ["speed-cpu.json"]


def test_a_result_written_anywhere_gets_its_figure(tmp_path):
    """``--out`` may name a result file anything: its figure is drawn beside it, the kind
    read from the file itself."""
    path = tmp_path / "quick.json"
    shutil.copy(ROOT / "benchmarks" / "results" / "speed-cpu.json", path)
    png = rp.draw_figure(path)
    assert png == tmp_path / "quick.png"
    assert png.stat().st_size > 10_000


def test_misses_are_flagged_with_the_measured_figure():
    """Figures over the contract or a goal are shown in red and listed with their value."""
    plat, res = next(
        (p, r) for p, r in committed_results().items() if "accuracy" in r and "speed" in r
    )
    acc = json.loads(json.dumps(res["accuracy"]))
    case = next(c for c in acc["cases"] if c["name"] == "relu" and not c["params"])
    case["float32"]["flaxact"].update(max=7.25, worst_x=1.5)
    case["bfloat16"]["flaxact"].update(max=3.5, worst_x=-2.0)
    case["grad"]["flaxact"]["nonfinite"] = 4
    page = site_results.accuracy_page({plat: {"accuracy": acc}})
    assert ":flaxact-miss:`7.25 †`" in page
    assert ":flaxact-miss:`3.5`" in page
    assert ":flaxact-miss:`4`" in page
    not_met = page.split("Where the contract is not met yet", 1)[1].split(".. _accuracy-", 1)[0]
    assert "relu 7.25 ULP at x = 1.5" in not_met
    assert "relu 3.5 ULP at x = -2" in not_met
    assert "relu (4)" in not_met
    speed = json.loads(json.dumps(res["speed"]))
    row = next(r for r in speed["cases"] if r["name"] == "sigmoid")
    row["noise_band"] = 0.0
    row["forward"]["ratio_flaxact_to_baseline"] = 1.5
    row["forward"]["ratio_to_reference"]["flaxact"] = 1.32
    row["forward"]["same_program_as_baseline"] = False  # a difference is then no noise
    text = site_results.performance_page({plat: {"speed": speed}})
    assert ":flaxact-miss:`jax.nn 1.50 > 1 (+50 %)`" in text
    row = next(r for r in speed["cases"] if r["name"] == "relu")
    row["noise_band"] = 0.0
    row["forward"]["ratio_to_reference"]["flaxact"] = 1.32
    text = site_results.performance_page({plat: {"speed": speed}})
    assert ":flaxact-miss:`reference 1.32 > 1.1 (+20 %)`" in text
    assert "relu" in rp.piecewise_linear()
    assert "gelu" not in rp.piecewise_linear()


# --------------------------------------------------------------------------- contract table
def _cost_row(name: str, compile_ratio: float, hlo: tuple[int, int], saved: tuple[int, int]):
    """A cost result row as benchmarks/cost.py writes it, with chosen figures."""
    return {
        "id": name,
        "name": name,
        "params": {},
        "baseline": "jax.nn",
        "compile": {
            "median_s": {"flaxact": compile_ratio, "baseline": 1.0},
            "runs": 5,
            "ratio": compile_ratio,
        },
        "hlo_instructions": {"flaxact": hlo[0], "baseline": hlo[1], "ratio": hlo[0] / hlo[1]},
        "residual_bytes": {
            "flaxact": saved[0],
            "baseline": saved[1],
            "ratio": saved[0] / saved[1] if saved[1] else None,
        },
    }


def _with_cost(results: dict, rows: list[dict], source: str | None = None) -> dict:
    """``results`` (copied) with a cost file of ``rows`` on the summary's platform."""
    out = json.loads(json.dumps(results))
    plat = rp.primary_platform(out)
    machine = {
        **next(iter(out[plat].values()))["machine"],
        "flaxact_source": source or rp.current_source(),
    }
    out[plat]["cost"] = {"machine": machine, "cases": rows, "_file": f"cost-{plat}.json"}
    return out


def _contract_row(rows: list[list[str]], name: str) -> list[str]:
    return next(r for r in rows if r[0] == f":func:`{name}`")


def test_performance_page_opens_with_the_contract_table():
    """The page's first content is one table with a row for every registered function
    and a column per figure of the contract; the run-time targets come after it."""
    page = site_results.performance_page(committed_results())
    body = page.split("Performance\n===========\n", 1)[1]
    first_heading = re.search(r"^\S.*\n[-^=]{4,}$", body, flags=re.MULTILINE).start()
    assert body[:first_heading].count(".. list-table::") == 1
    assert "Run-time targets" in body[first_heading:].splitlines()[0]
    header = site_results.contract_header()
    for column in (
        "forward",
        "forward + backward",
        "compile time",
        "program size",
        "saved memory",
        "max float32 ULP",
        "code measured",
    ):
        assert any(column in h for h in header), column
    table = body[:first_heading].split(".. list-table::", 1)[1]
    names = re.findall(r"^   \* - :func:`(\w+)`$", table, flags=re.MULTILINE)
    assert names == flaxact.names(), "not one row per registered function, in name order"
    cells = re.findall(r"^     - ", table, flags=re.MULTILINE)
    assert len(cells) == (len(header) - 1) * (len(names) + 1), "rows of unequal length"
    assert "issue" not in page.lower()


def test_contract_table_flags_misses():
    """A figure over the contract's limit is flagged in its function's row, with the
    worst value; one within the limit is not; one over it by less than the run's noise
    says so."""
    cost = [
        _cost_row("relu", 2.0, (50, 20), (12, 8)),
        _cost_row("sigmoid", 1.2, (30, 20), (8, 8)),
        _cost_row("one_hot", 1.0, (20, 20), (0, 0)),
    ]
    results = _with_cost(committed_results(), cost)
    plat = rp.primary_platform(results)
    res = results[plat]
    first, *others = [r for r in res["speed"]["cases"] if r["id"] == "relu"]
    for row in others:
        for mode, _ in rp.MODES:
            row[mode]["ratio_flaxact_to_baseline"] = 1.0
    first["noise_band"] = 0.05
    for mode, value in (("forward", 1.5), ("forward_backward", 1.12)):
        first[mode]["ratio_flaxact_to_baseline"] = value  # 1.12 is within 1.1 * 1.05
        first[mode]["same_program_as_baseline"] = False
    acc = next(c for c in res["accuracy"]["cases"] if c["id"] == "relu")
    acc["float32"]["flaxact"]["max"], acc["float32"]["jax.nn"]["max"] = 7.0, 0.0
    rows = site_results.contract_rows(results)
    header = site_results.contract_header()
    relu = dict(zip(header, _contract_row(rows, "relu"), strict=True))
    col = {
        key: next(h for h in header if h.startswith(title)) for key, title in rp.CONTRACT_COLUMNS
    }
    assert relu[col["forward"]] == site_results.miss("1.50")
    assert relu[col["forward_backward"]] == "1.12 (noise)"
    assert relu[col["compile"]] == site_results.miss("2.00")
    assert relu[col["program"]] == site_results.miss("2.50")
    assert relu[col["saved"]] == site_results.miss("1.50")
    assert relu[col["ulp"]] == site_results.miss("14.00")  # 7 ULP over half an ULP
    sigmoid = dict(zip(header, _contract_row(rows, "sigmoid"), strict=True))
    for key in ("compile", "program", "saved"):
        assert ":flaxact-miss:" not in sigmoid[col[key]], key
    one_hot = dict(zip(header, _contract_row(rows, "one_hot"), strict=True))
    assert one_hot[col["saved"]] == "none saved"
    assert one_hot[col["forward"]] == "—"  # not timed: integer input
    page = site_results.performance_page(results)
    assert site_results.miss("2.00") in page.split("Compile time, program size and saved memory")[1]


def test_contract_table_labels_rows_measured_on_earlier_code():
    cost = [_cost_row("relu", 1.0, (20, 20), (8, 8))]
    current = _with_cost(committed_results(), cost)
    plat = rp.primary_platform(current)
    for data in current[plat].values():
        data["machine"]["flaxact_source"] = rp.current_source()
    rows = site_results.contract_rows(current)
    assert _contract_row(rows, "relu")[-1] == "current"
    assert _contract_row(rows, "one_hot")[-1] == "—"  # nothing measured
    page = site_results.performance_page(current)
    assert ".. warning::" not in page.split(".. list-table::", 1)[0]
    current[plat]["cost"]["machine"]["flaxact_source"] = "0" * 16
    current[plat]["speed"]["machine"]["flaxact_source"] = "0" * 16
    rows = site_results.contract_rows(current)
    assert _contract_row(rows, "relu")[-1] == "earlier: speed, cost"
    assert _contract_row(rows, "one_hot")[-1] == "—"
    page = site_results.performance_page(current)
    warning = page.split(".. list-table::", 1)[0]
    assert ".. warning::" in warning
    assert f"speed-{plat}.json" in warning
    assert f"accuracy-{plat}.json" not in warning


def test_results_are_labelled_with_the_jax_they_were_measured_with():
    """Every section of the Accuracy and Performance pages, and each API page's rows, name
    the jax their results were measured with (``machine["jax"]``); a section measured with
    another jax than the site is built with says so in a note."""
    results = copy.deepcopy(committed_results())
    built = rp.built_jax()

    def pages(res):
        return site_results.accuracy_page(res) + site_results.performance_page(res)

    for res in results.values():
        for data in res.values():
            data["machine"]["jax"] = built
    text = pages(results)
    assert "not the jax" not in text
    for res in results.values():
        for data in res.values():
            assert f"\n{rp.machine_label(data['machine'])}\n" in text or data is res.get("cost")
            assert rp.machine_label(data["machine"]).endswith(f", jax {built}")
    plat = rp.primary_platform(results)
    for data in results[plat].values():
        data["machine"]["jax"] = "0.0.1"
    text = pages(results)
    note = f"Measured with jax 0.0.1, not the jax {built} this site is built with"
    sections = text.count(note)
    assert sections >= 1 + sum(k in results[plat] for k in rp.KINDS), sections
    name = next(c["name"] for c in results[plat]["accuracy"]["cases"])
    block = "\n".join(site_results.api_block(name, results))
    assert f"{plat.upper()}, jax 0.0.1" in block
    assert rp.measured_jax(results[plat]["accuracy"]["machine"]) == (
        False,
        f"jax 0.0.1, not the jax {built} this site is built with",
    )
