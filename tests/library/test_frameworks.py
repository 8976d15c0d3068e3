"""Other frameworks' names: every name ``flaxact.get(name, framework=...)`` resolves computes
what that framework computes, checked against the framework's own definition written
here in float64 (from its documentation and source), and every name flaxact cannot honour
raises an error that says why."""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
import pytest
from scipy import special

import flaxact
from flaxact import _frameworks

X = np.concatenate([np.linspace(-8.0, 8.0, 321), [-30.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 30.0]])


def _sigmoid(x):
    return special.expit(x)


def _softplus(x):
    return np.logaddexp(0.0, x)


def _softmax(x, axis=-1):
    return special.softmax(x, axis=axis)


def _glu(x):
    a, b = np.split(x, 2, axis=-1)
    return a * _sigmoid(b)


def _gelu_exact(x):
    return 0.5 * x * (1.0 + special.erf(x / math.sqrt(2.0)))


def _gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def _leaky(slope):
    return lambda x: np.where(x >= 0, x, slope * x)


def _sparsemax(x):
    z = np.sort(x, axis=-1)[..., ::-1]
    k = np.arange(1, x.shape[-1] + 1)
    cumsum = np.cumsum(z, axis=-1)
    support = 1 + k * z > cumsum
    kz = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumsum, kz - 1, axis=-1) - 1) / kz
    return np.maximum(x - tau, 0.0)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _xielu(x, alpha_p=0.8, alpha_n=0.8, beta=0.5, eps=-1e-6):
    # transformers' XIELUActivation at its initial parameters
    neg = (np.expm1(np.minimum(x, eps)) - x) * alpha_n + beta * x
    return np.where(x > 0, alpha_p * x * x + beta * x, neg)


#: name -> definition in float64, for the names PyTorch (torch.nn.functional and
#: torch.nn classes), keras.activations (Keras 3), transformers' ACT2FN
COMMON = {
    "celu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "gelu": _gelu_exact,
    "glu": _glu,
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(x)),
    "sigmoid": _sigmoid,
    "silu": lambda x: x * _sigmoid(x),
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "softmax": _softmax,
    "log_softmax": lambda x: special.log_softmax(x, axis=-1),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "tanh": np.tanh,
    "threshold": lambda x: np.where(x > 0.5, x, -1.0),
}
HARD_SIGMOID = lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0  # noqa: E731
HARD_SWISH = lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0  # noqa: E731
HARD_SHRINK = lambda x: np.where(np.abs(x) > 0.5, x, 0.0)  # noqa: E731
SOFT_SHRINK = lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0))  # noqa: E731

TORCH = {
    **COMMON,
    "hardshrink": HARD_SHRINK,
    "hardsigmoid": HARD_SIGMOID,
    "hardswish": HARD_SWISH,
    "hardtanh": lambda x: np.clip(x, -1.0, 1.0),
    "leaky_relu": _leaky(0.01),
    "logsigmoid": lambda x: -_softplus(-x),
    "softmin": lambda x: _softmax(-x),
    "softshrink": SOFT_SHRINK,
    "tanhshrink": lambda x: x - np.tanh(x),
}
TORCH_CLASSES = {
    "CELU": "celu",
    "ELU": "elu",
    "GELU": "gelu",
    "GLU": "glu",
    "Hardshrink": "hardshrink",
    "Hardsigmoid": "hardsigmoid",
    "Hardswish": "hardswish",
    "Hardtanh": "hardtanh",
    "LeakyReLU": "leaky_relu",
    "LogSoftmax": "log_softmax",
    "LogSigmoid": "logsigmoid",
    "Mish": "mish",
    "ReLU": "relu",
    "ReLU6": "relu6",
    "SELU": "selu",
    "Sigmoid": "sigmoid",
    "SiLU": "silu",
    "Softmax": "softmax",
    "Softmin": "softmin",
    "Softplus": "softplus",
    "Softshrink": "softshrink",
    "Softsign": "softsign",
    "Tanh": "tanh",
    "Tanhshrink": "tanhshrink",
    "Threshold": "threshold",
}
TORCH.update({cls: TORCH[f] for cls, f in TORCH_CLASSES.items()})
TORCH["Identity"] = lambda x: x
TORCH["Softmax2d"] = lambda x: _softmax(x, axis=-3)

KERAS = {
    **COMMON,
    "hard_shrink": HARD_SHRINK,
    "hard_sigmoid": HARD_SIGMOID,
    "hard_silu": HARD_SWISH,
    "hard_swish": HARD_SWISH,
    "hard_tanh": lambda x: np.clip(x, -1.0, 1.0),
    "leaky_relu": _leaky(0.2),
    "linear": lambda x: x,
    "log_sigmoid": lambda x: -_softplus(-x),
    "soft_shrink": SOFT_SHRINK,
    "sparse_plus": lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0.0, 1.0),
    "sparsemax": _sparsemax,
    "squareplus": lambda x: (x + np.sqrt(x * x + 4.0)) / 2,
    "swish": COMMON["silu"],
    "tanh_shrink": lambda x: x - np.tanh(x),
}

