"""Input handling shared by every activation: one place for argument checks and dtypes.

Every public function in flaxact funnels its array argument through :func:`float_input`
(or :func:`real_input` where integer output is kept, as jax.nn does for ``relu``), so the
error messages, the complex-input rejection and the half-precision policy are defined once.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.custom_derivatives import SymbolicZero

__all__ = [
    "check_axis_even",
    "compute_dtype",
    "custom_jvp",
    "float_input",
    "narrow_residuals",
    "param_value",
    "real_input",
    "rounded",
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


def param_value(
    value: Any, name: str, argname: str, *, strict: bool = True, scalar: bool = False
) -> float | None:
    """Check a real parameter: ``float(value)`` when it is a concrete scalar, else ``None``.

    A traced value passes unchecked, so parameters can be learned under ``jit``. Complex
    and non-numeric values raise TypeError.

    ``strict`` (the default) is for parameters that must be finite real numbers (xielu's,
    snake's ``alpha``, the modules' initial values): bool raises TypeError, nan and inf
    ValueError, and a concrete array (a per-channel parameter) is checked value by value
    and gives ``None``. Not strict is for constants of a formula whose range the caller
    checks and where inf has a meaning (``threshold=inf``, ``limit=inf``): bool counts as
    0 or 1, and an array of more than one value gives ``None`` unchecked, so that an eager
    call with a per-channel jax.Array parameter does not wait for a copy to the host.
    ``scalar`` refuses arrays of more than one value (TypeError).
    """
    if isinstance(value, jax.core.Tracer):
        return None
    what = "a real number" if scalar else "a real number or array"
    if strict and isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"flaxact.{name}: argument '{argname}' must be a real number; got bool {value!r}"
        )
    if isinstance(value, numbers.Real):
        arr = np.asarray(float(value))
    else:
        arr = value if isinstance(value, jax.Array) else np.asarray(value)
        if arr.ndim != 0 and not (strict or scalar):
            return None  # not copied to the host, see above
        # (bfloat16's NumPy kind is "V": ask JAX)
        real = jnp.issubdtype(arr.dtype, jnp.floating) or jnp.issubdtype(arr.dtype, jnp.integer)
        real = real or (not strict and arr.dtype == np.bool_)
        if strict and not (real and (arr.ndim == 0 or not scalar)):
            raise TypeError(
                f"flaxact.{name}: argument '{argname}' must be {what}; "
                f"got {type(value).__name__} of dtype {arr.dtype} and shape {arr.shape}"
            )
        if not real and jnp.issubdtype(arr.dtype, jnp.complexfloating):
            raise TypeError(f"flaxact.{name}: argument '{argname}' must be real; got {arr.dtype}")
        if not real:  # a string would otherwise pass through float()
            raise TypeError(
                f"flaxact.{name}: argument '{argname}' must be array-like (a number or an "
                f"array of numbers); got {type(value).__name__}"
            )
        arr = np.asarray(arr, np.float64)
    if strict and not np.all(np.isfinite(arr)):
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


def rounded(fn: Callable[..., jax.Array], x: jax.Array, *params: jax.Array) -> jax.Array:
    """``fn(wide(x), *params)`` rounded once to ``x``'s dtype, for ``fn`` element-wise.

    ``fn`` acts element by element on ``x`` and on each of ``params`` (arrays that broadcast
    against ``x``, such as a traced ``alpha``, or the gate half of a gated unit; those of a
    half-precision type are widened too). For bfloat16 and float16 ``x`` the backward
    pass keeps each slope rounded to ``x``'s dtype: one array of the input's size, the bytes
    jax.nn keeps computing in the narrow type, where the float32 slope of the float32
    computation would keep twice as many. The slope is still computed in float32 and rounded
    once, so the gradient is as accurate as the narrow type allows. Other dtypes are computed
    as they are, with ``fn``'s own derivative.
    """
    if x.dtype not in _HALF:
        return fn(x, *params).astype(x.dtype)  # a Python scalar's weak type dropped, as before
    return _rounded(fn, x, *params)


def custom_jvp(
    jvp: Callable[..., Any] | None = None,
    *,
    jvps: Callable[..., Any] | None = None,
    nondiff_argnums: tuple[int, ...] = (),
    symbolic_zeros: bool = False,
) -> Callable[[Callable[..., Any]], jax.custom_jvp]:
    """Decorator: :func:`jax.custom_jvp` with its rule named where the function is defined.

    ``jvp`` is a ``defjvp`` rule (``jvp(*nondiff, primals, tangents)``); ``jvps`` the
    ``defjvps`` rule of the first argument (``jvps(g, ans, x)``). Given up front, the rule
    lets ``@jax.jit`` sit above this decorator: jit outermost, as every kernel here is, so a
    model that calls the kernel in each layer traces it and its derivative once per shape.
    """
    if (jvp is None) == (jvps is None):
        raise TypeError("flaxact.custom_jvp: give exactly one of 'jvp' and 'jvps'")

    def wrap(fn: Callable[..., Any]) -> jax.custom_jvp:
        f = jax.custom_jvp(fn, nondiff_argnums=nondiff_argnums)
        if jvps is not None:
            f.defjvps(jvps)
        else:
            f.defjvp(jvp, symbolic_zeros=symbolic_zeros)
        return f

    return wrap


def _widened(operands) -> list[jax.Array]:
    return [wide(v) for v in operands]


def _rounded_jvp(fn, primals, tangents):
    x = primals[0]
    operands = _widened(primals)

    def slope(i: int):
        """``(fn(...), d fn / d operand i)``, element by element: a tangent of ones."""

        def f(v):
            return fn(*operands[:i], v, *operands[i + 1 :])

        return jax.jvp(f, (operands[i],), (jnp.ones_like(operands[i]),))

    y = fn(*operands).astype(x.dtype)
    terms = [
        (
            lambda i=i: slope(i)[1].astype(x.dtype),
            t if isinstance(t, SymbolicZero) else t.astype(x.dtype),
        )
        for i, t in enumerate(tangents)
    ]
    return y, tangent_sum(y, *terms)


@custom_jvp(_rounded_jvp, nondiff_argnums=(0,), symbolic_zeros=True)
def _rounded(fn: Callable[..., jax.Array], x: jax.Array, *params: jax.Array) -> jax.Array:
    return fn(*_widened((x, *params))).astype(x.dtype)


def narrow_residuals(tangent: Callable[..., jax.Array]) -> Callable[..., jax.Array]:
    """A tangent rule ``tangent(*known, t)`` whose backward pass keeps ``known`` as they are.

    For a ``custom_jvp`` rule of a function of a whole axis that rounds its float32 result
    to a narrow type: the rule's coefficients (the rounded output, say) widened to float32
    inside the rule would be kept for the backward pass in float32, twice the bytes of the
    narrow arrays they came from. Rematerialised (``jax.checkpoint``), the backward pass
    keeps the narrow arrays and widens them again itself: an element-wise conversion that
    fuses into the backward pass's own loops.
    """
    return jax.checkpoint(tangent)
