"""Input handling shared by every activation: one place for argument checks and dtypes.

Every public function in flaxact funnels its array argument through :func:`float_input`
(or :func:`real_input` where integer output is kept, as jax.nn does for ``relu``), so the
error messages, the complex-input rejection and the half-precision policy are defined once.
"""

from __future__ import annotations

import numbers
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.custom_derivatives import SymbolicZero

__all__ = [
    "check_axis_even",
    "compute_dtype",
    "concrete_scalar",
    "float_input",
    "real_input",
    "real_param",
    "tangent_sum",
    "wide",
]

#: Narrow float types that are computed in float32 and rounded once on output.
_HALF = (jnp.dtype(jnp.bfloat16), jnp.dtype(jnp.float16))


def _as_array(x: Any, name: str, argname: str) -> jax.Array:
    """Convert ``x`` to a JAX array, naming the function and argument on failure."""
    if isinstance(x, jax.Array):
        return x
    try:
        return jnp.asarray(x)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"flaxact.{name}: argument '{argname}' must be array-like "
            f"(an array, a Python number or a nested list of numbers); got {type(x).__name__}"
        ) from err


def real_input(x: Any, name: str, argname: str = "x") -> jax.Array:
    """Return ``x`` as an array, rejecting complex input with a TypeError.

    Integer and bool dtypes are kept; use :func:`float_input` where the function
    promotes them to float.
    """
    arr = _as_array(x, name, argname)
    if jnp.issubdtype(arr.dtype, jnp.complexfloating):
        raise TypeError(
            f"flaxact.{name}: argument '{argname}' has complex dtype {arr.dtype}; "
            f"{name} is defined for real inputs only"
        )
    if not (
        jnp.issubdtype(arr.dtype, jnp.floating)
        or jnp.issubdtype(arr.dtype, jnp.integer)
        or arr.dtype == jnp.bool_
    ):
        raise TypeError(
            f"flaxact.{name}: argument '{argname}' has unsupported dtype {arr.dtype}; "
            "expected a real floating, integer or bool array"
        )
    return arr


def float_input(x: Any, name: str, argname: str = "x") -> jax.Array:
    """Return ``x`` as a real floating array.

    Integer and bool input is promoted to JAX's default float type (float32, or
    float64 when ``jax_enable_x64`` is set), as ``jax.nn`` does.
    """
    arr = real_input(x, name, argname)
    if not jnp.issubdtype(arr.dtype, jnp.floating):
        arr = arr.astype(jnp.result_type(float))
    return arr


def compute_dtype(dtype: Any) -> np.dtype:
    """The dtype arithmetic is carried out in: float32 for bfloat16/float16, else ``dtype``."""
    dtype = jnp.dtype(dtype)
    return jnp.dtype(jnp.float32) if dtype in _HALF else dtype


def wide(x: jax.Array) -> jax.Array:
    """Upcast half-precision ``x`` to float32 (other dtypes unchanged)."""
    return x.astype(compute_dtype(x.dtype))


def concrete_scalar(value: Any, name: str, argname: str) -> float | None:
    """``float(value)`` when ``value`` is a concrete scalar, ``None`` when it is traced.

    Used to validate parameters such as ``celu``'s ``alpha`` whenever the value is
    known at trace time, without breaking ``jit`` over traced parameters.
    """
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, jax.core.Tracer):
        return None
    arr = np.asarray(value) if not isinstance(value, jax.Array) else value
    if getattr(arr, "ndim", 0) != 0:
        return None
    if jnp.issubdtype(arr.dtype, jnp.complexfloating):
        raise TypeError(f"flaxact.{name}: argument '{argname}' must be real; got {arr.dtype}")
    if not (jnp.issubdtype(arr.dtype, jnp.number) or arr.dtype == np.bool_):
        # a string would otherwise pass through float()
        raise TypeError(
            f"flaxact.{name}: argument '{argname}' must be array-like (a number or an array "
            f"of numbers); got {type(value).__name__}"
        )
    return float(arr)


def real_param(value: Any, name: str, argname: str) -> float | None:
    """Check a real parameter: ``float(value)`` when it is a concrete scalar, else ``None``.

    A traced value passes unchecked (so parameters can be learned under ``jit``); a
    concrete array (a per-channel parameter) is checked and returns ``None``. Bool,
    complex and non-numeric values raise TypeError, nan and inf ValueError.
    """
    if isinstance(value, jax.core.Tracer):
        return None
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"flaxact.{name}: argument '{argname}' must be a real number; got bool {value!r}"
        )
    if isinstance(value, numbers.Real):
        arr = np.asarray(float(value))
    else:
        arr = np.asarray(value)
        # (bfloat16's NumPy kind is "V": ask JAX)
        if not (jnp.issubdtype(arr.dtype, jnp.floating) or jnp.issubdtype(arr.dtype, jnp.integer)):
            raise TypeError(
                f"flaxact.{name}: argument '{argname}' must be a real number or array; "
                f"got {type(value).__name__} of dtype {arr.dtype}"
            )
        arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"flaxact.{name}: argument '{argname}' must be finite; got {value!r}")
    return float(arr) if arr.ndim == 0 else None


def check_axis_even(x: jax.Array, axis: int, name: str) -> int:
    """Normalise ``axis`` for ``x`` and require that axis to have even length."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"flaxact.{name}: argument 'axis' must be an int; got {axis!r}")
    if x.ndim == 0:
        raise ValueError(
            f"flaxact.{name}: argument 'x' must have at least one dimension to split; got a scalar"
        )
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"flaxact.{name}: argument 'axis'={axis} is out of range for an array of "
            f"{x.ndim} dimension(s)"
        )
    axis = int(axis) % x.ndim
    size = x.shape[axis]
    if size % 2:
        raise ValueError(
            f"flaxact.{name}: axis {axis} of argument 'x' has odd size {size}; "
            f"{name} splits that axis into two equal halves, so its size must be even"
        )
    return axis


def tangent_sum(like: jax.Array, *terms: tuple[Any, Any]) -> jax.Array:
    """``sum(coef() * t)`` over ``(coef, t)`` pairs, skipping symbolic-zero tangents.

    For ``custom_jvp`` rules registered with ``symbolic_zeros=True``: the coefficient of a
    parameter nobody differentiates (``alpha`` of elu, most of the time) is then never
    computed; with instantiated zeros it is computed and multiplied by 0 on every call.
    """
    out = None
    for coef, t in terms:
        if isinstance(t, SymbolicZero):
            continue
        term = coef() * t
        out = term if out is None else out + term
    return jnp.zeros_like(like) if out is None else out
