"""What the numerical tests and the benchmarks share: grids, ULP errors, the registry's
cases and what each case is compared with (jax.nn, or the jnp code a user would write)."""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
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


def ulp_error(
    y: np.ndarray, ref: np.ndarray, fmt: str, floor: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Error of ``y`` in units of the last place of ``fmt`` at ``ref``, and where it is measured.

    Measured where ``ref`` is a normal number of that format (not subnormal, not beyond
    the largest finite value). With ``floor`` (a record's ``ulp_floor``), in units of the
    last place at ``max(|ref|, floor)``: an absolute error where ``|ref|`` is smaller.
    """
    bits, tiny, big = FORMATS[fmt]
    ref = np.asarray(ref, np.float64)
    y = np.asarray(y, np.float64)
    # with a floor, results too small to be normal numbers are measured too (absolutely)
    mask = np.isfinite(ref) & ((np.abs(ref) >= tiny) | (floor > 0)) & (np.abs(ref) <= big)
    _, exp = np.frexp(np.where(mask, np.maximum(np.abs(ref), floor), 1.0))
    ulp = np.ldexp(1.0, exp - 1 - bits)
    with np.errstate(invalid="ignore"):
        err = np.where(mask, np.abs(y - ref) / ulp, 0.0)
    err = np.where(mask & ~np.isfinite(y), np.inf, err)
    return err, mask


def elementwise_records() -> list[flaxact.Activation]:
    return [r for r in flaxact.records() if r.elementwise]


def required_args(rec: flaxact.Activation) -> list[str]:
    """Names of the arguments besides ``x`` that have no default (``one_hot``'s
    ``num_classes``)."""
    return [
        p.name
        for p in list(inspect.signature(rec.fn).parameters.values())[1:]
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]


def takes_indices(rec: flaxact.Activation) -> bool:
    """Whether the function needs an argument besides ``x`` that its record gives no
    example value for: such a function (``one_hot``) maps integer indices, and has no
    gradient with respect to them."""
    return bool(set(required_args(rec)) - set(rec.example_args))


def whole_axis_records() -> list[flaxact.Activation]:
    """The differentiable functions of a whole axis (softmax, ..., the gated family)."""
    return [r for r in flaxact.records() if not r.elementwise and not takes_indices(r)]


def call_kwargs(rec: flaxact.Activation) -> dict[str, Any]:
    """Arguments the benchmarks and cost tests pass besides the swept parameters.

    A function of a whole axis acts on the last one (``logsumexp`` defaults to every
    axis) and keeps it (``keepdims``), so that its output broadcasts against its input as
    in a model. Element-wise functions get none.
    """
    if rec.elementwise:
        return {}
    params = rec.params
    out: dict[str, Any] = {}
    if "axis" in params and params["axis"] != -1:
        out["axis"] = -1
    if "keepdims" in params:
        out["keepdims"] = True
    return out


def param_cases(records: list[flaxact.Activation]) -> list[tuple[str, dict[str, Any]]]:
    """(name, params): defaults first, then each swept parameter value on its own; the
    record's ``example_args`` (values for arguments without a default) in every case."""
    cases = []
    for rec in records:
        fixed = dict(rec.example_args)
        cases.append((rec.name, fixed))
        defaults = {**rec.params, **fixed}
        for key, values in rec.example_params.items():
            cases.extend((rec.name, {**fixed, key: v}) for v in values if v != defaults.get(key))
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


def _split(x: jax.Array, axis: int) -> tuple[jax.Array, jax.Array]:
    # flaxact's order (flaxact/_gated.py): the first half is linear, the second is gated
    a, b = jnp.split(x, 2, axis=axis)
    return a, b


def _swish(x, beta=1.0):
    return x * jax.nn.sigmoid(beta * x)


def _gelu_sigmoid(x, approximate="sigmoid"):
    if approximate != "sigmoid":  # jax.nn.gelu has the other forms
        raise ValueError(f"no jnp composition for gelu(approximate={approximate!r})")
    return x * jax.nn.sigmoid(1.702 * x)


def _swiglu(x, axis=-1):
    a, b = _split(x, axis)
    return a * jax.nn.silu(b)


def _geglu(x, axis=-1, approximate=False):
    a, b = _split(x, axis)
    return a * jax.nn.gelu(b, approximate=approximate)


def _reglu(x, axis=-1):
    a, b = _split(x, axis)
    return a * jax.nn.relu(b)


def _clamped_swiglu(x, axis=-1, alpha=1.702, limit=7.0):
    # GPT-OSS's reference code (torch clamp), with flaxact's half order
    a, b = _split(x, axis)
    b = jnp.minimum(b, limit)
    a = jnp.clip(a, -limit, limit)
    return (a + 1) * (b * jax.nn.sigmoid(alpha * b))


def _soft_shrink(x, threshold=0.5):
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0.0))


def _softmin(x, axis=-1, where=None):
    return jax.nn.softmax(-x, axis, where=where)


