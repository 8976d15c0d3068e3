"""What the benchmarks share: the cases under test, the implementations compared, machine facts.

The cases, grids and float64 oracle are those of the test suite (:mod:`flaxact_dev.testing`,
:mod:`flaxact_dev.oracle`), so a benchmark measures against exactly what the tests assert.
"""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import os
import platform
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax

import flaxact
from flaxact_dev.source import digest as source_digest

ROOT = Path(__file__).resolve().parents[1]


def cases(only: list[str] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Every elementwise activation at its defaults, then each swept parameter value
    (only the functions named in ``only``, when given: a benchmark's ``--only``)."""
    from flaxact_dev.testing import elementwise_records, param_cases

    return [c for c in param_cases(elementwise_records()) if not only or c[0] in only]


def whole_axis_cases(only: list[str] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Every differentiable function of a whole axis (softmax, ..., the gated family) at its
    defaults, then each swept parameter value (only those named in ``only``, when given)."""
    from flaxact_dev.testing import param_cases, whole_axis_records

    return [c for c in param_cases(whole_axis_records()) if not only or c[0] in only]


def case_id(name: str, params: dict[str, Any]) -> str:
    from flaxact_dev.testing import case_id as _case_id

    return _case_id((name, params))


def implementations(name: str, params: dict[str, Any]) -> dict[str, Callable[..., Any]]:
    """``{"flaxact": f, "jax.nn": g}`` for one case (jax.nn only where it has the function)."""
    from flaxact_dev.testing import jax_nn_counterpart

    rec = flaxact.get(name)
    out = {"flaxact": functools.partial(rec.fn, **params)}
    ref = jax_nn_counterpart(rec, params)
    if ref is not None:
        out["jax.nn"] = functools.partial(ref, **params)
    return out


def compared(name: str, params: dict[str, Any]) -> tuple[str | None, dict[str, Callable[..., Any]]]:
    """What the speed benchmark times for one case: ``(baseline label, {"flaxact": f,
    "baseline": g})``, the calling arguments bound (``flaxact_dev/testing.py``, ``case_functions``).

    The baseline is jax.nn's function (label ``"jax.nn"``) or, for an extra jax.nn lacks,
    the jnp code a user would write (``"jnp: <code>"``); without one, only flaxact's.
    """
    from flaxact_dev.testing import call_kwargs, case_functions

    fns = case_functions(name, params)
    if fns is None:
        rec = flaxact.get(name)
        return None, {"flaxact": functools.partial(rec.fn, **params, **call_kwargs(rec))}
    label, ours, theirs = fns
    return label, {"flaxact": ours, "baseline": theirs}


def torch_counterpart(name: str, params: dict[str, Any]) -> Callable[..., Any] | None:
    """PyTorch's CPU function for a case, or None (also when torch is not installed)."""
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None
    table: dict[str, Callable[..., Any]] = {
        "relu": F.relu,
        "relu6": F.relu6,
        "hard_tanh": F.hardtanh,
        "hard_sigmoid": F.hardsigmoid,
        "hard_silu": F.hardswish,
        "elu": F.elu,
        "celu": F.celu,
        "selu": F.selu,
        "sigmoid": torch.sigmoid,
        "log_sigmoid": F.logsigmoid,
        "tanh": torch.tanh,
        "soft_sign": F.softsign,
        "softplus": F.softplus,
        "silu": F.silu,
        "mish": F.mish,
        "leaky_relu": F.leaky_relu,
        "identity": lambda t: t,
    }
    if name == "gelu":
        form = params.get("approximate", True)
        if form in (True, "tanh"):
            return functools.partial(F.gelu, approximate="tanh")
        if form in (False, "none", "erf"):
            return functools.partial(F.gelu, approximate="none")
        return None
    fn = table.get(name)
    if fn is None:
        return None
    if not params:
        return fn
    try:
        accepted = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # a builtin without a signature takes no parameters
        return None
    mapped = {"alpha": "alpha", "negative_slope": "negative_slope"}
    kwargs = {}
    for key, value in params.items():
        if mapped.get(key) not in accepted:
            return None
        kwargs[mapped[key]] = value
    return functools.partial(fn, **kwargs)


def machine() -> dict[str, Any]:
    """Facts that identify where and when a result was measured."""
    dev = jax.devices()[0]
    info = {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d"),
        "platform": dev.platform,
        "device": getattr(dev, "device_kind", str(dev)),
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "jax": jax.__version__,
        "jaxlib": getattr(jax.lib, "__version__", None) or _jaxlib_version(),
        "flaxact": flaxact.__version__,
        # which library code was measured (flaxact_dev/source.py): the pages compare it
        # with the code they document and say when the results are older
        "flaxact_source": source_digest(),
        "numpy": __import__("numpy").__version__,
    }
    if hasattr(os, "getloadavg"):  # other work on the machine shows in timings: record it
        info["load_average_1m_5m_15m"] = [round(v, 2) for v in os.getloadavg()]
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        info["torch"] = None
    return info


def write_result(
    kind: str, start: float, rows: list[dict[str, Any]], out: Path | None, **fields: Any
) -> int:
    """Write a benchmark's result file (``--out``, or ``benchmarks/results/<kind>-<platform>.json``)
    and, for accuracy and speed, its figure beside it (:func:`flaxact_dev.report.draw_figure`).

    ``fields`` go between the machine facts and the run time; returns the exit status.
    """
    import json
    import time

    info = machine()
    result = {
        "kind": kind,
        "machine": info,
        **fields,
        "seconds": round(time.perf_counter() - start, 1),
        "cases": rows,
    }
    path = out or ROOT / "benchmarks" / "results" / f"{kind}-{info['platform']}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {path}")
    if kind in ("accuracy", "speed"):
        from flaxact_dev.report import draw_figure

        print(f"drew {draw_figure(path)}")
    return 0


def _jaxlib_version() -> str | None:
    try:
        import jaxlib

        return jaxlib.__version__
    except (ImportError, AttributeError):
        return None


def canonical_program(fn, x: jax.Array, *args: jax.Array) -> str:
    """``fn``'s optimized XLA program for ``x`` (and ``args``) with names, source locations
    and metadata removed: two functions with equal texts compile to the same kernels."""
    text = jax.jit(fn).lower(x, *args).compile().as_text()
    text = re.sub(r", metadata=\{[^}]*\}", "", text)
    lines = [ln for ln in text.splitlines() if re.match(r"(ENTRY |%|\s+%|\s+ROOT |})", ln)]
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        return names.setdefault(m.group(0), f"%v{len(names)}")

    return re.sub(r"%[\w.\-]+", rename, "\n".join(lines))
