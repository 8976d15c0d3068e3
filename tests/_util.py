"""Helpers shared by the numerical tests: grids, ULP errors and the registry cases."""

from __future__ import annotations

import inspect
import math
from typing import Any

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np

import flaxact

F32 = np.finfo(np.float32)
#: Significand bits (without the implicit one) and smallest normal of each float type.
FORMATS = {
    "float32": (23, float(F32.tiny), float(F32.max)),
    "bfloat16": (
        7,
        float(ml_dtypes.finfo(ml_dtypes.bfloat16).tiny),
        float(ml_dtypes.finfo(ml_dtypes.bfloat16).max),
    ),
    "float16": (10, float(np.finfo(np.float16).tiny), float(np.finfo(np.float16).max)),
}


def float32_grid(dense: int = 400_001, logs: int = 20_000) -> np.ndarray:
    """A dense grid on [-20, 20] plus log-spaced magnitudes up to ±3e38, as float32."""
    lin = np.linspace(-20.0, 20.0, dense)
    mag = np.geomspace(float(F32.tiny), 3e38, logs)
    return np.unique(np.concatenate([lin, mag, -mag, [0.0]]).astype(np.float32))


def all_finite(dtype: Any) -> np.ndarray:
    """Every finite value of a 16-bit float type."""
    bits = np.arange(2**16, dtype=np.uint16).view(jnp.dtype(dtype))
    return bits[np.isfinite(bits.astype(np.float32))]


def normal_inputs(x: np.ndarray) -> np.ndarray:
    """Where ``x`` (of any float type) is zero or a normal float32 number.

    The CPU treats subnormal float32 (and bfloat16) as zero, so the contract is measured
    where the input is normal.
    """
    x32 = np.asarray(x).astype(np.float32)
    return (np.abs(x32) >= F32.tiny) | (x32 == 0)


def ulp_error(y: np.ndarray, ref: np.ndarray, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """Error of ``y`` in units of the last place of ``fmt`` at ``ref``, and where it is measured.

    Measured where ``ref`` is a normal number of that format (not subnormal, not beyond
    the largest finite value).
    """
    bits, tiny, big = FORMATS[fmt]
    ref = np.asarray(ref, np.float64)
    y = np.asarray(y, np.float64)
    mask = np.isfinite(ref) & (np.abs(ref) >= tiny) & (np.abs(ref) <= big)
    _, exp = np.frexp(np.where(mask, ref, 1.0))
    ulp = np.ldexp(1.0, exp - 1 - bits)
    with np.errstate(invalid="ignore"):
        err = np.where(mask, np.abs(y - ref) / ulp, 0.0)
    err = np.where(mask & ~np.isfinite(y), np.inf, err)
    return err, mask


def elementwise_records() -> list[flaxact.Activation]:
    return [r for r in flaxact.records() if r.elementwise]


def param_cases(records: list[flaxact.Activation]) -> list[tuple[str, dict[str, Any]]]:
    """(name, params): defaults first, then each swept parameter value on its own."""
    cases = []
    for rec in records:
        cases.append((rec.name, {}))
        defaults = rec.params
        for key, values in rec.example_params.items():
            cases.extend((rec.name, {key: v}) for v in values if v != defaults.get(key))
    return cases


def case_id(case: tuple[str, dict[str, Any]]) -> str:
    name, params = case
    return name + "".join(f"[{k}={v}]" for k, v in params.items())


def jax_nn_counterpart(rec: flaxact.Activation, params: dict[str, Any]):
    """jax.nn's function for this record and these parameters, or None when it has none."""
    if rec.jax_nn is None or not hasattr(jax.nn, rec.jax_nn):
        return None
    fn = getattr(jax.nn, rec.jax_nn)
    accepted = inspect.signature(fn).parameters
    if any(k not in accepted for k in params):
        return None
    if any(not isinstance(v, (bool, int, float)) for v in params.values()):
        return None
    return fn


def in_domain(name: str, x: np.ndarray) -> np.ndarray:
    from _oracle import DOMAIN

    lo, hi = DOMAIN.get(name, (-math.inf, math.inf))
    return (x > lo) & (x < hi)
