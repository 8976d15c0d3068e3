"""The names PyTorch, Keras 3 and Hugging Face transformers give these activations.

A model ported from another framework names its activation in a configuration, in that
framework's words. :func:`flaxact.get` with ``framework=`` resolves those words to the
flaxact function and the keyword arguments that compute what the framework means: the
same word can mean different functions (``"gelu"`` is the exact form in all three, the
tanh form in jax.nn), and the same function can take different defaults (Keras'
``leaky_relu`` has a slope of 0.2, PyTorch's and jax.nn's 0.01).

Each table maps a name to ``(flaxact name, bound keyword arguments)``, or to a sentence
saying why flaxact cannot honour it (a learned or random activation, a function flaxact
does not have). Names only, no computation: the tests check every entry's values against
the framework's own definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: A name's meaning: the flaxact function and the arguments bound to it, or why there is none.
Target = tuple[str, Mapping[str, Any]] | str

_EXACT_GELU = ("gelu", {"approximate": False})
_TANH_GELU = ("gelu", {"approximate": True})
_LEARNED_SLOPE = (
    "learns its slope; the Flax modules flaxact.linen.PReLU and flaxact.nnx.PReLU do "
    "(leaky_relu has a fixed one)"
)
_RANDOM = "draws random numbers; flaxact's functions are deterministic"

# (torch.nn.functional name, torch.nn module class, flaxact name, bound arguments)
_TORCH_PAIRS: tuple[tuple[str | None, str, str, Mapping[str, Any]], ...] = (
    ("celu", "CELU", "celu", {}),
    ("elu", "ELU", "elu", {}),
    ("gelu", "GELU", *_EXACT_GELU),
    ("glu", "GLU", "glu", {}),
    ("hardshrink", "Hardshrink", "hard_shrink", {}),
    ("hardsigmoid", "Hardsigmoid", "hard_sigmoid", {}),
    ("hardswish", "Hardswish", "hard_silu", {}),
    ("hardtanh", "Hardtanh", "hard_tanh", {}),
    ("leaky_relu", "LeakyReLU", "leaky_relu", {}),
    ("log_softmax", "LogSoftmax", "log_softmax", {}),
    ("logsigmoid", "LogSigmoid", "log_sigmoid", {}),
    ("mish", "Mish", "mish", {}),
    ("relu", "ReLU", "relu", {}),
    ("relu6", "ReLU6", "relu6", {}),
    ("selu", "SELU", "selu", {}),
    ("sigmoid", "Sigmoid", "sigmoid", {}),
    ("silu", "SiLU", "silu", {}),
    ("softmax", "Softmax", "softmax", {}),
    ("softmin", "Softmin", "softmin", {}),
    ("softplus", "Softplus", "softplus", {}),
    ("softshrink", "Softshrink", "soft_shrink", {}),
    ("softsign", "Softsign", "soft_sign", {}),
    ("tanh", "Tanh", "tanh", {}),
    ("tanhshrink", "Tanhshrink", "tanh_shrink", {}),
    ("threshold", "Threshold", "threshold", {}),
    (None, "Identity", "identity", {}),
    # softmax over the channels of an (N, C, H, W) or (C, H, W) array
    (None, "Softmax2d", "softmax", {"axis": -3}),
)

TORCH: dict[str, Target] = {
    **{f: (target, bound) for f, _, target, bound in _TORCH_PAIRS if f is not None},
    **{cls: (target, bound) for _, cls, target, bound in _TORCH_PAIRS},
    "prelu": _LEARNED_SLOPE,
    "PReLU": _LEARNED_SLOPE,
    "rrelu": _RANDOM
    + " (in evaluation, RReLU is leaky_relu with negative_slope=(lower + upper) / 2)",
    "RReLU": _RANDOM
    + " (in evaluation, RReLU is leaky_relu with negative_slope=(lower + upper) / 2)",
    "gumbel_softmax": _RANDOM,
}

#: ``keras.activations`` (Keras 3).
KERAS: dict[str, Target] = {
    **{
        n: (n, {})
        for n in (
            "celu",
            "elu",
            "glu",
            "hard_shrink",
            "hard_sigmoid",
            "hard_silu",
            "hard_tanh",
            "log_sigmoid",
            "log_softmax",
            "mish",
            "relu",
            "relu6",
            "selu",
            "sigmoid",
            "silu",
            "soft_shrink",
            "softmax",
            "softplus",
            "sparse_plus",
            "sparse_sigmoid",
            "sparsemax",
            "squareplus",
            "tanh",
            "tanh_shrink",
            "threshold",
        )
    },
    "gelu": _EXACT_GELU,
    "hard_swish": ("hard_silu", {}),
    "leaky_relu": ("leaky_relu", {"negative_slope": 0.2}),
    "linear": ("identity", {}),
    "softsign": ("soft_sign", {}),
    "swish": ("silu", {}),
    "exponential": "is exp(x), which flaxact does not provide: use jnp.exp",
}

#: ``transformers.activations.ACT2FN``.
TRANSFORMERS: dict[str, Target] = {
    "gelu": _EXACT_GELU,
    "gelu_python": _EXACT_GELU,
    "gelu_new": _TANH_GELU,
    "gelu_fast": _TANH_GELU,
    "gelu_accurate": _TANH_GELU,
    "gelu_pytorch_tanh": _TANH_GELU,
    "quick_gelu": ("gelu", {"approximate": "sigmoid"}),
    "leaky_relu": ("leaky_relu", {}),
    "linear": ("identity", {}),
    "mish": ("mish", {}),
    "relu": ("relu", {}),
    "relu2": ("squared_relu", {}),
    "relu6": ("relu6", {}),
    "sigmoid": ("sigmoid", {}),
    "silu": ("silu", {}),
    "swish": ("silu", {}),
    "tanh": ("tanh", {}),
    # the function at the module's initial parameters; flaxact.linen.XIELU learns them
    "xielu": ("xielu", {}),
    "gelu_10": (
        "is gelu(x, approximate=False) clipped to [-10, 10], which flaxact does not "
        "provide: compose jnp.clip(flaxact.gelu(x, approximate=False), -10, 10)"
    ),
    "laplace": "is MEGA's 0.5 (1 + erf((x - mu) / (sigma sqrt 2))), which flaxact does not provide",
    "sqrtsoftplus": "is sqrt(softplus(x)), which flaxact does not provide",
    "prelu": _LEARNED_SLOPE,
}

FRAMEWORKS: dict[str, dict[str, Target]] = {
    "torch": TORCH,
    "keras": KERAS,
    "transformers": TRANSFORMERS,
}