def _sparsemax(x, axis=-1):
    # Martins & Astudillo's algorithm as written in the paper: sort
    # descending, cumulative sum, the largest k with 1 + k z_(k) > sum_{j<=k} z_(j),
    # tau = (sum_{j<=k} z_(j) - 1) / k; autodiff through the sort
    z = jnp.flip(jnp.sort(x, axis=axis), axis=axis)
    csum = jnp.cumsum(z, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    k = jnp.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
    k_z = jnp.sum(1 + k * z > csum, axis=axis, keepdims=True)
    tau = (jnp.take_along_axis(csum, k_z - 1, axis=axis) - 1) / k_z
    return jnp.maximum(x - tau, 0)


def _xielu(x, alpha_p=0.8, alpha_n=0.8, beta=0.5, eps=-1e-6):
    # transformers' XIELUActivation (its Python path), with the parameters as given
    neg = alpha_n * (jnp.expm1(jnp.minimum(x, eps)) - x) + beta * x
    return jnp.where(x > 0, alpha_p * x * x + beta * x, neg)


def _snake(x, alpha=1.0):
    return x + jnp.sin(alpha * x) ** 2 / alpha


#: What a user would write with jax.nn where it has no function for a case: the baseline
#: such a case is measured against (its description, and the code). Each takes the same
#: parameters as flaxact's function; geglu's ``approximate`` defaults as flaxact's does.
COMPOSITIONS: dict[str, tuple[str, Callable[..., Any]]] = {
    "swish": ("x * jax.nn.sigmoid(beta * x)", _swish),
    "gelu": ("x * jax.nn.sigmoid(1.702 * x)", _gelu_sigmoid),
    "swiglu": ("a * jax.nn.silu(b)", _swiglu),
    "geglu": ("a * jax.nn.gelu(b, approximate)", _geglu),
    "reglu": ("a * jax.nn.relu(b)", _reglu),
    "xielu": (
        "jnp.where(x > 0, ap*x*x + b*x, an*(jnp.expm1(jnp.minimum(x, eps)) - x) + b*x)",
        _xielu,
    ),
    "snake": ("x + jnp.sin(alpha * x) ** 2 / alpha", _snake),
    "softmin": ("jax.nn.softmax(-x, axis, where=where)", _softmin),
    "sparsemax": ("sort, cumsum, k(z), tau, jnp.maximum(x - tau, 0)", _sparsemax),
    "clamped_swiglu": ("(clip(a, -l, l) + 1) * b_c * jax.nn.sigmoid(alpha * b_c)", _clamped_swiglu),
    "squared_relu": ("jnp.square(jax.nn.relu(x))", lambda x: jnp.square(jax.nn.relu(x))),
    "hard_shrink": (
        "jnp.where(jnp.abs(x) > threshold, x, 0)",
        lambda x, threshold=0.5: jnp.where(jnp.abs(x) > threshold, x, 0.0),
    ),
    "soft_shrink": ("jnp.where(x > t, x - t, jnp.where(x < -t, x + t, 0))", _soft_shrink),
    "tanh_shrink": ("x - jnp.tanh(x)", lambda x: x - jnp.tanh(x)),
    "threshold": (
        "jnp.where(x > threshold, x, default_value)",
        lambda x, threshold, default_value: jnp.where(x > threshold, x, default_value),
    ),
}


def baseline(
    rec: flaxact.Activation, params: dict[str, Any]
) -> tuple[str, Callable[..., Any]] | None:
    """What flaxact's function for these parameters is compared with, and its label.

    jax.nn's function where it has one for these parameters (label ``"jax.nn"``), else
    the jnp composition of :data:`COMPOSITIONS` (label ``"jnp: <code>"``), else None.
    """
    fn = jax_nn_counterpart(rec, params)
    if fn is not None:
        return "jax.nn", fn
    if rec.name in COMPOSITIONS:
        code, fn = COMPOSITIONS[rec.name]
        return f"jnp: {code}", fn
    return None


def case_functions(
    name: str, params: dict[str, Any], index_args: dict[str, Any] | None = None
) -> tuple[str, Callable[..., Any], Callable[..., Any]] | None:
    """``(baseline label, flaxact's function, the baseline)`` for one case, as measured.

    Each has the case's parameters and the calling arguments bound: ``call_kwargs``, and
    for a function of indices (``one_hot``) its required arguments, from ``index_args``.
    None when there is nothing to compare with.
    """
    rec = flaxact.get(name)
    base = baseline(rec, params)
    if base is None:
        return None
    label, ref = base
    kwargs = {**params, **call_kwargs(rec)}
    needed = [n for n in required_args(rec) if n not in kwargs]
    missing = [n for n in needed if n not in (index_args or {})]
    if missing:
        raise ValueError(f"{name}: no value given for its required argument(s) {missing}")
    kwargs.update({n: index_args[n] for n in needed})
    return label, functools.partial(rec.fn, **kwargs), functools.partial(ref, **kwargs)


def in_domain(name: str, x: np.ndarray) -> np.ndarray:
    from flaxact_dev.oracle import DOMAIN

    lo, hi = DOMAIN.get(name, (-math.inf, math.inf))
    return (x > lo) & (x < hi)
