"""Checks and computations shared by the Flax linen and NNX modules.

:mod:`flaxact.linen` and :mod:`flaxact.nnx` hold the same modules written for each
Flax API; everything that does not depend on the API (argument checks, the per-channel
parameter layout, the PReLU, xIELU and snake arithmetic) lives here so both behave
identically.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._core import float_input, param_value, wide
from ._exponential import xielu_traced
from ._rectifiers import leaky_relu
from ._smooth import snake_traced, softplus

__all__ = [
    "along_channels",
    "channel_axis",
    "check_activation",
    "check_axis",
    "check_features",
    "check_float_dtype",
    "check_xielu",
    "checked_channels",
    "prelu",
    "prepare_input",
    "snake_from_param",
    "softplus_inverse",
    "xielu_from_params",
]


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
    return leaky_relu(x, along_channels(slope, x.ndim, axis))


def along_channels(param: jax.Array, ndim: int, axis: int | None) -> jax.Array:
    """A per-channel parameter shaped to broadcast along ``axis`` of an ``ndim``-dimensional
    input (unchanged when ``axis`` is None: a scalar parameter)."""
    if axis is None:
        return param
    return jnp.reshape(param, (-1,) + (1,) * (ndim - 1 - axis))


def checked_channels(x: jax.Array, axis: int, num_features: int | None, owner: str) -> int | None:
    """The normalised channel axis of ``x`` for a layer built with ``num_features``
    channels (None when it has one scalar parameter), checking the count matches."""
    if num_features is None:
        return None
    pos = channel_axis(x, axis, owner)
    if x.shape[pos] != num_features:
        raise ValueError(
            f"flaxact.{owner}: argument 'inputs' has {x.shape[pos]} channel(s) along "
            f"axis {axis} (shape {x.shape}); this layer was built with "
            f"num_features={num_features}"
        )
    return pos


def check_xielu(alpha_p_init: Any, alpha_n_init: Any, beta: Any, eps: Any, owner: str) -> None:
    """Require the xIELU fields: finite reals with ``alpha_p_init > 0``,
    ``alpha_n_init > beta`` (each initial value is a softplus of a parameter) and
    ``eps <= 0``."""
    for value, argname in (
        (alpha_p_init, "alpha_p_init"),
        (alpha_n_init, "alpha_n_init"),
        (beta, "beta"),
        (eps, "eps"),
    ):
        param_value(value, owner, argname, scalar=True)
    if isinstance(alpha_p_init, jax.core.Tracer) or isinstance(alpha_n_init, jax.core.Tracer):
        return
    if not float(alpha_p_init) > 0:
        raise ValueError(
            f"flaxact.{owner}: argument 'alpha_p_init' must be > 0 (alpha_p is a softplus); "
            f"got {alpha_p_init}"
        )
    if not isinstance(beta, jax.core.Tracer) and not float(alpha_n_init) > float(beta):
        raise ValueError(
            f"flaxact.{owner}: argument 'alpha_n_init' must be > beta = {beta} (alpha_n is "
            f"beta plus a softplus); got {alpha_n_init}"
        )
    if not isinstance(eps, jax.core.Tracer) and float(eps) > 0:
        raise ValueError(f"flaxact.{owner}: argument 'eps' must be <= 0; got {eps}")


def softplus_inverse(value: float) -> float:
    """The ``a`` with ``softplus(a) = value`` (``value > 0``), as
    ``value + log(-expm1(-value))``, which holds for large values too."""
    value = float(value)
    return value + math.log(-math.expm1(-value))


def xielu_from_params(
    x: jax.Array, a_p: jax.Array, a_n: jax.Array, beta: float, eps: float
) -> jax.Array:
    """xIELU with ``alpha_p = softplus(a_p)`` and ``alpha_n = beta + softplus(a_n)``.

    The parameters are cast to the computation's dtype (float32 for bfloat16/float16
    input, whose result is rounded once).
    """
    xw = wide(x)
    alpha_p = softplus(jnp.asarray(a_p, xw.dtype))
    alpha_n = beta + softplus(jnp.asarray(a_n, xw.dtype))
    return xielu_traced(xw, alpha_p, alpha_n, beta, eps).astype(x.dtype)


def snake_from_param(x: jax.Array, alpha: jax.Array, axis: int | None) -> jax.Array:
    """snake with ``alpha`` laid along ``axis`` when set (normalised), a scalar otherwise;
    computed as :func:`xielu_from_params` is."""
    xw = wide(x)
    alpha = along_channels(jnp.asarray(alpha, xw.dtype), x.ndim, axis)
    return snake_traced(xw, alpha).astype(x.dtype)


#: Type of the gate activation of the gated feed-forward block.
Activation = Callable[[jax.Array], jax.Array]
