"""Flax NNX modules: PReLU, LeakyReLU, the gated feed-forward block (GLU family), XIELU
and Snake.

The same modules as :mod:`flaxact.linen`, written for Flax NNX: parameters are
:class:`flax.nnx.Param` attributes created in ``__init__``, so sizes the linen modules
read from the first input (the channel count of a per-channel PReLU or Snake, the input
width of the feed-forward block) are constructor arguments here. Given the same parameter
values, each module returns exactly what its linen counterpart returns.

Importing :mod:`flaxact` does not import this module (Flax NNX adds about a second to
the import); ``import flaxact.nnx`` or the attribute ``flaxact.nnx`` loads it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
from flax import nnx
from flax.typing import Dtype, Initializer

from . import _modules
from ._modules import Activation, checked_channels, prepare_input
from ._smooth import silu

__all__ = ["XIELU", "GatedFeedForward", "LeakyReLU", "PReLU", "Snake"]

#: How a module keeps these arguments: Python numbers, static in its graph definition.
_KEPT_AS = {"axis": int, "beta": float, "eps": float}


class _Module(nnx.Module):
    """Base of the modules: each subclass sets ``_family`` (a ``flaxact._modules.Family``),
    which gives it its docstring and checks its arguments."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_family" in vars(cls):
            # the constructor's signature (NNX's metaclass shows *args, **kwargs)
            sig = inspect.signature(cls.__init__)
            cls.__signature__ = sig.replace(parameters=list(sig.parameters.values())[1:])
            cls.__doc__ = cls._family.docstring("nnx", cls.__signature__)

    def _owner(self) -> str:
        return f"nnx.{self._family.name}"

    def _init(self, args: dict[str, Any]) -> None:
        """Check the constructor's arguments (its ``locals()``), keep them as attributes but
        for the initial values and initializers (``*_init``), and create the family's
        parameters: ``num_features`` values each, or one."""
        args = {k: v for k, v in args.items() if k not in ("self", "rngs", "__class__")}
        self._family.check_arguments(self._owner(), args)
        metadata = {k: args.pop(f"{k}_metadata", None) or {} for k in self._family.params}
        for name, value in args.items():
            if not name.endswith("_init"):
                setattr(self, name, _KEPT_AS.get(name, lambda v: v)(value))
        shape = () if args.get("num_features") is None else (int(args["num_features"]),)
        for name in self._family.params:
            value = self._family.initial(name, args, shape)
            setattr(self, name, nnx.Param(value, **metadata[name]))


class _Parametric(_Module):
    """Base of the modules whose parameters the family lists."""

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the module to ``inputs``, of any shape (with per-channel parameters,
        ``num_features`` channels along ``axis``)."""
        promote = getattr(self, "promote_dtype", None)
        custom = promote is not None and self.dtype is not None
        x = prepare_input(inputs, None if custom else self.dtype, self._owner())
        axis = None
        if self._family.per_channel:
            axis = checked_channels(x, self.axis, self.num_features, self._owner())
        params = {name: getattr(self, name)[...] for name in self._family.params}
        if custom:  # the module's own promotion of the input and the parameters, as Flax's
            x, *values = promote((x, *params.values()), dtype=self.dtype)
            params = dict(zip(params, values, strict=True))
        return self._family.compute(self, x, axis, **params)


class PReLU(_Parametric):
    _family = _modules.PRELU

    def __init__(
        self,
        negative_slope_init: float = 0.01,
        *,
        num_features: int | None = None,
        axis: int = -1,
        dtype: Dtype | None = None,
        param_dtype: Dtype = jnp.float32,
        promote_dtype: Callable[..., Any] | None = None,
        negative_slope_metadata: Mapping[str, Any] | None = None,
        rngs: nnx.Rngs | None = None,
    ) -> None:
        self._init(locals())


class LeakyReLU(_Module):
    _family = _modules.LEAKY_RELU

    def __init__(self, negative_slope: float = 0.01) -> None:
        self._init(locals())

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the leaky ReLU to ``inputs``."""
        return self._family.compute(self, prepare_input(inputs, None, self._owner()))


#: Flax's ``Linear`` / ``Dense`` defaults.
_DEFAULT_KERNEL_INIT = nnx.initializers.lecun_normal()
_DEFAULT_BIAS_INIT = nnx.initializers.zeros_init()


def _to_first_dtype(
    args: tuple[Any, ...], /, *, dtype: Any = None, inexact: bool = True
) -> tuple[Any, ...]:
    """``promote_dtype`` for ``nnx.Linear``: cast kernel and bias to the input's dtype."""
    del inexact
    dtype = args[0].dtype if dtype is None else dtype
    return tuple(None if a is None else jnp.asarray(a, dtype) for a in args)


class GatedFeedForward(_Module):
    _family = _modules.GATED_FEED_FORWARD

    def __init__(
        self,
        in_features: int,
        hidden_features: int,
        out_features: int | None = None,
        *,
        activation: Activation = silu,
        use_bias: bool = False,
        dtype: Dtype | None = None,
        param_dtype: Dtype = jnp.float32,
        kernel_init: Initializer = _DEFAULT_KERNEL_INIT,
        bias_init: Initializer = _DEFAULT_BIAS_INIT,
        rngs: nnx.Rngs,
    ) -> None:
        self._init(locals())
        linear = functools.partial(
            nnx.Linear,
            use_bias=use_bias,
            dtype=dtype,
            param_dtype=param_dtype,
            kernel_init=kernel_init,
            bias_init=bias_init,
            promote_dtype=_to_first_dtype,
            rngs=rngs,
        )
        self.W = linear(in_features, hidden_features)
        self.V = linear(in_features, hidden_features)
        self.W2 = linear(hidden_features, in_features if out_features is None else out_features)

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the block to ``inputs`` of shape ``(..., in_features)``."""
        x = prepare_input(inputs, self.dtype, self._owner())
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"flaxact.nnx.GatedFeedForward: argument 'inputs' must have "
                f"in_features={self.in_features} on its last axis; got shape {x.shape}"
            )
        return self._family.compute(self, x, W=self.W, V=self.V, W2=self.W2)


class XIELU(_Parametric):
    _family = _modules.XIELU

    def __init__(
        self,
        alpha_p_init: float = 0.8,
        alpha_n_init: float = 0.8,
        *,
        beta: float = 0.5,
        eps: float = -1e-6,
        dtype: Dtype | None = None,
        param_dtype: Dtype = jnp.float32,
        rngs: nnx.Rngs | None = None,
    ) -> None:
        self._init(locals())


class Snake(_Parametric):
    _family = _modules.SNAKE

    def __init__(
        self,
        num_features: int | None,
        alpha_init: float = 1.0,
        *,
        axis: int = -1,
        dtype: Dtype | None = None,
        param_dtype: Dtype = jnp.float32,
        rngs: nnx.Rngs | None = None,
    ) -> None:
        self._init(locals())
