"""Largest float32 error of every elementwise activation over every input of a range of binades.

The accuracy benchmark samples [-20, 20] on a grid; a worst case that falls between two
grid points escapes it, and so would escape a bound checked only there. This script
evaluates *every* float32 ``x`` with ``2**lo <= |x| < 2**hi`` (default 1/16 to 128, both
signs: where the activations bend, and their exponential tails down to where the result
stops being a normal number; 2 x 11 x 2**23 = 185 million inputs per case) against the
float64 oracle of the test suite, flaxact and jax.nn, counting where the exact result is
a normal float32.

Writes benchmarks/results/exhaustive-<platform>.json, which the Accuracy page renders and
``tests/results/test_results_policy.py`` holds each function's tested bound (its docstring's figure) and
the claim "never less accurate than jax.nn" to. Where a record sets ``accurate_from``
(below it the result is flushed to zero as jax.nn's is), "max" is taken above it and
"max_all" over every input.
Usage: python benchmarks/exhaustive.py  [--lo -4 --hi 7] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import jax
import numpy as np

import flaxact
from flaxact_dev.bench import case_id, cases, implementations, write_result

MANTISSAS = np.arange(2**23, dtype=np.uint32)


def binade(exponent: int, negative: bool) -> np.ndarray:
    """Every float32 in [2**exponent, 2**(exponent + 1)), negated when ``negative``."""
    bits = (np.uint32(negative) << np.uint32(31)) | (np.uint32(exponent + 127) << np.uint32(23))
    return (bits | MANTISSAS).view(np.float32)


def sweep_case(name: str, params: dict[str, Any], lo: int, hi: int) -> dict[str, Any]:
    """``{"flaxact": {"max", "worst_x", "n"}, "jax.nn": {...}}`` over the binades (jax.nn
    where it has the function); the oracle is evaluated once per binade for both."""
    from flaxact_dev.oracle import VALUE
    from flaxact_dev.testing import in_domain, ulp_error

    fns = {impl: jax.jit(f) for impl, f in implementations(name, params).items()}
    # "max" where the record's bound holds (x >= accurate_from, where it sets one), for
    # every implementation alike; "max_all" over every swept input
    start = flaxact.get(name).accurate_start(params)
    floor = flaxact.get(name).ulp_floor  # as the float32 test measures it
    stats = {
        impl: {"max": 0.0, "worst_x": None, "n": 0, "max_all": 0.0, "worst_x_all": None}
        for impl in fns
    }
    for exponent in range(lo, hi):
        for negative in (False, True):
            x = binade(exponent, negative)
            x = x[in_domain(name, x)]
            if not x.size:
                continue
            ref = VALUE[name](x.astype(np.float64), **params)
            held = np.ones(x.shape, bool) if start is None else x >= start
            for impl, fn in fns.items():
                err, mask = ulp_error(np.asarray(fn(x), np.float64), ref, "float32", floor)
                st = stats[impl]
                st["n"] += int((mask & held).sum())
                for key, where in (("", mask & held), ("_all", mask)):
                    i = int(np.argmax(np.where(where, err, -1.0)))
                    if where[i] and err[i] > st["max" + key]:
                        st["max" + key], st["worst_x" + key] = float(err[i]), float(x[i])
    # the bound each case is held to is read from the registry when checked, not stored
    return {
        "name": name,
        "params": {k: str(v) for k, v in params.items()},
        "id": case_id(name, params),
        "accurate_from": start,
        **stats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lo", type=int, default=-4, help="smallest binade: |x| >= 2**lo")
    parser.add_argument("--hi", type=int, default=7, help="|x| < 2**hi")
    parser.add_argument("--only", nargs="*", help="case names to sweep (default: all)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if not -126 <= args.lo < args.hi <= 128:
        parser.error("need -126 <= --lo < --hi <= 128")
    start = time.perf_counter()
    rows = []
    for name, params in cases(args.only):
        row = sweep_case(name, params, args.lo, args.hi)
        rows.append(row)
        ours, theirs = row["flaxact"], row.get("jax.nn")
        bound = flaxact.get(name).ulp_bound(params)
        flag = "  ABOVE THE TESTED BOUND" if ours["max"] > bound else ""
        print(
            f"{row['id']:32s} {ours['max']:.3f} ULP at x={ours['worst_x']!r}"
            f" (bound {bound:g}){flag}" + (f"; jax.nn {theirs['max']:.4g}" if theirs else ""),
            flush=True,
        )
    return write_result("exhaustive", start, rows, args.out, binades=[args.lo, args.hi])


if __name__ == "__main__":
    raise SystemExit(main())
