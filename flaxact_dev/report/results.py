"""The committed benchmark results: finding and loading ``benchmarks/results/*.json``,
bringing older files to today's form, each speed run's noise band, and what a file was
measured with (machine, jax, the library's source digest).
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

from flaxact_dev.report.contract import MODES
from flaxact_dev.source import digest as _source_digest

ROOT = Path(__file__).resolve().parents[2]


RESULTS = ROOT / "benchmarks" / "results"


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


def is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


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