TRANSFORMERS = {
    "gelu": _gelu_exact,
    "gelu_python": _gelu_exact,
    "gelu_new": _gelu_tanh,
    "gelu_fast": _gelu_tanh,
    "gelu_accurate": _gelu_tanh,
    "gelu_pytorch_tanh": _gelu_tanh,
    "quick_gelu": lambda x: x * _sigmoid(1.702 * x),
    "leaky_relu": _leaky(0.01),
    "linear": lambda x: x,
    "mish": COMMON["mish"],
    "relu": COMMON["relu"],
    "relu2": lambda x: np.maximum(x, 0.0) ** 2,
    "relu6": COMMON["relu6"],
    "sigmoid": _sigmoid,
    "silu": COMMON["silu"],
    "swish": COMMON["silu"],
    "tanh": np.tanh,
    "xielu": _xielu,
}

DEFINITIONS = {"torch": TORCH, "keras": KERAS, "transformers": TRANSFORMERS}
CASES = [(fw, name) for fw, table in DEFINITIONS.items() for name in sorted(table)]
#: the arguments a definition above takes besides x (functions with required ones)
ARGS = {"threshold": (0.5, -1.0), "Threshold": (0.5, -1.0)}


def test_every_name_that_resolves_has_a_definition_here():
    """The tables and the definitions agree, name for name: no name goes unchecked."""
    for fw, defs in DEFINITIONS.items():
        assert set(flaxact.names(framework=fw)) == set(defs), fw


@pytest.mark.parametrize(("framework", "name"), CASES, ids=[f"{f}-{n}" for f, n in CASES])
def test_a_framework_name_computes_what_the_framework_computes(framework, name):
    act = flaxact.get(name, framework=framework)
    x = X
    if name == "Softmax2d":
        x = X[:320].reshape(5, 8, 8)
    elif not act.elementwise:
        x = X[:320].reshape(8, 40)
    got = np.asarray(act(jnp.asarray(x, jnp.float32), *ARGS.get(name, ())), np.float64)
    want = DEFINITIONS[framework][name](x.astype(np.float64))
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6, err_msg=f"{framework} {name}")


def test_a_name_binds_what_that_framework_means():
    assert flaxact.get("gelu", framework="transformers").bound == {"approximate": False}
    assert flaxact.get("gelu", framework="torch").bound == {"approximate": False}
    assert flaxact.get("gelu").bound == {}  # jax.nn's meaning, the tanh form
    assert flaxact.get("quick_gelu", framework="transformers").bound == {"approximate": "sigmoid"}
    assert flaxact.get("leaky_relu", framework="keras").bound == {"negative_slope": 0.2}
    # a call's own arguments take precedence over the bound ones
    act = flaxact.get("leaky_relu", framework="keras")
    assert float(act(-1.0, negative_slope=0.5)) == -0.5
    # the canonical list does not grow
    assert "Hardswish" not in flaxact.names(aliases=True)


def test_names_only_another_framework_has_resolve_without_naming_it():
    assert flaxact.get("Hardswish").name == "hard_silu"
    assert flaxact.get("gelu_new").bound == {"approximate": True}
    assert flaxact.get("linear").name == "identity"  # Keras and transformers agree
    assert flaxact.get("relu2").name == "squared_relu"


@pytest.mark.parametrize(
    ("framework", "name"),
    [
        (fw, n)
        for fw, table in _frameworks.FRAMEWORKS.items()
        for n, target in table.items()
        if isinstance(target, str)
    ],
)
def test_a_name_flaxact_cannot_honour_says_why(framework, name):
    reason = _frameworks.FRAMEWORKS[framework][name]
    with pytest.raises(ValueError, match=rf"flaxact\.get: {framework}'s '{name}' ") as err:
        flaxact.get(name, framework=framework)
    assert reason in str(err.value)


def test_bad_framework_arguments_are_named():
    with pytest.raises(ValueError, match=r"flaxact\.get: argument 'framework' must be one of"):
        flaxact.get("relu", framework="pytorch")
    with pytest.raises(ValueError, match=r"flaxact\.names: argument 'framework' must be one of"):
        flaxact.names(framework="flax")
    with pytest.raises(KeyError, match=r"torch has no activation named 'Swish'"):
        flaxact.get("Swish", framework="torch")
    with pytest.raises(KeyError, match="did you mean 'gelu_new'"):
        flaxact.get("gelu_nwe")
