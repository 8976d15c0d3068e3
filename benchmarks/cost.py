"""Cost of every registered function beyond run time: compile time, program size, saved memory.

Each case (every registered function at its defaults, then each swept parameter value)
is compared with its baseline: jax.nn's function, or for an extra jax.nn lacks the jnp
code a user would write instead (``flaxact_dev/testing.py``, ``COMPOSITIONS``).

- **compile time**: trace + XLA compile of ``jax.jit(jax.grad(loss))`` for a deep model
  using the function: a ``--depth``-layer MLP of width ``--width`` (batch 32, float32),
  ``h = f(h @ W_i)`` in each layer. Where the function changes the width (the gated
  family halves the last axis) the layer's matrix is widened so that the output has
  width ``--width`` again; where it keeps one element (``logsumexp`` with
  ``keepdims=True``) its output is added to ``h``; a function of indices (``one_hot``)
  adds ``f(labels + i)`` to ``tanh(h @ W_i)``. Every compile starts from
  ``jax.clear_caches()`` and a fresh ``jax.jit``; the two implementations alternate
  (flaxact first in even rounds, the baseline first in odd ones) after one untimed
  round each; medians of ``--repeats`` rounds, and the ratio is the median of the
  per-round ratios (a slow spell spanning a round cancels out of it).
- **kernels**: the entry computation's instructions that do work (fusions, custom calls,
  unfused ops) in the same program: one launch each on a GPU, where XLA's special
  fusion of jax.nn's softmax pattern is lost by a rewritten form.
- **program size** and **saved memory**: ``flaxact_dev/cost.py`` (the functions
  ``tests/library/test_cost.py`` asserts with): HLO instructions of the optimized
  value-and-gradient program on a float32 array of ``flaxact_dev/cost.py``'s ``SHAPE``
  (every instruction line of every computation in ``compiled.as_text()``, fusion bodies
  included), and bytes of the residuals ``saved_residuals`` lists (``size * itemsize``
  summed over every entry).

The cost contract: compile time ≤ 1.5x the baseline's, program size ≤ 2x, saved
memory ≤ 1x. Writes benchmarks/results/cost-<platform>.json (with the run's time).
Usage: python benchmarks/cost.py [--only NAME ...] [--defaults-only] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp

import flaxact
from flaxact_dev.bench import case_id, write_result
from flaxact_dev.cost import INDEX_ARGS, SHAPE, case_functions, measure
from flaxact_dev.testing import param_cases, takes_indices

BATCH = 32


def deep_model(
    fn: Callable[..., Any], indices: bool, depth: int, width: int
) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """``(loss, abstract arguments)`` of the MLP described in the module text."""
    f32 = jnp.float32
    x = jax.ShapeDtypeStruct((BATCH, width), f32)
    if indices:

        def loss(ws, x, labels):
            h = x
            for i, w in enumerate(ws):
                h = jnp.tanh(h @ w) + fn((labels + i) % width)
            return jnp.sum(h * h)

        ws = [jax.ShapeDtypeStruct((width, width), f32)] * depth
        return loss, (ws, x, jax.ShapeDtypeStruct((BATCH,), jnp.int32))

    out = jax.eval_shape(fn, x).shape[-1]
    # the layer's matrix is widened so that fn's output has the model's width again
    inner = width * width // out if out not in (1, width) and width % out == 0 else width

    def loss(ws, x):
        h = x
        for w in ws:
            y = fn(h @ w)
            h = y if y.shape == h.shape else h + y  # logsumexp keeps one element a row
        return jnp.sum(h * h)

    ws = [jax.ShapeDtypeStruct((width, inner), f32)] * depth
    return loss, (ws, x)


def compile_seconds(loss: Callable[..., Any], args: tuple[Any, ...]) -> tuple[float, float]:
    """Seconds to trace and lower, then to compile, ``jax.jit(jax.grad(loss))`` afresh."""
    jax.clear_caches()  # no tracing, lowering or compilation cache carries over
    start = time.perf_counter()
    lowered = jax.jit(jax.grad(loss)).lower(*args)
    traced = time.perf_counter()
    lowered.compile()
    return traced - start, time.perf_counter() - traced


def time_compiles(
    name: str, params: dict[str, Any], repeats: int, depth: int, width: int
) -> dict[str, Any]:
    """Interleaved compile times of the deep model, flaxact's function and the baseline."""
    indices = takes_indices(flaxact.get(name))
    # a function of indices gets as many classes as the model is wide
    _, ours, theirs = case_functions(name, params, {n: width for n in INDEX_ARGS})
    fns = {"flaxact": ours, "baseline": theirs}
    models = {k: deep_model(f, indices, depth, width) for k, f in fns.items()}
    order = list(models)
    for k in order:  # one untimed round: imports and first-use work of each
        compile_seconds(*models[k])
    trace: dict[str, list[float]] = {k: [] for k in order}
    total: dict[str, list[float]] = {k: [] for k in order}
    for r in range(repeats):
        for k in order if r % 2 == 0 else order[::-1]:
            t, c = compile_seconds(*models[k])
            trace[k].append(t)
            total[k].append(t + c)
    return {
        "median_s": {k: statistics.median(v) for k, v in total.items()},
        "trace_median_s": {k: statistics.median(v) for k, v in trace.items()},
        "runs": repeats,
        "ratio": statistics.median(
            a / b for a, b in zip(total["flaxact"], total["baseline"], strict=True)
        ),
    }


