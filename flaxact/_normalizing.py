"""Functions of a whole axis: softmax, softmin, sparsemax, log-softmax, log-sum-exp,
log-mean-exp, standardisation, one-hot.

These are not element-wise: each output depends on every element along ``axis``. They
keep jax.nn's signatures and its masking convention (``where``), and fix the places where
jax.nn returns a silently wrong value: ``one_hot`` on narrow integer indices wraps
around, ``standardize`` loses every digit when the data has a large mean (its default
variance formula cancels), and half-precision input is computed in the narrow type.
Here half-precision input is computed in float32 and rounded once, reductions are
shifted by the maximum (or the mean) first, and gradients use closed forms that stay
finite where entries are ``-inf`` or masked out.
"""

from __future__ import annotations

import functools
import math
import operator
import warnings
from collections.abc import Hashable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.typing import ArrayLike

from ._core import compute_dtype, custom_jvp, float_input, narrow_residuals, real_input, wide
from ._registry import activation, precise_form

__all__ = [
    "log_softmax",
    "logmeanexp",
    "logsumexp",
    "one_hot",
    "softmax",
    "softmin",
    "sparsemax",
    "standardize",
]

_INF = float("inf")

Axis = int | tuple[int, ...] | None


def _axes(x: jax.Array, axis: Any, name: str) -> tuple[int, ...]:
    """Normalise an int / tuple of ints / ``None`` axis to a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(x.ndim))
    seq = axis if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in seq:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(
                f"flaxact.{name}: argument 'axis' must be an int, a tuple of ints or None; "
                f"got {axis!r}"
            )
        if not -x.ndim <= a < x.ndim:
            raise ValueError(
                f"flaxact.{name}: argument 'axis'={axis!r} is out of range for an array of "
                f"{x.ndim} dimension(s)"
            )
        out.append(int(a) % x.ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"flaxact.{name}: argument 'axis'={axis!r} repeats an axis")
    return tuple(sorted(out))


def _mask(where: Any, x: jax.Array, name: str) -> jax.Array | None:
    """``where`` as a boolean array broadcast to ``x.shape`` (``None`` stays ``None``)."""
    if where is None:
        return None
    m = real_input(where, name, "where")
    try:
        return jnp.broadcast_to(m.astype(bool), x.shape)
    except ValueError as err:
        raise ValueError(
            f"flaxact.{name}: argument 'where' of shape {m.shape} does not broadcast to the "
            f"shape {x.shape} of the input"
        ) from err


def along_axes(name: str, x: Any, axis: Any, where: Any, impl, tangent=None) -> jax.Array:
    """``impl(x, mask, axes)`` after the checks: ``x`` as float (computed wide, rounded
    once), ``axis`` normalised, ``where`` broadcast; errors name ``flaxact.<name>``.

    ``tangent(x, y, t, mask, axes)``, where given, is the derivative rule from the rounded
    output ``y`` (and the input ``x``, where it needs it), in float32: for bfloat16 and
    float16 input the backward pass then keeps the narrow arrays it names, rather than
    the float32 ones of the wide computation (twice the bytes).
    """
    x = float_input(x, name)
    axes = _axes(x, axis, name)
    mask = _mask(where, x, name)
    if tangent is not None and x.dtype != compute_dtype(x.dtype):
        return _narrow_axes(impl, tangent, axes, x, mask)
    return impl(x.astype(compute_dtype(x.dtype)), mask, axes).astype(x.dtype)


def _narrow_axes_jvp(impl, tangent, axes, primals, tangents):
    x, mask = primals
    y = _narrow_axes(impl, tangent, axes, x, mask)

    @narrow_residuals
    def rule(x, y, t, mask):
        return tangent(wide(x), wide(y), wide(t), mask, axes).astype(y.dtype)

    return y, rule(x, y, tangents[0], mask)


@custom_jvp(_narrow_axes_jvp, nondiff_argnums=(0, 1, 2))
def _narrow_axes(impl, tangent, axes, x, mask):
    # the input as given: the implementations widen it after the maximum (see _shift)
    return impl(x, mask, axes).astype(x.dtype)


def _shift(x: jax.Array, axes: tuple[int, ...], mask: jax.Array | None) -> jax.Array:
    """``x - max(x)`` along ``axes``, masked entries ``-inf``; the maximum as a constant.

    Subtracting the maximum cannot change softmax, log-softmax or log-sum-exp
    mathematically; it keeps every exponential at most 1. The ops are exactly jax.nn's
    (``max`` with ``initial=-inf``, ``exp(x - max)``, ``sum``): XLA's CPU backend
    recognises that pattern and compiles softmax into one fused kernel (a select on the
    maximum, or a rounding correction of the difference, splits it into three and
    costs several times as much). A row whose maximum is ``-inf`` (all entries ``-inf`` or masked out)
    gives ``nan`` here, which the callers turn into their documented result.

    Half-precision ``x`` is widened after the maximum, which is exact in its own type: the
    widened array then has one user and XLA converts it inside the reduction's loop, where
    two users (the maximum and the sum) made it write the float32 copy to memory first.
    The result is in the compute dtype.
    """
    m = jnp.max(x, axis=axes, keepdims=True, where=mask, initial=-jnp.inf)
    xs = x if mask is None else jnp.where(mask, x, -jnp.inf)
    return wide(xs) - wide(lax.stop_gradient(m))


# --------------------------------------------------------------------------- softmax


def _softmax_value(x: jax.Array, axes: tuple[int, ...], mask: jax.Array | None) -> jax.Array:
    e = jnp.exp(_shift(x, axes, mask))
    s = e / jnp.sum(e, axis=axes, keepdims=True, where=mask)
    if mask is not None:
        # Masked entries, and rows with no entry left, are exactly 0.
        s = jnp.where(mask, s, jnp.zeros_like(s))
    return s


def _softmax_jvp(
    axes: tuple[int, ...], primals: tuple[Any, ...], tangents: tuple[Any, ...]
) -> tuple[jax.Array, jax.Array]:
    x, mask = primals
    t = tangents[0]
    s = _softmax_impl(x, mask, axes)
    # ds_i = s_i (dx_i - sum_j s_j dx_j): the backward pass needs s alone (no mask of
    # its own, no input), as jax.nn's rule. Masked tangents stay out of the sum.
    return s, s * (t - jnp.sum(s * t, axis=axes, keepdims=True, where=mask))


@functools.partial(jax.jit, static_argnums=2)
@custom_jvp(_softmax_jvp, nondiff_argnums=(2,))
def _softmax_impl(x: jax.Array, mask: jax.Array | None, axes: tuple[int, ...]) -> jax.Array:
    return _softmax_value(x, axes, mask)


# The derivative rules from the rounded output, for half-precision input (along_axes)
def _softmax_tangent(x, s, t, mask, axes):
    return s * (t - jnp.sum(s * t, axis=axes, keepdims=True, where=mask))


def _softmin_tangent(x, s, t, mask, axes):
    return _softmax_tangent(x, s, -t, mask, axes)


def _log_softmax_tangent(x, y, t, mask, axes):
    # d log_softmax = t - sum(softmax t); masked entries are -inf, with tangent 0
    out = t - jnp.sum(jnp.exp(y) * t, axis=axes, keepdims=True, where=mask)
    return out if mask is None else jnp.where(mask, out, jnp.zeros_like(out))


@activation(
    family="normalizing",
    formula=r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
    derivative=r"\frac{\partial\, \mathrm{softmax}(x)_i}{\partial x_j} = s_i\,(\delta_{ij} - s_j),"
    r"\quad s = \mathrm{softmax}(x)",
    output_range=(0.0, 1.0),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=False,
    elementwise=False,
    jax_nn="softmax",
    ulp_f32=10.0,
    precise_ulp_f32=6.0,
)
def softmax(x: ArrayLike, axis: Axis = -1, where: ArrayLike | None = None) -> jax.Array:
    """Softmax: exponentiate and normalise along an axis so the entries sum to one.

    Parameters
    ----------
    x : array_like
        Input logits. Integer and bool input is promoted to float.
    axis : int, tuple of int or None, default -1
        The axis or axes normalised over; ``None`` normalises over every axis.
    where : array_like of bool, optional
        Entries to include, broadcast against ``x``. Masked-out entries are ignored in
        the normalisation and their output is 0.

    Returns
    -------
    jax.Array
        Probabilities with the shape and float dtype of ``x``; along ``axis`` they are
        in :math:`[0, 1]` and sum to 1.

    See Also
    --------
    log_softmax : Its logarithm, computed without forming the softmax.
    logsumexp : The normaliser :math:`\\log \\sum_j e^{x_j}`.

    Notes
    -----
    The maximum along ``axis`` is subtracted before exponentiating, so large logits do
    not overflow. In float32 this is jax.nn's computation, op for op: XLA compiles that
    pattern into one fused kernel, and any extra work on the row (a rounding
    correction of :math:`x_i - m`, a guard on the maximum) splits it and costs several
    times jax.nn's time. The price is jax.nn's accuracy: the rounding of :math:`x_i - m`
    gives a relative error of about :math:`|x_i - m| / 2` ULP (plus ``exp``'s), which
    grows with the spread of the logits. bfloat16 and float16 input is computed in
    float32 and rounded once (jax.nn computes it in the narrow type).

    Masking: with ``where``, masked-out entries give exactly 0, and a row with every
    entry masked out gives 0 everywhere (an empty distribution), with a zero
    gradient, as in jax.nn. This is the convention to rely on for attention masks.
    A row whose unmasked entries are all :math:`-\\infty` has no defined softmax and
    gives ``nan``, as in jax.nn, NumPy/SciPy and PyTorch; any :math:`+\\infty` entry
    also gives ``nan`` (:math:`\\infty/\\infty`).

    Gradient: a closed form, :math:`s \\odot (t - \\langle s, t \\rangle)`, applied
    with ``jax.custom_jvp``; the backward pass keeps only the output :math:`s`, as
    jax.nn's does. Entries equal to :math:`-\\infty` (probability 0) and masked
    entries get a zero gradient for finite incoming gradients; second derivatives work.

    Framework differences: jax.nn and Keras default to ``axis=-1``; PyTorch's argument
    is ``dim`` and should always be given (its implicit choice is deprecated and picks
    axis 0 for 0-, 1- and 3-dimensional input). jax.nn's ``where`` has no PyTorch
    counterpart (there one adds :math:`-\\infty` to masked logits, which turns fully
    masked rows into ``nan``).

    References
    ----------
    .. [1] J. S. Bridle, "Probabilistic interpretation of feedforward classification
       network outputs, with relationships to statistical pattern recognition",
       Neurocomputing, Springer, 1990.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> flaxact.softmax([0.0, 0.0, 0.0, 0.0])
    Array([0.25, 0.25, 0.25, 0.25], dtype=float32)
    >>> flaxact.softmax([3.0, 7.0, 3.0], where=[True, False, True])
    Array([0.5, 0. , 0.5], dtype=float32)
    >>> flaxact.softmax([1.0, 2.0], where=[False, False])
    Array([0., 0.], dtype=float32)
    >>> [round(v, 4) for v in flaxact.softmax([0.0, 1.0, -jnp.inf]).tolist()]
    [0.2689, 0.7311, 0.0]
    """
    return along_axes("softmax", x, axis, where, _softmax_impl, _softmax_tangent)


@precise_form("softmax")
def precise_softmax(x: ArrayLike, axis: Any = -1, where: ArrayLike | None = None) -> jax.Array:
    """Softmax whose error does not grow with the spread of the logits.

    The accurate form of :func:`flaxact.softmax`, with the same signature and
    behaviour, at a higher cost (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input logits. Integer and bool input is promoted to float.
    axis : int, tuple of int or None, default -1
        The axis or axes normalised over; ``None`` normalises over every axis.
    where : array_like of bool, optional
        Entries to include, broadcast against ``x``. Masked-out entries are ignored in
        the normalisation and their output is 0.

    Returns
    -------
    jax.Array
        Probabilities with the shape and float dtype of ``x``; along ``axis`` they are
        in :math:`[0, 1]` and sum to 1.

    See Also
    --------
    flaxact.softmax : The default, at jax.nn's cost.

    Examples
    --------
    >>> from flaxact import precise
    >>> precise.softmax([0.0, 0.0, 0.0, 0.0])
    Array([0.25, 0.25, 0.25, 0.25], dtype=float32)
    """
    return along_axes("precise.softmax", x, axis, where, _softmax_precise)


# --------------------------------------------------------------------------- softmin


@functools.partial(jax.jit, static_argnums=2)
def _softmin_impl(x: jax.Array, mask: jax.Array | None, axes: tuple[int, ...]) -> jax.Array:
    # softmax's own rule on -x: the backward pass keeps the output alone, and the
    # negation fuses into softmax's kernel.
    return _softmax_impl(-x, mask, axes)


@activation(
    family="normalizing",
    formula=r"\mathrm{softmin}(x)_i = \frac{e^{-x_i}}{\sum_j e^{-x_j}} = "
    r"\mathrm{softmax}(-x)_i",
    derivative=r"\frac{\partial\, \mathrm{softmin}(x)_i}{\partial x_j} = -s_i\,(\delta_{ij} - "
    r"s_j),\quad s = \mathrm{softmin}(x)",
    output_range=(0.0, 1.0),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=False,
    elementwise=False,
    ulp_f32=10.0,
)
def softmin(x: ArrayLike, axis: Axis = -1, where: ArrayLike | None = None) -> jax.Array:
    """Softmin: the softmax of ``-x``, giving the most weight to the smallest entry.

    Parameters
    ----------
    x : array_like
        Input scores (costs, distances, energies). Integer and bool input is promoted to
        float.
    axis : int, tuple of int or None, default -1
        The axis or axes normalised over; ``None`` normalises over every axis.
    where : array_like of bool, optional
        Entries to include, broadcast against ``x``. Masked-out entries are ignored in
        the normalisation and their output is 0.

    Returns
    -------
    jax.Array
        Probabilities with the shape and float dtype of ``x``; along ``axis`` they are
        in :math:`[0, 1]`, sum to 1, and decrease as the entries increase.

    Raises
    ------
    TypeError
        For complex or non-numeric ``x``, or an ``axis`` that is not an int, a tuple of
        ints or ``None``.
    ValueError
        For an ``axis`` out of range or repeated, or a ``where`` that does not broadcast
        against ``x``.

    See Also
    --------
    softmax : ``softmin(x) = softmax(-x)``.
    sparsemax : A softmax whose small entries are exactly 0.

    Notes
    -----
    Computed as :func:`softmax` of :math:`-x`, with its kernel, its masking and its
    gradient rule (the backward pass keeps only the output); the negation is exact, so
    accuracy and conventions are softmax's with the sign of the input flipped: entries
    equal to :math:`+\\infty` get probability 0, an entry equal to :math:`-\\infty`
    makes the row ``nan`` (:math:`\\infty / \\infty`), a row with every entry masked
    out gives 0 everywhere. bfloat16 and float16 input is computed in float32 and
    rounded once.

    Framework differences: jax.nn and Keras have no softmin (write ``softmax(-x)``);
    PyTorch's ``softmin`` names the axis ``dim``, which should always be given, and has
    no mask.

    References
    ----------
    .. [1] J. S. Bridle, "Probabilistic interpretation of feedforward classification
       network outputs, with relationships to statistical pattern recognition",
       Neurocomputing, Springer, 1990.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> flaxact.softmin([1.0, 1.0, 1.0, 1.0])
    Array([0.25, 0.25, 0.25, 0.25], dtype=float32)
    >>> [round(v, 4) for v in flaxact.softmin([0.0, 1.0, jnp.inf]).tolist()]
    [0.7311, 0.2689, 0.0]
    >>> flaxact.softmin([3.0, -7.0, 3.0], where=[True, False, True])
    Array([0.5, 0. , 0.5], dtype=float32)
    """
    return along_axes("softmin", x, axis, where, _softmin_impl, _softmin_tangent)


# ----------------------------------------------------------------------- log_softmax


@functools.partial(jax.jit, static_argnums=2)
def _log_softmax_value(x: jax.Array, mask: jax.Array | None, axes: tuple[int, ...]) -> jax.Array:
    # Differentiated by JAX as written (as jax.nn's): a custom rule saves no less and
    # its backward pass takes a second exp per entry.
    shifted = _shift(x, axes, mask)
    out = shifted - jnp.log(jnp.sum(jnp.exp(shifted), axis=axes, keepdims=True, where=mask))
    if mask is not None:
        out = jnp.where(mask, out, jnp.full_like(out, -jnp.inf))
    return out


@activation(
    family="normalizing",
    formula=r"\mathrm{log\_softmax}(x)_i = x_i - \log \sum_j e^{x_j}",
    derivative=r"\frac{\partial\, \mathrm{log\_softmax}(x)_i}{\partial x_j} = \delta_{ij} - "
    r"\mathrm{softmax}(x)_j",
    output_range=(-_INF, 0.0),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=False,
    elementwise=False,
    jax_nn="log_softmax",
    ulp_f32=2.0,
    ulp_floor=1.0,
    precise_ulp_f32=5.0,
)
def log_softmax(x: ArrayLike, axis: Axis = -1, where: ArrayLike | None = None) -> jax.Array:
    """Logarithm of the softmax, computed directly as ``x - logsumexp(x)``.

    Parameters
    ----------
    x : array_like
        Input logits. Integer and bool input is promoted to float.
    axis : int, tuple of int or None, default -1
        The axis or axes normalised over; ``None`` normalises over every axis.
    where : array_like of bool, optional
        Entries to include, broadcast against ``x``. Masked-out entries give
        :math:`-\\infty`.

    Returns
    -------
    jax.Array
        Log-probabilities with the shape and float dtype of ``x``, all :math:`\\le 0`.

    See Also
    --------
    softmax : The probabilities themselves.
    logsumexp : The normaliser that is subtracted.

    Notes
    -----
    Computed as :math:`(x_i - m) - \\log\\sum_j e^{x_j - m}` with :math:`m` the maximum
    along ``axis``; unlike ``log(softmax(x))`` it stays finite for logits far below the
    maximum. In float32 these are jax.nn's operations, and so its speed and its
    accuracy: an absolute error of a few :math:`2^{-24}` for results near 0, so the
    log-probability of a dominant logit is rounded to 0 (``log_softmax([0, -20])[0]``
    is 0, not :math:`-2.06 \\times 10^{-9}`). Keeping those digits (summing the
    maximum's own term apart, as Blanchard, Higham and Higham do) takes two more
    reductions over the row and costs several times jax.nn's time. bfloat16 and float16
    input is computed in float32 and rounded once.

    Masked entries and rows with every entry masked out give :math:`-\\infty` with a
    zero gradient, as in jax.nn. A row whose unmasked entries are all
    :math:`-\\infty`, or any :math:`+\\infty` entry, gives ``nan`` as in jax.nn.
    The gradient, :math:`t - \\langle \\mathrm{softmax}(x), t\\rangle`, is JAX's
    derivative of these operations, as in jax.nn (a hand-written rule, which takes a
    second exponential per entry, is slower).

    Framework differences: as for :func:`softmax`, PyTorch names the axis ``dim`` and
    it should be given explicitly; Keras and jax.nn default to the last axis.

    References
    ----------
    .. [1] J. S. Bridle, "Probabilistic interpretation of feedforward classification
       network outputs, with relationships to statistical pattern recognition",
       Neurocomputing, Springer, 1990.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> [round(v, 4) for v in flaxact.log_softmax([0.0, 0.0, 0.0, 0.0]).tolist()]
    [-1.3863, -1.3863, -1.3863, -1.3863]
    >>> flaxact.log_softmax([0.0, 5.0, 0.0], where=[True, False, True])
    Array([-0.6931472,       -inf, -0.6931472], dtype=float32)
    >>> float(flaxact.log_softmax([0.0, -200.0])[1])
    -200.0
    """
    return along_axes("log_softmax", x, axis, where, _log_softmax_value, _log_softmax_tangent)


@precise_form("log_softmax")
def precise_log_softmax(x: ArrayLike, axis: Any = -1, where: ArrayLike | None = None) -> jax.Array:
    r"""Log-softmax in which a dominant logit's log-probability keeps its digits.

    The accurate form of :func:`flaxact.log_softmax`, with the same signature and
    behaviour, at a higher cost than jax.nn's log_softmax (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input logits. Integer and bool input is promoted to float.
    axis : int, tuple of int or None, default -1
        The axis or axes normalised over; ``None`` normalises over every axis.
    where : array_like of bool, optional
        Entries to include, broadcast against ``x``. Masked-out entries give
        :math:`-\infty`.

    Returns
    -------
    jax.Array
        Log-probabilities with the shape and float dtype of ``x``, all :math:`\le 0`.

    See Also
    --------
    flaxact.log_softmax : The default, at jax.nn's cost.

    Examples
    --------
    >>> import flaxact
    >>> from flaxact import precise
    >>> f"{float(precise.log_softmax([0.0, -20.0])[0]):.4e}"
    '-2.0612e-09'
    >>> float(flaxact.log_softmax([0.0, -20.0])[0])
    0.0
    """
    return along_axes("precise.log_softmax", x, axis, where, _log_softmax_precise)


# ------------------------------------------------------------------------- logsumexp


def _lse_exps(
    a: jax.Array, mask: jax.Array | None, axes: tuple[int, ...]
) -> tuple[jax.Array, jax.Array]:
    """``(m, exp(a - m))``: the finite maximum (0 for an empty row) as a constant, masked
    entries' exponentials 0; half-precision ``a`` widened after the maximum (see _shift)."""
    m = jnp.max(a, axis=axes, keepdims=True, where=mask, initial=-jnp.inf)
    m = wide(lax.stop_gradient(jnp.where(jnp.isfinite(m), m, jnp.zeros_like(m))))
    xs = a if mask is None else jnp.where(mask, a, -jnp.inf)
    return m, jnp.exp(wide(xs) - m)


@functools.partial(jax.jit, static_argnums=2, static_argnames="mean")
def _lse(
    a: jax.Array,
    mask: jax.Array | None,
    axes: tuple[int, ...],
    b: jax.Array | None = None,
    mean: bool = False,
) -> tuple[jax.Array, jax.Array]:
    """``(log|sum(b exp(a))|, sign(sum))`` with the reduced axes kept, differentiated by JAX
    as written; ``mean=True``: ``log|sum / n|``, ``n`` the number of (unmasked) entries.

    jax.nn's ops (see :func:`_shift`), except that an empty sum (every entry ``-inf``,
    masked out or weighted 0) is ``-inf`` with a zero gradient: ``log`` is taken of 1
    there and the result selected, so that the gradient is not ``0 * inf``. The select
    is on the reduced shape and costs nothing measurable. A mean of no entry at all
    (an empty axis, every entry masked out) is ``0 / 0``: ``nan``, as in jax.nn.
    """
    m, e = _lse_exps(a, mask, axes)
    total = jnp.sum(e if b is None else e * b, axis=axes, keepdims=True, where=mask)
    mag = total if b is None else jnp.abs(total)
    if mean:
        # log(sum / n), not jax.nn's log(sum) - log(n): the division (on the reduced
        # shape) rounds once, where the difference of two logarithms of about log(n)
        # each cancels their rounding errors into the result.
        if mask is None:
            n = float(math.prod(a.shape[i] for i in axes))
        else:
            n = jnp.sum(mask, axis=axes, keepdims=True, dtype=mag.dtype)
        mag = mag / n
    empty = mag == 0
    # log(1) where empty, and -inf added there as a constant: adds, not selects, so the
    # backward pass keeps one divisor per row (a select keeps its flag and a filler)
    off = lax.stop_gradient(jnp.where(empty, -jnp.inf, 0.0).astype(mag.dtype))
    return jnp.log(mag + empty.astype(mag.dtype)) + (m + off), jnp.sign(total)


@activation(
    family="normalizing",
    formula=r"\mathrm{logsumexp}(a) = \log \sum_i b_i\, e^{a_i}",
    derivative=r"\frac{\partial\, \mathrm{logsumexp}(a)}{\partial a_j} = "
    r"\frac{b_j e^{a_j}}{\sum_i b_i e^{a_i}} \;(= \mathrm{softmax}(a)_j \text{ for } b = 1)",
    output_range=(-_INF, _INF),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=False,
    elementwise=False,
    jax_nn="logsumexp",
    ulp_f32=1.0,
    ulp_floor=1.0,
)
def logsumexp(
    a: ArrayLike,
    axis: Axis = None,
    b: ArrayLike | None = None,
    keepdims: bool = False,
    return_sign: bool = False,
    where: ArrayLike | None = None,
) -> jax.Array | tuple[jax.Array, jax.Array]:
    """Log of a (weighted) sum of exponentials, without overflow.

    Parameters
    ----------
    a : array_like
        Input. Integer and bool input is promoted to float.
    axis : int, tuple of int or None, default None
        Axis or axes reduced over; ``None`` (the default, as in jax.nn and SciPy)
        reduces over every axis.
    b : array_like, optional
        Weights :math:`b_i` of the exponentials, broadcast against ``a``. They may be
        negative; then use ``return_sign``.
    keepdims : bool, default False
        Keep the reduced axes as dimensions of size 1.
    return_sign : bool, default False
        Return ``(log|sum|, sign(sum))`` instead of ``log(sum)``.
    where : array_like of bool, optional
        Entries to include in the sum, broadcast against ``a``.

    Returns
    -------
    jax.Array or tuple of jax.Array
        The reduction, in the float dtype of ``a`` (promoted with ``b``); with
        ``return_sign`` a pair ``(result, sign)``. Without ``return_sign`` a negative
        sum gives ``nan``.

    See Also
    --------
    log_softmax : ``a - logsumexp(a, axis, keepdims=True)``.
    softmax : The gradient of ``logsumexp``.

    Notes
    -----
    The maximum :math:`m` along ``axis`` is factored out,
    :math:`m + \\log\\sum_i b_i e^{a_i - m}`, so no exponential overflows. These are
    jax.nn's operations, and so its speed and accuracy: a result near 0 has an absolute
    error of a few :math:`2^{-24}` (``logsumexp([0, -20])`` is 0, not
    :math:`2.06 \\times 10^{-9}`; keeping those digits costs two more reductions over
    the row). Entries with
    :math:`b_i = 0` are dropped even when :math:`a_i = \\pm\\infty`. bfloat16 and
    float16 input is computed in float32 and rounded once. An empty sum (empty axis,
    all entries masked out, or all :math:`-\\infty`) gives :math:`-\\infty` with a zero
    gradient instead of jax.nn's ``nan`` gradient for all-:math:`-\\infty` input.
    Complex input, which jax.nn accepts, raises ``TypeError`` here: flaxact is
    defined on real input.

    References
    ----------
    .. [1] P. Blanchard, D. J. Higham and N. J. Higham, "Accurately computing the
       log-sum-exp and softmax functions", IMA J. Numer. Anal. 41(4), 2021.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> round(float(flaxact.logsumexp([0.0, 0.0])), 6)
    0.693147
    >>> round(float(flaxact.logsumexp([1000.0, 1000.0])), 3)
    1000.693
    >>> flaxact.logsumexp([[0.0, 0.0], [1.0, -jnp.inf]], axis=1)
    Array([0.6931472, 1.       ], dtype=float32)
    >>> res, sign = flaxact.logsumexp([0.0, 0.0], b=[1.0, -2.0], return_sign=True)
    >>> float(res), float(sign)
    (0.0, -1.0)
    """
    a = float_input(a, "logsumexp", "a")
    if b is not None:
        b = float_input(b, "logsumexp", "b")
        dtype = jnp.result_type(a, b)
    else:
        dtype = a.dtype
    axes = _axes(a, axis, "logsumexp")
    mask = _mask(where, a, "logsumexp")
    cdt = compute_dtype(dtype)
    if b is None and not return_sign:
        return _lse_reduce(a.astype(dtype), mask, axes, keepdims, False)
    aw = a.astype(cdt)
    if b is not None:
        try:
            aw, bw = jnp.broadcast_arrays(aw, b.astype(cdt))
        except ValueError as err:
            raise ValueError(
                f"flaxact.logsumexp: argument 'b' of shape {b.shape} does not broadcast "
                f"against 'a' of shape {a.shape}"
            ) from err
        aw = jnp.where(bw != 0, aw, -jnp.inf)
        mask = (bw != 0) if mask is None else jnp.broadcast_to(mask, aw.shape) & (bw != 0)
    else:
        bw = None
    out, sign = _lse(aw, mask, axes, bw)
    if bw is not None and not return_sign:
        out = jnp.where(sign < 0, jnp.nan, out)
    if not keepdims:
        out = jnp.squeeze(out, axis=axes)
        sign = jnp.squeeze(sign, axis=axes)
    out = out.astype(dtype)
    if return_sign:
        return out, sign.astype(dtype)
    return out


# ------------------------------------------------------------------------ logmeanexp


def _lse_reduce_jvp(axes, keepdims, mean, primals, tangents):
    # The gradient of both is softmax(x), and the backward pass keeps it alone, in the
    # input's dtype (as jax.nn's logsumexp does): not the exponentials and their sum
    x, mask = primals
    y = _lse_reduce(x, mask, axes, keepdims, mean)
    # softmax from the value's own exponentials and sum (one pass over x for both)
    _, e = _lse_exps(x, mask, axes)
    total = jnp.sum(e, axis=axes, keepdims=True, where=mask)
    # an empty sum (every entry -inf or masked out) has a zero gradient, not 0 / 0
    s = (e / jnp.where(total == 0, 1.0, total)).astype(x.dtype)

    @narrow_residuals
    def rule(s, t, mask):
        out = jnp.sum(wide(s) * wide(t), axis=axes, keepdims=keepdims, where=mask)
        return out.astype(s.dtype)

    return y, rule(s, tangents[0], mask)


@functools.partial(jax.jit, static_argnums=(2, 3, 4))
@custom_jvp(_lse_reduce_jvp, nondiff_argnums=(2, 3, 4))
def _lse_reduce(
    x: jax.Array, mask: jax.Array | None, axes: tuple[int, ...], keepdims: bool, mean: bool
) -> jax.Array:
    """logsumexp (``mean``: logmeanexp) without weights, computed wide, rounded once."""
    out = _lse(x, mask, axes, None, mean=mean)[0]
    return (out if keepdims else jnp.squeeze(out, axis=axes)).astype(x.dtype)


@activation(
    family="normalizing",
    formula=r"\mathrm{logmeanexp}(x) = \log \frac{1}{n} \sum_{i=1}^{n} e^{x_i}",
    derivative=r"\frac{\partial\, \mathrm{logmeanexp}(x)}{\partial x_j} = "
    r"\frac{e^{x_j}}{\sum_i e^{x_i}} = \mathrm{softmax}(x)_j",
    output_range=(-_INF, _INF),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=False,
    elementwise=False,
    jax_nn="logmeanexp",
    ulp_f32=3.0,
    ulp_floor=1.0,
)
def logmeanexp(
    x: ArrayLike,
    axis: Axis = None,
    where: ArrayLike | None = None,
    keepdims: bool = False,
) -> jax.Array:
    """Log of the mean of exponentials, without overflow: ``logsumexp(x) - log(n)``.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float.
    axis : int, tuple of int or None, default None
        Axis or axes averaged over; ``None`` (the default, as in jax.nn) averages over
        every axis.
    where : array_like of bool, optional
        Entries to include, broadcast against ``x``; :math:`n` counts them.
    keepdims : bool, default False
        Keep the reduced axes as dimensions of size 1.

    Returns
    -------
    jax.Array
        The reduction, in the float dtype of ``x``.

    Raises
    ------
    TypeError
        For complex or non-numeric ``x``, or an ``axis`` that is not an int, a tuple of
        ints or ``None``.
    ValueError
        For an ``axis`` out of range or repeated, or a ``where`` that does not broadcast
        against ``x``.

    See Also
    --------
    logsumexp : The log of the sum; ``logmeanexp`` is it minus :math:`\\log n`.
    softmax : The gradient of ``logmeanexp``.

    Notes
    -----
    The maximum :math:`m` along ``axis`` is factored out, as in :func:`logsumexp`, and
    the result formed as :math:`m + \\log\\big(\\tfrac{1}{n}\\sum_i e^{x_i - m}\\big)`:
    the sum is divided by :math:`n` before the logarithm is taken. jax.nn subtracts
    :math:`\\log n` after it, which cancels: the two logarithms are each about
    :math:`\\log n` and rounded, and their rounding errors stay in a result that may be
    much smaller (the mean of equal entries is the entry itself). The division is on
    the reduced shape, so the cost is jax.nn's: the same passes over the data. A result
    near 0 still has an absolute error of a few :math:`2^{-24}`, as in
    :func:`logsumexp`. bfloat16 and float16 input is computed in float32 and rounded
    once.

    Empty and masked means follow jax.nn: the mean of no entry at all (an empty axis,
    or every entry masked out) is :math:`0/0`, ``nan``, with a zero gradient; a row
    whose entries are all :math:`-\\infty` has mean 0 and gives :math:`-\\infty`, with
    a zero gradient (jax.nn's gradient is ``nan`` there). Any :math:`+\\infty` entry
    gives :math:`+\\infty`, any ``nan`` gives ``nan``. Complex input, which jax.nn
    accepts, raises ``TypeError`` here: flaxact is defined on real input.

    Framework differences: PyTorch and Keras have no such function (subtract
    :math:`\\log n` from their ``logsumexp``, which cancels as jax.nn's form does);
    TensorFlow Probability's ``reduce_logmeanexp`` has no mask.

    References
    ----------
    .. [1] Y. Burda, R. Grosse and R. Salakhutdinov, "Importance weighted
       autoencoders", ICLR 2016.
    .. [2] P. Blanchard, D. J. Higham and N. J. Higham, "Accurately computing the
       log-sum-exp and softmax functions", IMA J. Numer. Anal. 41(4), 2021.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> float(flaxact.logmeanexp([3.0, 3.0, 3.0]))
    3.0
    >>> round(float(flaxact.logmeanexp([0.0, 2.0])), 6)  # log((1 + e^2) / 2)
    1.433781
    >>> flaxact.logmeanexp([[1.0, -jnp.inf], [2.0, 2.0]], axis=1)
    Array([0.30685282, 2.        ], dtype=float32)
    >>> flaxact.logmeanexp([[1.0, 5.0], [1.0, 5.0]], axis=1, where=[[True, False], [False, False]])
    Array([ 1., nan], dtype=float32)
    """
    x = float_input(x, "logmeanexp")
    axes = _axes(x, axis, "logmeanexp")
    return _lse_reduce(x, _mask(where, x, "logmeanexp"), axes, keepdims, True)


# ----------------------------------------------------------------------- standardize


@activation(
    family="normalizing",
    formula=r"\mathrm{standardize}(x)_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}},"
    r"\quad \mu = \tfrac{1}{n}\sum_j x_j,\ \sigma^2 = \tfrac{1}{n}\sum_j (x_j - \mu)^2",
    derivative=r"\frac{\partial y_i}{\partial x_j} = \frac{1}{\sqrt{\sigma^2+\epsilon}}"
    r"\Big(\delta_{ij} - \frac{1}{n} - \frac{(x_i-\mu)(x_j-\mu)}{n(\sigma^2+\epsilon)}\Big)",
    output_range=(-_INF, _INF),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=True,
    elementwise=False,
    jax_nn="standardize",
    ulp_f32=8.0,
)
def standardize(
    x: ArrayLike,
    axis: Axis = -1,
    mean: ArrayLike | None = None,
    variance: ArrayLike | None = None,
    epsilon: ArrayLike = 1e-5,
    where: ArrayLike | None = None,
    *,
    algorithm: str = "fast",
) -> jax.Array:
    """Shift and scale to zero mean and unit variance along an axis.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float.
    axis : int, tuple of int or None, default -1
        Axis or axes the statistics are taken over; ``None`` uses every axis.
    mean : array_like, optional
        The mean to subtract, broadcast against ``x`` (with the reduced axes kept).
        Computed from ``x`` when not given.
    variance : array_like, optional
        The variance to divide by. When not given it is computed from ``x`` (around
        ``mean`` when that is given).
    epsilon : array_like, default 1e-5
        Added to the variance before the square root.
    where : array_like of bool, optional
        Entries used for the mean and variance; every entry is standardised.
    algorithm : {"fast", "stable"}, default "fast"
        How the variance is computed when it is not given: ``"fast"`` (jax.nn's default
        and formula, one pass for both statistics) as
        :math:`\\overline{x^2} - \\bar{x}^2`, clipped at 0, which loses its digits when
        the mean is large compared with the spread; ``"stable"`` subtracts the mean first
        and corrects it by the mean of the deviations (three passes), accurate to a few
        ULP whatever the mean.

    Returns
    -------
    jax.Array
        ``(x - mean) / sqrt(variance + epsilon)``, with the shape of ``x`` and its
        float dtype (promoted with ``mean`` and ``variance`` where given).

    See Also
    --------
    softmax : The other normalisation along an axis.
    flaxact.linen : Flax modules built on these functions.

    Notes
    -----
    **Use ``algorithm="stable"`` for data with a large mean.** The default, jax.nn's
    ``"fast"``, computes :math:`\\overline{x^2} - \\bar{x}^2`: on
    ``[1e4, 1e4+1, 1e4+2, 1e4+3]`` in float32 that returns :math:`\\pm 474` and
    :math:`\\pm 158` instead of :math:`\\pm 1.342` and :math:`\\pm 0.447`, because the
    two terms agree in all their digits. ``"stable"`` (the corrected two-pass algorithm
    of Chan, Golub and LeVeque: the mean of the deviations is subtracted again) is
    accurate to a few ULP whatever the mean, at three passes over the data. A
    one-pass form that does not cancel (the data shifted by one of its entries) still
    costs more than jax.nn's on the CPU, so the default stays jax.nn's, at its cost.

    bfloat16 and float16 input is computed in float32 and rounded once. Empty input
    gives an empty result; statistics over an empty or fully masked axis are ``nan``.

    Framework differences: PyTorch's ``layer_norm`` and Keras' ``LayerNormalization``
    standardise with the same biased (divide by :math:`n`) variance; Keras' default
    epsilon is ``1e-3``, PyTorch's and jax.nn's ``1e-5``.

    References
    ----------
    .. [1] S. Ioffe and C. Szegedy, "Batch normalization: accelerating deep network
       training by reducing internal covariate shift", ICML 2015.
    .. [2] T. F. Chan, G. H. Golub and R. J. LeVeque, "Algorithms for computing the
       sample variance: analysis and recommendations", The American Statistician
       37(3), 1983.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> x = jnp.array([1e4, 1e4 + 1, 1e4 + 2, 1e4 + 3])
    >>> [round(v, 3) for v in flaxact.standardize(x, algorithm="stable").tolist()]
    [-1.342, -0.447, 0.447, 1.342]
    >>> [round(v) for v in flaxact.standardize(x).tolist()]  # jax.nn's formula cancels
    [-474, -158, 158, 474]
    >>> flaxact.standardize([1.0, 3.0], epsilon=0.0)
    Array([-1.,  1.], dtype=float32)
    >>> flaxact.standardize([2.0, 6.0], mean=0.0, variance=4.0, epsilon=0.0)
    Array([1., 3.], dtype=float32)
    """
    if algorithm not in ("stable", "fast"):
        raise ValueError(
            f"flaxact.standardize: argument 'algorithm' must be 'stable' or 'fast'; "
            f"got {algorithm!r}"
        )
    x = float_input(x, "standardize")
    axes = _axes(x, axis, "standardize")
    mask = _mask(where, x, "standardize")
    parts = [x]
    if mean is not None:
        mean = float_input(mean, "standardize", "mean")
        parts.append(mean)
    if variance is not None:
        variance = float_input(variance, "standardize", "variance")
        parts.append(variance)
    eps = float_input(epsilon, "standardize", "epsilon")
    out_dtype = jnp.result_type(*parts)
    cdt = compute_dtype(out_dtype)
    if mean is not None:
        mean = mean.astype(cdt)
    if variance is not None:
        variance = variance.astype(cdt)
    if cdt == out_dtype:
        return _standardize(x, mean, variance, eps.astype(cdt), mask, axes, algorithm)

    # Half-precision input: the backward pass recomputes the float32 statistics from the
    # input as given (rematerialised), so it keeps the narrow input alone, not the float32
    # centred values and their scale (twice the bytes of jax.nn's narrow ones, and more)
    @jax.checkpoint
    def narrow(x, mean, variance, eps):
        y = _standardize(x.astype(cdt), mean, variance, eps.astype(cdt), mask, axes, algorithm)
        return y.astype(out_dtype)

    return narrow(x, mean, variance, eps)


@functools.partial(jax.jit, static_argnums=(5, 6))
def _standardize(xw, mean, variance, eps, mask, axes, algorithm):
    """standardize's arithmetic, in the compute dtype (jitted below, as jax.nn's is)."""
    if mean is None:
        mu = jnp.mean(xw, axis=axes, keepdims=True, where=mask)
        d = xw - mu
        if variance is None and algorithm == "stable":
            # Corrected two-pass: mean(d) is the rounding error of mu; removing it
            # refines both the centre and the variance.
            c = jnp.mean(d, axis=axes, keepdims=True, where=mask)
            d = d - c
    else:
        mu = mean
        d = xw - mu
    if variance is None:
        if algorithm == "stable":
            var = jnp.mean(jnp.square(d), axis=axes, keepdims=True, where=mask)
        else:
            var = jnp.mean(jnp.square(xw), axis=axes, keepdims=True, where=mask)
            var = jnp.maximum(var - jnp.square(mu), 0)
    else:
        var = variance
    return d * lax.rsqrt(var + eps)


# ------------------------------------------------------------------------- sparsemax


def _sparsemax_value(x: jax.Array, axis: int) -> jax.Array:
    """The projection of each slice along ``axis`` onto the probability simplex.

    With :math:`z = x - \\max x` the threshold solves :math:`\\sum_j \\max(z_j - \\tau, 0) = 1`,
    whose left side decreases in :math:`\\tau` from at least 1 at :math:`\\tau = -1` (the
    largest entry alone gives 1) to 0 at :math:`\\tau = 0`. Bisection halves that bracket
    once per bit of the significand, keeping the lower end, whose support contains the
    exact one. Two of Michelot's steps, :math:`\\tau \\mathrel{+}= (\\sum_S (z - \\tau) - 1)/|S|`
    on the support :math:`S` of the current threshold, then drop the entries between the
    bracket's end and the threshold and give the threshold of the support found; they are
    taken on the differences :math:`z - \\tau`, so they sum the outputs (about 1 in all),
    not entries as large as :math:`|S|`. No sort: a pass over the data per bisection step.
    """
    # Shifting by the maximum changes nothing mathematically; it makes the largest entry
    # exactly 0, so the threshold lies in [-1, 0) and the sums are at the support's scale.
    z = x - jnp.max(x, axis=axis, keepdims=True, initial=-jnp.inf)

    def halve(_: Any, bracket: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array]:
        lo, hi = bracket
        mid = (lo + hi) / 2
        above = jnp.sum(jnp.maximum(z - mid, 0), axis=axis, keepdims=True) >= 1
        return jnp.where(above, mid, lo), jnp.where(above, hi, mid)

    hi = jnp.zeros_like(jnp.sum(z, axis=axis, keepdims=True))
    lo, _ = lax.fori_loop(0, jnp.finfo(x.dtype).nmant + 1, halve, (hi - 1, hi))
    # the steps move the threshold by a per-slice c, applied to d once at the end, so that
    # an output is rounded twice (z - lo, then - c) however many steps there are
    d = z - lo
    c = jnp.zeros_like(lo)
    for _ in range(2):
        on = d - c > 0
        excess = jnp.sum(d - c, axis=axis, keepdims=True, where=on) - 1
        c = c + excess / jnp.sum(on, axis=axis, keepdims=True, dtype=d.dtype)
    return jnp.maximum(d - c, 0)


def _sparsemax_jvp(
    axis: int, primals: tuple[Any, ...], tangents: tuple[Any, ...]
) -> tuple[jax.Array, jax.Array]:
    (x,), (t,) = primals, tangents
    p = _sparsemax_impl(x, axis)
    # dp = s (t - <s, t> / |S|) with s the support's indicator: the backward pass keeps
    # one byte per entry (the support) and |S| per slice, not a sort's permutation.
    # The zeros off the support are t - t: a zeros array would be a known value, saved
    # for the backward pass at four bytes an entry (as s as a float would be); t - t is
    # nan only where t is infinite, as s * t would be.
    on = p > 0
    off = t - t
    t_on = lax.select(on, t, off)
    size = jnp.sum(on, axis=axis, keepdims=True, dtype=t.dtype)
    return p, lax.select(on, t - jnp.sum(t_on, axis=axis, keepdims=True) / size, off)


@functools.partial(jax.jit, static_argnums=1)
@custom_jvp(_sparsemax_jvp, nondiff_argnums=(1,))
def _sparsemax_impl(x: jax.Array, axis: int) -> jax.Array:
    return _sparsemax_value(x, axis)


@activation(
    family="normalizing",
    formula=r"\begin{aligned} \mathrm{sparsemax}(x)_i &= \max(x_i - \tau(x), 0), \\ "
    r"\tau(x) &\text{ such that } \textstyle\sum_j \max(x_j - \tau(x), 0) = 1 \end{aligned}",
    derivative=r"\begin{aligned} \frac{\partial\, \mathrm{sparsemax}(x)_i}{\partial x_j} &= s_i "
    r"\Big(\delta_{ij} - \frac{s_j}{|S|}\Big), \\ s_i &= [\mathrm{sparsemax}(x)_i > 0],\ "
    r"|S| = \textstyle\sum_j s_j \end{aligned}",
    output_range=(0.0, 1.0),
    monotonic=None,
    smoothness="C0",
    zero_centered=False,
    elementwise=False,
    ulp_f32=1.0,
    ulp_floor=1.0,
)
def sparsemax(x: ArrayLike, axis: int = -1) -> jax.Array:
    """Sparsemax: the Euclidean projection onto the probability simplex, with exact zeros.

    Parameters
    ----------
    x : array_like
        Input logits. Integer and bool input is promoted to float.
    axis : int, default -1
        The axis projected along (one axis, as in Keras and TensorFlow Addons).

    Returns
    -------
    jax.Array
        Probabilities with the shape and float dtype of ``x``: along ``axis`` they are in
        :math:`[0, 1]`, sum to 1, and every entry at or below the threshold
        :math:`\\tau(x)` is exactly 0.

    Raises
    ------
    TypeError
        For complex or non-numeric ``x``, or an ``axis`` that is not an int.
    ValueError
        For an ``axis`` out of range (a scalar ``x`` has none).

    See Also
    --------
    softmax : The smooth counterpart, never exactly 0.
    softmin : Softmax of ``-x``.

    Notes
    -----
    The closest point to :math:`x` (in the Euclidean norm) with non-negative entries
    summing to 1: :math:`\\max(x - \\tau, 0)`, with the threshold :math:`\\tau` that makes
    the entries sum to 1. Martins and Astudillo find it from the entries sorted in
    decreasing order and their partial sums; flaxact finds it without a sort. After the
    shift by the maximum the threshold lies in :math:`[-1, 0)`, and bisection on the sum
    of :math:`\\max(z - \\tau, 0)` narrows it to one unit of the significand's last bit
    (24 passes over the data in float32, 53 in float64); two of Michelot's steps,
    :math:`\\tau \\mathrel{+}= (\\sum_S (z - \\tau) - 1)/|S|` on the support :math:`S`, then
    settle the support and give its threshold, summing the outputs (about 1 in all)
    rather than entries as large as :math:`|S|`. Entries far enough below the largest
    (by 1 or more, for one dominant entry) are exactly 0, and the output is piecewise
    linear in :math:`x`. The Performance page times it against the sort-based jnp code.

    Numerics: the maximum is subtracted first (the projection does not change), so the
    partial sums are of the support's entries in :math:`(-1, 0]` and the output carries
    an absolute error of a fraction of :math:`2^{-23}` whatever the size of the logits
    (without the shift, logits of 50 round every partial sum to a multiple of
    :math:`2^{-18}`, and the paper's algorithm in jnp is off by dozens of units of
    :math:`2^{-23}`). The zeros are exact and where the exact projection has them, on
    the inputs of the test suite. bfloat16 and float16 input is computed in float32 and
    rounded once.

    Special values: :math:`-\\infty` entries give exactly 0 (a row needs one finite
    entry); a row whose entries are all :math:`-\\infty`, or with any :math:`+\\infty`
    or ``nan`` entry, is ``nan`` throughout, as :func:`softmax` is. A size-1 axis gives
    1; an empty array gives an empty result.

    Gradient: the Jacobian is :math:`\\mathrm{diag}(s) - s s^\\top / |S|` with
    :math:`s` the indicator of the support :math:`S` (the entries above 0), applied
    with ``jax.custom_jvp``; the backward pass keeps the support (one byte per entry) and
    its size, not a sort's permutation. Entries outside the support, :math:`-\\infty`
    ones included, get a zero gradient. Where an entry sits exactly at the threshold
    the function has a kink; the rule then counts that entry (whose output is 0) out of
    the support. Second derivatives are 0 (the function is piecewise linear).

    Framework differences: Keras' ``keras.ops.sparsemax`` and TensorFlow Addons'
    ``sparsemax`` compute the same function (without the shift by the maximum);
    PyTorch has none of its own (the entmax package has one, with ``dim``).

    References
    ----------
    .. [1] A. F. T. Martins and R. F. Astudillo, "From softmax to sparsemax: a sparse
       model of attention and multi-label classification", ICML 2016.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> flaxact.sparsemax([-1.0, 0.0, 1.0])
    Array([0., 0., 1.], dtype=float32)
    >>> flaxact.sparsemax([1.0, 0.5, 0.0, -2.0])
    Array([0.75, 0.25, 0.  , 0.  ], dtype=float32)
    >>> flaxact.sparsemax([1.0, 1.0, 1.0, 1.0])
    Array([0.25, 0.25, 0.25, 0.25], dtype=float32)
    >>> flaxact.sparsemax([3.0, -jnp.inf, 3.5])
    Array([0.25, 0.  , 0.75], dtype=float32)
    """
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"flaxact.sparsemax: argument 'axis' must be an int; got {axis!r}")
    return along_axes("sparsemax", x, axis, None, lambda z, _, axes: _sparsemax_impl(z, axes[0]))


# ------------------------------------------- accurate forms, for flaxact.precise
# softmax and log_softmax with the rounding of x - max carried along (TwoSum) and, in
# log_softmax, the maximum's own term summed apart: their error does not grow with the
# spread of the logits, and a dominant logit's log-probability keeps its digits. The
# extra work on each row splits XLA's fused softmax kernel: several times jax.nn's time.


def _safe_max(
    x: jax.Array, axes: tuple[int, ...], mask: jax.Array | None, *, keep_inf: bool = False
) -> jax.Array:
    """Max over ``axes`` (keepdims, no gradient), used as a shift before exponentiating.

    Subtracting it cannot change the result mathematically. A ``-inf`` maximum (a row
    that is all ``-inf`` or fully masked) is replaced by 0 so that ``x - max`` is not
    ``-inf - -inf``. A ``+inf`` maximum is replaced too unless ``keep_inf``: softmax keeps
    it so that such rows are ``nan`` throughout (``inf / inf``), as in jax.nn, while
    logsumexp drops it and returns the correct ``+inf``.
    """
    m = jnp.max(x, axis=axes, keepdims=True, where=mask, initial=-jnp.inf)
    bad = (m == -jnp.inf) if keep_inf else ~jnp.isfinite(m)
    m = jnp.where(bad, jnp.zeros_like(m), m)
    return lax.stop_gradient(m)


def _shifted_exp(xs: jax.Array, m: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``exp(xs - m)`` without the rounding error of the subtraction.

    ``xs - m`` is split exactly into ``hi + lo`` (Knuth's TwoSum); ``exp(hi) * (1 + lo)``
    then carries only the error of ``exp``. Without the correction the rounding of
    ``xs - m`` (up to half an ULP of a number as large as 20 for typical logits) shows
    up as ~20 float32 ULP of relative error in softmax. Returns ``(hi, lo, exp)``.
    """
    hi = xs - m
    bb = hi - xs
    lo = (xs - (hi - bb)) + (-m - bb)
    lo = jnp.where(jnp.isfinite(lo), lo, jnp.zeros_like(lo))
    return hi, lo, jnp.exp(hi) * (1 + lo)


def _log1p_rest(hi: jax.Array, e: jax.Array, axes: tuple[int, ...]) -> jax.Array:
    """``log(sum(e))`` as ``log1p(sum - 1)``, where the ``-1`` is taken out exactly.

    Entries at the maximum have ``hi == 0`` and ``e == 1``; leaving one of them out of
    the sum (and the others as exact integers) keeps every digit of the small rest, so
    that ``log_softmax`` of a dominant logit and ``logsumexp([0, -20])`` are accurate
    to the last bit instead of rounding to 0 (Blanchard, Higham and Higham, 2021).
    A sum with no entry at the maximum (all ``-inf``) gives ``log1p(-1) = -inf``.
    """
    at_max = hi == 0
    others = jnp.sum(jnp.where(at_max, jnp.zeros_like(e), e), axis=axes, keepdims=True)
    count = jnp.sum(at_max, axis=axes, keepdims=True).astype(e.dtype)
    return jnp.log1p(others + (count - 1))


def _softmax_precise_value(
    x: jax.Array, axes: tuple[int, ...], mask: jax.Array | None
) -> jax.Array:
    xs = x if mask is None else jnp.where(mask, x, -jnp.inf)
    _, _, e = _shifted_exp(xs, _safe_max(x, axes, mask, keep_inf=True))
    s = e / jnp.sum(e, axis=axes, keepdims=True)
    if mask is not None:
        # Masked entries, and rows with no entry left, are exactly 0.
        s = jnp.where(mask, s, jnp.zeros_like(s))
    return s


def _softmax_precise_jvp(
    axes: tuple[int, ...], primals: tuple[Any, ...], tangents: tuple[Any, ...]
) -> tuple[jax.Array, jax.Array]:
    x, mask = primals
    t = tangents[0]
    s = _softmax_precise(x, mask, axes)
    # ds_i = s_i (dx_i - sum_j s_j dx_j). Masked and -inf entries have s = 0: their
    # tangents are dropped so that neither 0 * inf nor a masked tangent can leak in.
    t = jnp.where(s > 0, t, jnp.zeros_like(t))
    return s, s * (t - jnp.sum(s * t, axis=axes, keepdims=True))


@custom_jvp(_softmax_precise_jvp, nondiff_argnums=(2,))
def _softmax_precise(x: jax.Array, mask: jax.Array | None, axes: tuple[int, ...]) -> jax.Array:
    return _softmax_precise_value(x, axes, mask)


def _log_softmax_precise_value(
    x: jax.Array, axes: tuple[int, ...], mask: jax.Array | None
) -> jax.Array:
    xs = x if mask is None else jnp.where(mask, x, -jnp.inf)
    hi, lo, e = _shifted_exp(xs, _safe_max(x, axes, mask, keep_inf=True))
    out = hi - (_log1p_rest(hi, e, axes) - lo)
    if mask is not None:
        out = jnp.where(mask, out, jnp.full_like(out, -jnp.inf))
    return out


def _log_softmax_precise_jvp(
    axes: tuple[int, ...], primals: tuple[Any, ...], tangents: tuple[Any, ...]
) -> tuple[jax.Array, jax.Array]:
    x, mask = primals
    t = tangents[0]
    # The custom function itself, not its value path, so that higher derivatives use
    # this rule again (the value path freezes the maximum's term and is not
    # differentiable on its own).
    out = _log_softmax_precise(x, mask, axes)
    s = jnp.exp(out)
    t = jnp.where(s > 0, t, jnp.zeros_like(t))
    dt = t - jnp.sum(s * t, axis=axes, keepdims=True)
    if mask is not None:
        dt = jnp.where(mask, dt, jnp.zeros_like(dt))
    return out, dt


@custom_jvp(_log_softmax_precise_jvp, nondiff_argnums=(2,))
def _log_softmax_precise(x: jax.Array, mask: jax.Array | None, axes: tuple[int, ...]) -> jax.Array:
    return _log_softmax_precise_value(x, axes, mask)


# --------------------------------------------------------------------------- one_hot


def _num_classes(num_classes: Any) -> int:
    if isinstance(num_classes, (bool, np.bool_)):
        raise TypeError(
            f"flaxact.one_hot: argument 'num_classes' must be an int; got {num_classes!r}"
        )
    if isinstance(num_classes, jax.core.Tracer):
        # jax's own class for this (a TypeError), so code that catches it keeps working
        raise jax.errors.ConcretizationTypeError(
            num_classes,
            "flaxact.one_hot: argument 'num_classes' must be a concrete Python int (it sets "
            "the output shape, so it cannot be traced; mark it static under jit)",
        )
    try:
        n = operator.index(num_classes)
    except TypeError as err:
        raise TypeError(
            "flaxact.one_hot: argument 'num_classes' must be an int; got "
            f"{type(num_classes).__name__} {num_classes!r}"
        ) from err
    if n < 0:
        raise ValueError(f"flaxact.one_hot: argument 'num_classes' must be non-negative; got {n}")
    return n


@activation(
    family="normalizing",
    formula=r"\mathrm{one\_hot}(x)_{k} = \begin{cases} 1, & x = k \\ 0, & \text{otherwise}"
    r"\end{cases}, \quad k = 0, \dots, n - 1",
    derivative=r"\text{piecewise constant: zero gradient (not differentiable in } x)",
    output_range=(0.0, 1.0),
    monotonic=None,
    smoothness="discontinuous",
    zero_centered=False,
    elementwise=False,
    jax_nn="one_hot",
    ulp_f32=0.0,
)
def one_hot(
    x: Any,
    num_classes: int,
    *,
    dtype: Any | None = None,
    axis: int | Hashable = -1,
    out_sharding: Any = None,
) -> jax.Array:
    """Encode integer class indices as one-hot vectors.

    Parameters
    ----------
    x : array_like
        Class indices, any integer dtype (bool counts as 0/1). Float input is accepted
        with a ``DeprecationWarning``, as jax.nn does: an entry selects class ``k`` when
        it equals ``k``.
    num_classes : int
        Number of classes, the length of the new axis. Must be a concrete
        non-negative int (static under ``jit``).
    dtype : dtype, optional
        Output dtype; JAX's default float dtype when not given.
    axis : int or hashable, default -1
        Position of the new axis in the output. A name of a mapped axis (from
        ``vmap(..., axis_name=...)`` or ``shard_map``) encodes along that axis instead,
        as in jax.nn.
    out_sharding : jax.sharding.NamedSharding or jax.sharding.PartitionSpec, optional
        Sharding of the output, as in jax.nn (a ``PartitionSpec`` needs a mesh in
        context, ``jax.sharding.use_mesh``); ``None`` leaves it to XLA.

    Returns
    -------
    jax.Array
        ``x.shape`` with a new axis of length ``num_classes`` at ``axis``; 1 where the
        position equals the index, 0 elsewhere.

    See Also
    --------
    softmax : A soft version of the same encoding.

    Notes
    -----
    Indices outside :math:`[0, n)`, negative ones included, give an all-zero row, as in
    jax.nn and Keras. **jax.nn compares in the dtype of the indices**, so for uint8
    and int8 input with more than 256 (128) classes its class counter wraps around:
    ``jax.nn.one_hot(jnp.uint8(10), 300)`` sets classes 10 *and* 266, and
    ``jax.nn.one_hot(jnp.int8(-1), 300)`` sets class 255. Here the range is checked in
    the index dtype and the comparison made in an integer type wide enough for
    ``num_classes``, so every index selects exactly its own class.

    ``num_classes = 0`` gives an empty trailing axis, as in jax.nn. A traced
    ``num_classes`` raises ``jax.errors.ConcretizationTypeError`` (a ``TypeError``), as
    jax.nn does: the output shape depends on it. Float indices work but warn with a
    ``DeprecationWarning``, as jax.nn's do: pass integers.
    PyTorch's ``one_hot`` returns int64, raises on out-of-range indices and infers
    the class count when ``num_classes=-1``; Keras' and jax.nn's do neither.

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio and A. Courville, "Deep Learning", MIT Press,
       2016, section 6.2.2.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> flaxact.one_hot(jnp.array([0, 2, 3, -1]), 3)
    Array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.],
           [0., 0., 0.]], dtype=float32)
    >>> y = flaxact.one_hot(jnp.uint8(10), 300)
    >>> jnp.flatnonzero(y).tolist()
    [10]
    >>> flaxact.one_hot(jnp.array([1, 0]), 2, dtype=jnp.int32, axis=0)
    Array([[0, 1],
           [1, 0]], dtype=int32)
    """
    out = _one_hot(x, num_classes, dtype, axis)
    # jax.nn lays the output out as asked; the values do not depend on it
    return out if out_sharding is None else jax.sharding.reshard(out, out_sharding)


def _one_hot(x: Any, num_classes: Any, dtype: Any, axis: Any) -> jax.Array:
    n = _num_classes(num_classes)
    x = real_input(x, "one_hot")
    if jnp.issubdtype(x.dtype, jnp.floating):
        warnings.warn(
            f"flaxact.one_hot: argument 'x' should be integer-typed; got dtype={x.dtype} "
            "(float indices are deprecated in jax.nn.one_hot too)",
            DeprecationWarning,
            stacklevel=3,
        )
    out_dtype = jnp.result_type(float) if dtype is None else jnp.dtype(dtype)
    if x.dtype == jnp.bool_:
        x = x.astype(jnp.int32)
    if not isinstance(axis, (int, np.integer)):
        # A named (vmapped / shard_map) axis: this device's position along it is the class.
        size = lax.axis_size(axis)
        if size != n:
            raise ValueError(
                f"flaxact.one_hot: argument 'num_classes'={n} must equal the size {size} "
                f"of the named axis {axis!r}"
            )
        idx = lax.axis_index(axis)
        return (x == idx.astype(x.dtype)).astype(out_dtype)
    if isinstance(axis, bool) or not -(x.ndim + 1) <= axis < x.ndim + 1:
        raise ValueError(
            f"flaxact.one_hot: argument 'axis'={axis!r} is out of range for the output's "
            f"{x.ndim + 1} dimension(s)"
        )
    pos = int(axis) % (x.ndim + 1)
    idx_dtype = jnp.dtype(jnp.int32) if n <= np.iinfo(np.int32).max else jnp.dtype(jnp.int64)
    if jnp.issubdtype(x.dtype, jnp.integer):
        valid = x >= 0
        if n <= np.iinfo(x.dtype).max:
            valid = valid & (x < jnp.asarray(n, x.dtype))
    else:
        valid = (x >= 0) & (x < n) & (jnp.floor(x) == x)
    idx = jnp.where(valid, x, jnp.zeros((), x.dtype)).astype(idx_dtype)
    idx = jnp.where(valid, idx, jnp.asarray(-1, idx_dtype))
    shape = [1] * (x.ndim + 1)
    shape[pos] = n
    classes = lax.broadcasted_iota(idx_dtype, tuple(shape), pos)
    return (jnp.expand_dims(idx, pos) == classes).astype(out_dtype)
