"""Checks and computations shared by the Flax linen and NNX modules.

:mod:`flaxact.linen` and :mod:`flaxact.nnx` hold the same three modules written for
each Flax API; everything that does not depend on the API (argument checks, the
per-channel slope layout, the PReLU arithmetic) lives here so both behave identically.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._core import float_input
from ._rectifiers import leaky_relu

__all__ = [
    "channel_axis",
    "check_activation",
    "check_axis",
    "check_features",
    "check_float_dtype",
    "check_slope",
    "prelu",
    "prepare_input",
]


def check_slope(value: Any, owner: str, argname: str) -> None:
    """Require a finite real scalar (a Python number or a 0-d real array; not bool).

    A traced value (the module built inside ``jit``) cannot be inspected and is let
    through.
    """
    if isinstance(value, jax.core.Tracer):
        return
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"flaxact.{owner}: argument '{argname}' must be a real number; got bool {value!r}"
        )
    if isinstance(value, numbers.Real):
        scalar = float(value)
    else:
        arr = value if isinstance(value, jax.Array) else np.asarray(value)
        if arr.ndim != 0 or not (
            jnp.issubdtype(arr.dtype, jnp.floating) or jnp.issubdtype(arr.dtype, jnp.integer)
        ):
            raise TypeError(
                f"flaxact.{owner}: argument '{argname}' must be a real number; "
                f"got {type(value).__name__} {value!r}"
            )
        scalar = float(arr)
    if not math.isfinite(scalar):
        raise ValueError(f"flaxact.{owner}: argument '{argname}' must be finite; got {scalar}")


def check_axis(axis: Any, owner: str, *, optional: bool = True) -> None:
    """Require an int (or ``None`` when ``optional``)."""
    if axis is None and optional:
        return
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, (bool, np.bool_)):
        allowed = "an int or None" if optional else "an int"
        raise TypeError(f"flaxact.{owner}: argument 'axis' must be {allowed}; got {axis!r}")


def check_features(value: Any, owner: str, argname: str, *, optional: bool = False) -> None:
    """Require a positive int (or ``None`` when ``optional``)."""
    if value is None and optional:
        return
    if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"flaxact.{owner}: argument '{argname}' must be a positive int; got {value!r}"
        )
    if value <= 0:
        raise ValueError(
            f"flaxact.{owner}: argument '{argname}' must be a positive int; got {value}"
        )


def check_float_dtype(dtype: Any, owner: str, argname: str, *, optional: bool = False) -> None:
    """Require a real floating dtype (or ``None`` when ``optional``)."""
    if dtype is None and optional:
        return
    try:
        dt = jnp.dtype(dtype)
    except TypeError as err:
        raise TypeError(
            f"flaxact.{owner}: argument '{argname}' must be a floating dtype; got {dtype!r}"
        ) from err
    if not jnp.issubdtype(dt, jnp.floating):
        raise TypeError(
            f"flaxact.{owner}: argument '{argname}' must be a floating dtype such as "
            f"float32 or bfloat16; got {dt}"
        )


def check_activation(fn: Any, owner: str) -> None:
    """Require a callable gate activation."""
    if not callable(fn):
        raise TypeError(
            f"flaxact.{owner}: argument 'activation' must be callable (for example "
            f"flaxact.silu); got {type(fn).__name__} {fn!r}"
        )


def prepare_input(x: Any, dtype: Any, owner: str) -> jax.Array:
    """Input as a float array (int/bool promoted, complex rejected), cast to ``dtype`` if set."""
    x = float_input(x, owner, "inputs")
    return x if dtype is None else x.astype(dtype)


def channel_axis(x: jax.Array, axis: int, owner: str) -> int:
    """Normalise ``axis`` for ``x`` (negative values count from the end)."""
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"flaxact.{owner}: argument 'axis'={axis} is out of range for an input of "
            f"{x.ndim} dimension(s) (shape {x.shape})"
        )
    return int(axis) % x.ndim


def prelu(x: jax.Array, slope: jax.Array, axis: int | None) -> jax.Array:
    """``x`` where ``x >= 0``, else ``slope * x``; ``slope`` laid along ``axis`` when set.

    ``x`` is a float array and ``axis`` already normalised. The slope is cast to
    ``x``'s dtype, or to float32 for bfloat16/float16 input, whose product is then
    rounded once to the input's dtype (see :func:`flaxact.leaky_relu`).
    """
    if axis is not None:
        slope = jnp.reshape(slope, (-1,) + (1,) * (x.ndim - 1 - axis))
    return leaky_relu(x, slope)


#: Type of the gate activation of the gated feed-forward block.
Activation = Callable[[jax.Array], jax.Array]