def measure_case(
    name: str, params: dict[str, Any], repeats: int, depth: int, width: int
) -> dict[str, Any] | None:
    """One result row: compile time, program size and saved bytes against the baseline
    (None when the case has nothing to compare with)."""
    sizes = measure(name, params)
    if sizes is None:
        return None
    return {
        "id": case_id(name, params),
        "name": name,
        "params": params,
        "baseline": sizes["baseline"],
        "compile": time_compiles(name, params, repeats, depth, width),
        "hlo_instructions": sizes["hlo_instructions"],
        "kernels": sizes["kernels"],
        "residual_bytes": sizes["residual_bytes"],
    }


def all_cases(only: list[str] | None) -> list[tuple[str, dict[str, Any]]]:
    """Every registered function at its defaults, then each swept parameter value."""
    return [c for c in param_cases(flaxact.records()) if not only or c[0] in only]


def _fmt(v: float | None) -> str:
    return "   n/a" if v is None else f"{v:5.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="function names to measure (default: all)")
    parser.add_argument("--defaults-only", action="store_true", help="skip swept parameter values")
    parser.add_argument("--repeats", type=int, default=5, help="timed compiles of each (≥ 5)")
    parser.add_argument("--depth", type=int, default=24, help="layers of the model")
    parser.add_argument("--width", type=int, default=64, help="width of the model")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.repeats < 5:
        parser.error("--repeats must be at least 5")
    start = time.perf_counter()
    rows = []
    for name, params in all_cases(args.only):
        if args.defaults_only and params:
            continue
        row = measure_case(name, params, args.repeats, args.depth, args.width)
        if row is None:
            print(f"{case_id(name, params):28s} no baseline: skipped", flush=True)
            continue
        rows.append(row)
        c, h, r = row["compile"], row["hlo_instructions"], row["residual_bytes"]
        print(
            f"{row['id']:28s} compile {c['median_s']['flaxact'] * 1e3:7.1f} ms"
            f" {_fmt(c['ratio'])} | HLO {h['flaxact']:5d} {_fmt(h['ratio'])} |"
            f" saved {r['flaxact'] / 2**20:7.2f} MiB {_fmt(r['ratio'])}",
            flush=True,
        )
    method = (
        f"compile: trace + compile of jax.jit(jax.grad(loss)) for a {args.depth}-layer MLP of"
        f" width {args.width}, jax.clear_caches() before each, implementations alternating,"
        f" medians of {args.repeats}, ratio the median of per-round ratios; program size:"
        " every instruction line of every computation in the optimized HLO text of"
        " jax.jit(jax.value_and_grad(lambda x: jnp.sum(f(x)))), fusion bodies included;"
        " saved memory: sum of size * itemsize over jax's saved_residuals"
    )
    return write_result(
        "cost",
        start,
        rows,
        args.out,
        repeats=args.repeats,
        depth=args.depth,
        width=args.width,
        batch=BATCH,
        shape=list(SHAPE),
        method=method,
    )


if __name__ == "__main__":
    raise SystemExit(main())
