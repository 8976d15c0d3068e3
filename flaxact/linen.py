"""Flax linen modules: PReLU, LeakyReLU, the gated feed-forward block (GLU family), XIELU
and Snake.

``flaxact.PReLU`` is a drop-in for :class:`flax.linen.PReLU` (same fields, same
parameter name and shape), with an optional per-channel slope and without Flax's
wrong result on integer input. The same modules for Flax NNX are in
:mod:`flaxact.nnx`, with the same parameters, checks, computation and docstrings.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp
from flax.typing import Dtype, Initializer

from . import _modules
from ._modules import Activation, channel_axis, prepare_input
from ._smooth import silu

__all__ = ["XIELU", "GatedFeedForward", "LeakyReLU", "PReLU", "Snake"]


class _Module(nn.Module):
    """Base of the modules: each subclass sets ``_family`` (a ``flaxact._modules.Family``),
    which gives it its docstring and checks its fields."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)  # makes cls a dataclass
        if "_family" in vars(cls):
            cls.__doc__ = cls._family.docstring("linen", inspect.signature(cls))

    def __post_init__(self) -> None:
        self._family.check_arguments(self._owner(), self._arguments())
        super().__post_init__()

    @nn.nowrap
    def _owner(self) -> str:
        return f"linen.{self._family.name}"

    @nn.nowrap
    def _arguments(self) -> dict[str, Any]:
        fields = dataclasses.fields(self)
        return {f.name: getattr(self, f.name) for f in fields if f.name not in ("parent", "name")}


class _Parametric(_Module):
    """Base of the modules whose parameters the family lists, created at the first call:
    one value per channel along ``axis`` of that input, or one in all."""

    @nn.compact
    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the module to ``inputs``, of any shape (with per-channel parameters, at least
        one dimension: the channels along ``axis``)."""
        x = prepare_input(inputs, self.dtype, self._owner())
        axis = None
        if self._family.per_channel and self.axis is not None:
            axis = channel_axis(x, self.axis, self._owner())
        shape = () if axis is None else (x.shape[axis],)
        args = self._arguments()
        params = {
            name: self.param(name, lambda _key, n=name: self._family.initial(n, args, shape))
            for name in self._family.params
        }
        return self._family.compute(self, x, axis, **params)


class PReLU(_Parametric):
    _family = _modules.PRELU

    param_dtype: Dtype = jnp.float32
    negative_slope_init: float = 0.01
    axis: int | None = None
    dtype: Dtype | None = None


class LeakyReLU(_Module):
    _family = _modules.LEAKY_RELU

    negative_slope: float = 0.01

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the leaky ReLU to ``inputs``."""
        return self._family.compute(self, prepare_input(inputs, None, self._owner()))


class GatedFeedForward(_Module):
    _family = _modules.GATED_FEED_FORWARD

    hidden_features: int
    out_features: int | None = None
    activation: Activation = silu
    use_bias: bool = False
    dtype: Dtype | None = None
    param_dtype: Dtype = jnp.float32
    kernel_init: Initializer = nn.initializers.lecun_normal()
    bias_init: Initializer = nn.initializers.zeros_init()

    @nn.compact
    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the block to ``inputs`` of shape ``(..., in_features)``."""
        x = prepare_input(inputs, self.dtype, self._owner())
        if x.ndim == 0:
            raise ValueError(
                "flaxact.linen.GatedFeedForward: argument 'inputs' must have a feature "
                "axis (the last); got a scalar"
            )
        dense = functools.partial(
            nn.Dense,
            use_bias=self.use_bias,
            dtype=x.dtype,
            param_dtype=self.param_dtype,
            kernel_init=self.kernel_init,
            bias_init=self.bias_init,
        )
        out_features = x.shape[-1] if self.out_features is None else self.out_features
        return self._family.compute(
            self,
            x,
            W=dense(self.hidden_features, name="W"),
            V=dense(self.hidden_features, name="V"),
            W2=dense(out_features, name="W2"),
        )


class XIELU(_Parametric):
    _family = _modules.XIELU

    alpha_p_init: float = 0.8
    alpha_n_init: float = 0.8
    beta: float = 0.5
    eps: float = -1e-6
    param_dtype: Dtype = jnp.float32
    dtype: Dtype | None = None


class Snake(_Parametric):
    _family = _modules.SNAKE

    alpha_init: float = 1.0
    axis: int | None = -1
    param_dtype: Dtype = jnp.float32
    dtype: Dtype | None = None
