"""The accurate forms of the activations whose defaults are computed as jax.nn computes them.

flaxact's defaults cost no more than jax.nn's functions (time, program size, memory).
For a few activations that budget allows only jax.nn's own formula: XLA's ``tanh`` and
``logistic`` are the cheapest forms on the CPU but lose a few ULP, their gradients
(:math:`1 - \\tanh^2`, :math:`s (1 - s)`) lose their relative accuracy in the tails,
and ``x * sigmoid(x)`` is flushed to zero where ``sigmoid(x)`` is subnormal. The
functions here keep every digit instead, at a higher cost: values within the bound each
docstring states (about 2 ULP in float32), gradients accurate to 1e-6 relative wherever
the derivative is a normal number (infinite inputs included), bfloat16 and float16 within
1 ULP. Names and signatures are those of :mod:`flaxact`, so a model switches with its
import::

    from flaxact import precise as act

The test suite holds these to the same oracle as the defaults; the :ref:`performance`
page measures what the defaults cost.
"""

from __future__ import annotations

import inspect
from typing import Any

import jax
from jax.typing import ArrayLike

from . import _normalizing, _sigmoidal, _smooth
from ._core import float_input, rounded
from ._registry import accuracy_sentence, get

__all__ = [
    "gelu",
    "log_softmax",
    "mish",
    "sigmoid",
    "silu",
    "softmax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
]


def _section(doc: str, title: str) -> str:
    """The numpydoc section ``title`` of ``doc`` (heading to the next heading), or ''."""
    lines = inspect.cleandoc(doc).splitlines()
    for i in range(len(lines) - 1):
        if lines[i].strip() == title and set(lines[i + 1].strip()) == {"-"}:
            end = i + 2
            while end < len(lines) - 1 and not (
                lines[end].strip()
                and set(lines[end + 1].strip()) == {"-"}
                and not lines[end].startswith(" ")
            ):
                end += 1
            return "\n".join(lines[i:end]).rstrip() + "\n"
    return ""


def _doc(name: str, summary: str, example: str) -> str:
    """The docstring of ``precise.<name>``: the summary, the default's Parameters and
    Returns (the same signature), its tested bound (from the registry, as every
    docstring's), and an example."""
    rec = get(name)
    bound = rec.ulp_bound(precise=True)
    if rec.elementwise:
        claim = (
            f"float32 results within {bound:g} ULP, bfloat16 and float16 within 1 ULP, "
            "gradients to 1e-6 relative wherever the derivative is a normal number."
        )
    else:
        claim = f"float32 results within {bound:g} ULP on the inputs of the test suite."
    default = rec.fn.__doc__ or ""
    return (
        f"{summary}\n\n"
        f"The accurate form of :func:`flaxact.{name}`, with the same signature and behaviour:"
        f" {claim} It costs more time than jax.nn's {name} (see the Performance page).\n\n"
        f"{_section(default, 'Parameters')}\n"
        f"{_section(default, 'Returns')}\n"
        "See Also\n--------\n"
        f"flaxact.{name} : The default, at jax.nn's cost.\n\n"
        f"Notes\n-----\nThe default's own bound: {accuracy_sentence(rec)}\n\n"
        f"Examples\n--------\n{example.rstrip()}\n"
    )


def sigmoid(x: ArrayLike) -> jax.Array:
    x = float_input(x, "precise.sigmoid")
    return rounded(_sigmoidal._sigmoid_precise, x)


def tanh(x: ArrayLike, /) -> jax.Array:
    x = float_input(x, "precise.tanh")
    return rounded(_sigmoidal._tanh_precise, x)


def tanh_shrink(x: ArrayLike) -> jax.Array:
    x = float_input(x, "precise.tanh_shrink")
    return rounded(_sigmoidal._tanh_shrink_precise, x)


def silu(x: ArrayLike) -> jax.Array:
    x = float_input(x, "precise.silu")
    return rounded(_smooth._silu_precise, x)


def swish(x: ArrayLike, beta: ArrayLike = 1.0) -> jax.Array:
    x = float_input(x, "precise.swish")
    return _smooth._swish_impl(x, beta, precise=True, name="precise.swish")


def mish(x: ArrayLike) -> jax.Array:
    x = float_input(x, "precise.mish")
    return rounded(_smooth._mish_precise, x)


def squareplus(x: ArrayLike, b: ArrayLike = 4) -> jax.Array:
    b_value = _smooth.check_b(b, "precise.squareplus")
    x = float_input(x, "precise.squareplus")
    return _smooth._squareplus_impl(x, b, b_value, precise=True, name="precise.squareplus")


def gelu(x: ArrayLike, approximate: bool | str = True) -> jax.Array:
    form = _smooth.gelu_form(approximate, "precise.gelu")
    return _smooth._gelu_impl(float_input(x, "precise.gelu"), form, precise=True)


