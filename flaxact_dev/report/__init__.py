"""What the committed benchmark results say: loading, noise bands, goals, findings, and
the figures the benchmarks draw when they write their JSON.

``benchmarks/{accuracy,speed,cost,exhaustive}.py`` write
``benchmarks/results/<kind>-<platform>.json``; ``accuracy.py`` and ``speed.py`` then call
:func:`draw_figure`, which puts ``<kind>-<platform>.png`` beside the JSON. Every pass/fail
judgement over those files (the contract's limits, the run-time targets, the noise band
of each run, which functions are piecewise linear) is made here; the site generator
only renders what this module returns, and the tests assert the same
judgements. Nothing here needs Sphinx.

``python -m flaxact_dev.report`` redraws the figures whose results changed (each PNG
records the digest of what it was drawn from; :func:`stale_figures` compares).

One module per job: :mod:`.contract` (the limits), :mod:`.results` (loading),
:mod:`.judge` (judgements), :mod:`.programs` (program analysis), :mod:`.figures`. Their
public names are available here too.
"""

from __future__ import annotations

from flaxact_dev.report.contract import (
    CONTRACT,
    CONTRACT_ULP,
    DTYPES,
    F32_TINY,
    GRAD_NOTE,
    IMPL_LABELS,
    JAX_NN_GOAL,
    MODES,
    NOISE_FLOOR,
    PIECEWISE_LINEAR_GOAL,
    REFERENCE_ARRAYS,
    REFERENCE_GOALS,
)
from flaxact_dev.report.figures import (
    FIGURE_KEY,
    accuracy_figure,
    draw_figure,
    speed_figure,
    stale_figures,
)
from flaxact_dev.report.judge import (
    CONTRACT_COLUMNS,
    accuracy_findings,
    baseline_word,
    baselines,
    contract_cells,
    dispatch_bound,
    goal_checks,
    goals,
    impls,
    missed_names,
    never_worse_than_jax_nn,
    over,
    primary_platform,
    shapes,
    subnormal_input,
    tested_bound,
    within,
)
from flaxact_dev.report.programs import piecewise_linear
from flaxact_dev.report.results import (
    KINDS,
    NOISE_QUANTILE,
    RESULTS,
    ROOT,
    at_defaults,
    built_jax,
    current_source,
    is_num,
    load_results,
    machine_label,
    measured_code,
    measured_jax,
    measured_on_current_code,
    missing_accuracy_cases,
    result_files,
    shape_of,
    upgrade_speed,
)

__all__ = [
    "CONTRACT",
    "CONTRACT_COLUMNS",
    "CONTRACT_ULP",
    "DTYPES",
    "F32_TINY",
    "FIGURE_KEY",
    "GRAD_NOTE",
    "IMPL_LABELS",
    "JAX_NN_GOAL",
    "KINDS",
    "MODES",
    "NOISE_FLOOR",
    "NOISE_QUANTILE",
    "PIECEWISE_LINEAR_GOAL",
    "REFERENCE_ARRAYS",
    "REFERENCE_GOALS",
    "RESULTS",
    "ROOT",
    "accuracy_figure",
    "accuracy_findings",
    "at_defaults",
    "baseline_word",
    "baselines",
    "built_jax",
    "contract_cells",
    "current_source",
    "dispatch_bound",
    "draw_figure",
    "goal_checks",
    "goals",
    "impls",
    "is_num",
    "load_results",
    "machine_label",
    "measured_code",
    "measured_jax",
    "measured_on_current_code",
    "missed_names",
    "missing_accuracy_cases",
    "never_worse_than_jax_nn",
    "over",
    "piecewise_linear",
    "primary_platform",
    "result_files",
    "shape_of",
    "shapes",
    "speed_figure",
    "stale_figures",
    "subnormal_input",
    "tested_bound",
    "upgrade_speed",
    "within",
]
