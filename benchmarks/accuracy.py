"""Accuracy of every elementwise activation: flaxact vs jax.nn (and PyTorch when installed).

Errors are in units in the last place (ULP) against the float64 oracle of the test suite
(flaxact_dev/oracle.py, itself checked against mpmath), measured where input and output are
normal numbers of the type:

- float32: a dense grid of 2,000,001 points on [-20, 20] plus 200,000 log-spaced
  magnitudes up to ±3e38;
- bfloat16 and float16: every finite value that is zero or normal as float32 (the CPU
  flushes subnormal inputs to zero);
- gradients (float32): relative error where the derivative is normal and not within
  1e-4 of the size of its terms of a zero, and the count of non-finite gradients where
  the derivative is finite (±inf and ±3e38 included).

Writes benchmarks/results/accuracy-<platform>.json. Usage: python benchmarks/accuracy.py
"""

from __future__ import annotations

import argparse
import functools
import time
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import flaxact
from flaxact_dev.bench import case_id, cases, implementations, torch_counterpart, write_result

BINS = np.linspace(-20.0, 20.0, 201)
EXTREMES = [np.inf, -np.inf, 3e38, -3e38, 1.7e38, -1.7e38, 1e19, -1e19]


def _stats(err: np.ndarray, mask: np.ndarray, x: np.ndarray) -> dict[str, Any]:
    e = err[mask]
    if e.size == 0:
        return {"max": None, "p999": None, "worst_x": None, "n": 0}
    i = int(np.argmax(np.where(mask, err, -1.0)))
    return {
        "max": float(e.max()),
        "p999": float(np.quantile(e, 0.999)),
        "worst_x": float(x[i]),
        "n": int(e.size),
    }


def _curve(err: np.ndarray, mask: np.ndarray, x: np.ndarray) -> list[float | None]:
    """Largest error in each of 200 bins over [-20, 20] (None where nothing was measured)."""
    inside = mask & (x >= BINS[0]) & (x <= BINS[-1])
    idx = np.clip(np.digitize(x[inside], BINS) - 1, 0, len(BINS) - 2)
    out = np.full(len(BINS) - 1, -1.0)
    np.maximum.at(out, idx, err[inside])
    return [None if v < 0 else round(float(v), 4) for v in out]


def _run_jax(fn, x: np.ndarray, dtype: Any) -> np.ndarray:
    y = jax.jit(fn)(jnp.asarray(x).astype(dtype))
    return np.asarray(y.astype(jnp.float32), np.float64)


def _run_torch(fn, x: np.ndarray, dtype: Any) -> np.ndarray:
    import torch

    tdt = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[
        jnp.dtype(dtype).name
    ]
    t = torch.from_numpy(np.asarray(x, np.float32)).to(tdt)
    with torch.no_grad():
        return fn(t).to(torch.float32).numpy().astype(np.float64)


def measure_case(name: str, params: dict[str, Any], dense: int, logs: int) -> dict[str, Any]:
    from flaxact_dev.oracle import DERIV, SCALE, VALUE
    from flaxact_dev.testing import all_finite, float32_grid, in_domain, normal_inputs, ulp_error

    rec = flaxact.get(name)
    impls = implementations(name, params)
    torch_fn = torch_counterpart(name, params)
    x = float32_grid(dense, logs)
    x = x[in_domain(name, x)]
    ref = VALUE[name](x.astype(np.float64), **params)
    out: dict[str, Any] = {
        "name": name,
        "params": {k: str(v) for k, v in params.items()},
        "id": case_id(name, params),
        "contract_ulp_f32": rec.ulp_f32,
        "float32": {},
        "bfloat16": {},
        "float16": {},
        "grad": {},
        "curve": {},
    }
    runners = {k: functools.partial(_run_jax, f) for k, f in impls.items()}
    if torch_fn is not None:
        runners["torch"] = functools.partial(_run_torch, torch_fn)
    # the statistics are taken where the record's bound holds (x >= accurate_from, where
    # it sets one: below, the result is flushed to zero as jax.nn's is); "max_all" over
    # every input
    start = rec.accurate_start(params)
    held = np.ones(x.shape, bool) if start is None else x >= start
    out["accurate_from"] = start
    for impl, run in runners.items():
        # in ULP of max(|exact|, ulp_floor) where the record sets a floor, as its test does
        err, mask = ulp_error(run(x, jnp.float32), ref, "float32", rec.ulp_floor)
        out["float32"][impl] = _stats(err, mask & held, x)
        out["float32"][impl]["max_all"] = float(err[mask].max()) if mask.any() else None
        out["curve"][impl] = _curve(err, mask, x)
    for dtype in ("bfloat16", "float16"):
        xh = all_finite(dtype)
        xh = xh[in_domain(name, xh.astype(np.float32)) & normal_inputs(xh)]
        if start is not None:
            xh = xh[xh.astype(np.float32) >= start]
        refh = VALUE[name](xh.astype(np.float64), **params)
        for impl, run in runners.items():
            y = run(xh.astype(np.float32), dtype)
            err, mask = ulp_error(y, refh, dtype)
            out[dtype][impl] = _stats(err, mask, xh.astype(np.float64))
    # gradients
    xg = np.concatenate([x, np.asarray(EXTREMES, np.float32)])
    xg = xg[in_domain(name, xg)]
    x64 = np.where(np.isinf(xg), np.sign(xg) * 1e300, xg.astype(np.float64))
    d = DERIV[name](x64, **params)
    scale = np.abs(d) if name not in SCALE else np.maximum(np.abs(d), SCALE[name](x64, **params))
    kinks = np.array([k.x for k in rec.kinks])
    # a derivative beyond float32's range (2x for x near 3e38) is inf when rounded, rightly
    finite = np.abs(d) <= np.finfo(np.float32).max
    usable = finite & (np.abs(d) >= np.finfo(np.float32).tiny) & (np.abs(d) >= 1e-4 * scale)
    usable &= ~np.isin(xg.astype(np.float64), kinks)
    for impl, fn in impls.items():
        g = np.asarray(jax.jit(jax.vmap(jax.grad(fn)))(jnp.asarray(xg)), np.float64)
        rel = np.where(usable, np.abs(g - d) / np.where(usable, np.abs(d), 1.0), 0.0)
        st = _stats(rel, usable, xg)
        st["nonfinite"] = int((finite & ~np.isfinite(g)).sum())
        out["grad"][impl] = st
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense", type=int, default=2_000_001)
    parser.add_argument("--logs", type=int, default=200_000)
    parser.add_argument("--only", nargs="*", help="case names to measure (default: all)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = []
    for name, params in cases(args.only):
        row = measure_case(name, params, args.dense, args.logs)
        rows.append(row)
        f32 = row["float32"]
        print(
            f"{row['id']:32s} "
            + "  ".join(f"{k}: {v['max']:.3g} ULP" for k, v in f32.items() if v["max"] is not None),
            flush=True,
        )
    return write_result(
        "accuracy",
        start,
        rows,
        args.out,
        bins=BINS.tolist(),
        grid={"dense": args.dense, "logs": args.logs},
    )


if __name__ == "__main__":
    raise SystemExit(main())