def softmax(x: ArrayLike, axis: Any = -1, where: ArrayLike | None = None) -> jax.Array:
    return _normalizing.along_axes("precise.softmax", x, axis, where, _normalizing._softmax_precise)


def log_softmax(x: ArrayLike, axis: Any = -1, where: ArrayLike | None = None) -> jax.Array:
    return _normalizing.along_axes(
        "precise.log_softmax", x, axis, where, _normalizing._log_softmax_precise
    )


_EXAMPLES: dict[str, tuple[str, str]] = {
    "softmax": (
        "Softmax whose error does not grow with the spread of the logits.",
        ">>> from flaxact import precise\n"
        ">>> precise.softmax([0.0, 0.0, 0.0, 0.0])\n"
        "Array([0.25, 0.25, 0.25, 0.25], dtype=float32)\n",
    ),
    "log_softmax": (
        "Log-softmax in which a dominant logit's log-probability keeps its digits.",
        ">>> import flaxact\n>>> from flaxact import precise\n"
        ">>> f\"{float(precise.log_softmax([0.0, -20.0])[0]):.4e}\"\n'-2.0612e-09'\n"
        ">>> float(flaxact.log_softmax([0.0, -20.0])[0])\n0.0",
    ),
    "sigmoid": (
        "Logistic sigmoid, accurate in both tails, with an accurate gradient beyond x = 17.",
        ">>> import jax\n>>> from flaxact import precise\n"
        ">>> f\"{float(jax.grad(precise.sigmoid)(20.0)):.4e}\"\n'2.0612e-09'\n"
        ">>> float(jax.grad(jax.nn.sigmoid)(20.0))\n0.0",
    ),
    "tanh": (
        "Hyperbolic tangent to 1.6 ULP, with a gradient accurate where 1 - tanh^2 is 0.",
        ">>> import jax\n>>> from flaxact import precise\n"
        ">>> f\"{float(jax.grad(precise.tanh)(10.0)):.4e}\"\n'8.2446e-09'\n"
        ">>> float(jax.grad(jax.nn.tanh)(10.0))\n0.0",
    ),
    "tanh_shrink": (
        "Tanh shrinkage, x - tanh(x), with tanh in exponential form beyond x = 1 in magnitude.",
        ">>> from flaxact import precise\n"
        ">>> f\"{float(precise.tanh_shrink(1.0)):.7e}\"\n'2.3840584e-01'\n",
    ),
    "silu": (
        "SiLU, x sigmoid(x), not flushed to zero where sigmoid(x) is subnormal.",
        ">>> from flaxact import precise\n>>> import flaxact\n"
        ">>> f\"{float(precise.silu(-90.0)):.4e}\"\n'-7.3746e-38'\n"
        ">>> float(flaxact.silu(-90.0))\n-0.0",
    ),
    "swish": (
        "Swish, x sigmoid(beta x), with beta x carried in two parts.",
        ">>> from flaxact import precise\n"
        ">>> f\"{float(precise.swish(-45.0, beta=2.0)):.4e}\"\n'-3.6873e-38'\n",
    ),
    "mish": (
        "Mish, x tanh(softplus(x)), not flushed to zero in the negative tail.",
        ">>> from flaxact import precise\n>>> import flaxact\n"
        ">>> f\"{float(precise.mish(-90.0)):.4e}\"\n'-7.3746e-38'\n"
        ">>> float(flaxact.mish(-90.0))\n-0.0",
    ),
    "squareplus": (
        "The squareplus rectifier without the cancellation of x + sqrt(x^2 + b) for x < 0.",
        ">>> import jax.numpy as jnp\n>>> from flaxact import precise\n"
        ">>> f\"{float(precise.squareplus(-1000.0)):.6e}\"\n'9.999990e-04'\n"
        ">>> x = jnp.float32(-1000.0)\n"
        ">>> f\"{float((x + jnp.sqrt(x * x + 4)) / 2):.6e}\"  # the sum cancels\n'1.007080e-03'\n",
    ),
    "gelu": (
        "GELU (all three forms) without the tanh form's cancellation in the negative tail.",
        ">>> from flaxact import precise\n>>> import flaxact\n"
        ">>> # exactly -7.0245948e-05: the default's (x/2)(1 + tanh u), as jax.nn's, cancels\n"
        ">>> f\"{float(precise.gelu(-4.0)):.7e}\"\n'-7.0245944e-05'\n"
        ">>> f\"{float(flaxact.gelu(-4.0)):.7e}\"\n'-7.0095062e-05'\n",
    ),
}

for _name, (_summary, _example) in _EXAMPLES.items():
    globals()[_name].__doc__ = _doc(_name, _summary, _example)
