"""Shared references and inputs for the Flax module tests (test_linen, test_nnx)."""

from __future__ import annotations

import inspect
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from flaxact_dev.testing import ulp_error

SLOPES = [-1.0, -0.1, -0.01, 0.01, 0.1, 0.25, 1.0]
DTYPES = ["float32", "bfloat16", "float16", "int32", "bool"]


def leaky_ref(x: np.ndarray, slope: np.ndarray | float) -> np.ndarray:
    """PReLU in float64: x for x >= 0, slope * x below."""
    x = np.asarray(x, np.float64)
    return np.where(x >= 0, x, np.asarray(slope, np.float64) * x)


def sample(shape: tuple[int, ...], dtype: str, seed: int = 0) -> np.ndarray:
    """Test input of ``dtype`` with negatives, zeros and positives."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype == "int32":
        return rng.integers(-50, 50, shape).astype(np.int32)
    x = rng.normal(0.0, 4.0, shape)
    x.flat[0] = 0.0
    return np.asarray(jnp.asarray(x, dtype))


def expected_dtype(dtype: str) -> jnp.dtype:
    return jnp.dtype(jnp.float32) if dtype in ("int32", "bool") else jnp.dtype(dtype)


def check_close_to_ref(y: jax.Array, ref: np.ndarray, dtype: jnp.dtype) -> None:
    """Within 1 ULP of the float64 reference (exactly 0 where the reference is 0)."""
    fmt = jnp.dtype(dtype).name
    err, mask = ulp_error(np.asarray(y, np.float64), ref, fmt)
    assert float(err.max(initial=0.0)) <= 1.0
    zero = ref == 0
    np.testing.assert_array_equal(np.asarray(y, np.float64)[zero], 0.0)
    assert mask.sum() + zero.sum() >= ref.size // 2


def sigmoid64(z):
    return 1.0 / (1.0 + np.exp(-z))


ACTIVATIONS = {
    # name: (flaxact function, float64 formula)
    "GLU": ("sigmoid", sigmoid64),
    "SwiGLU": ("silu", lambda z: z * sigmoid64(z)),
    "GeGLU": (
        "gelu",
        lambda z: 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))),
    ),
    "ReGLU": ("relu", lambda z: np.maximum(z, 0.0)),
}


def ffn_ref(x, params, act, use_bias=False):
    """(act(xW + b) * (xV + c)) W2 + d in float64."""
    p = jax.tree.map(lambda a: np.asarray(a, np.float64), params)
    x = np.asarray(x, np.float64)

    def proj(name, h):
        y = h @ p[name]["kernel"]
        return y + p[name]["bias"] if use_bias else y

    return proj("W2", act(proj("W", x)) * proj("V", x))


def softplus64(a) -> np.ndarray:
    return np.logaddexp(0.0, np.asarray(a, np.float64))


def xielu_ref(x, a_p, a_n, beta: float = 0.5, eps: float = -1e-6) -> np.ndarray:
    """The XIELU modules in float64, from their parameters a_p, a_n (softplus-inverse)."""
    from flaxact_dev.oracle import VALUE

    alpha_p, alpha_n = softplus64(a_p), beta + softplus64(a_n)
    return VALUE["xielu"](np.asarray(x, np.float64), alpha_p, alpha_n, beta, eps)


def snake_ref(x, alpha) -> np.ndarray:
    """snake in float64, alpha broadcast against x (the identity where alpha is 0)."""
    x, alpha = np.asarray(x, np.float64), np.asarray(alpha, np.float64)
    return np.where(alpha == 0, x, x + np.sin(alpha * x) ** 2 / np.where(alpha == 0, 1.0, alpha))


def check_float32_close(y: jax.Array, ref: np.ndarray) -> None:
    """Within 4 float32 ULP of ``ref``, or 2e-7 absolute (near xielu's negative root, where
    the modules' form with learned parameters keeps an absolute error)."""
    y = np.asarray(y, np.float64)
    assert y.shape == ref.shape
    np.testing.assert_allclose(y, ref, rtol=4 * 2**-24, atol=2e-7)


def default_text(value: Any) -> str:
    """How a default reads in a signature or docstring: a class or function by its name."""
    return getattr(value, "__name__", repr(value))


def documented_parameters(cls: type) -> list[str]:
    """The ``name : type`` lines of the class docstring's Parameters section."""
    doc = inspect.getdoc(cls)
    section = doc.split("Parameters\n----------\n")[1].split("\n\n")[0]
    return [line for line in section.splitlines() if not line.startswith(" ")]


def check_documented_default(head: str, param: inspect.Parameter) -> None:
    """A Parameters line states the signature's default: none where there is none, the
    value itself where it reads as one, at least ``default`` for a function."""
    if param.default is param.empty:
        assert "default" not in head, head
    elif not callable(param.default) or isinstance(param.default, type):
        assert head.endswith(f", default {default_text(param.default)}"), head
    else:
        assert ", default " in head, head
