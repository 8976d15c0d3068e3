"""Float32 building blocks more accurate than XLA's CPU primitives.

Measured on XLA's CPU backend (max error over a dense float32 grid against float64):
``exp`` 0.99 ULP and ``log`` 1.1 ULP are good, but ``expm1`` reaches 5.2 ULP, ``tanh``
4.4, ``log1p`` 2.4 and ``logistic`` 2.5. The kernels here are built from ``exp``,
``log`` and short polynomials (near-minimax, fitted at Chebyshev nodes against
mpmath), and keep every intermediate free of cancellation. They take and return
float32 (or float64) arrays; callers upcast half precision first.

float64 (with ``jax_enable_x64``) takes XLA's own ``exp``, ``expm1`` and ``tanh`` instead of
the polynomials, which are fitted to float32 accuracy (XLA's float64 versions are
accurate), and a longer split of ln 2 in the tail shift.

XLA's algebraic simplifier rewrites ``(1 + x) - 1`` to ``x``, which silently removes the
rounding-error terms these kernels rely on; :func:`keep` (an optimisation barrier, free
at run time) pins the rounded value.

Double-float helpers (:func:`two_prod`, :func:`mul_const`) carry the rounding error of
a product: activations of the form ``f(c * x)`` need it, because ``exp`` multiplies a
relative error ``d`` of its argument ``u`` into ``|u| * d`` of its result.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import jax
import jax.numpy as jnp
import jaxlib
import numpy as np
from jax import lax

from ._core import custom_jvp


def _release(version: str) -> tuple[int, ...]:
    """``"0.12.1"`` as ``(0, 12, 1)`` (a suffix such as ``.dev`` or ``rc1`` ends it)."""
    out = []
    for part in version.split("."):
        digits = "".join(c for c in part if c.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        out.append(int(digits))
        if not part.isdigit():
            break
    return tuple(out)


#: The XLA that jaxlib ships decides which primitives are accurate. From jaxlib 0.12.0 XLA's
#: own ``expm1`` is within one ULP in float32, from 0.12.1 its ``log1p`` within about 1.3 ULP
#: too (``tests/library/test_kernels.py`` measures both, against the installed jaxlib): the kernels
#: below then take XLA's primitive, which jax.nn uses too, rather than the longer forms built
#: from ``exp`` and ``log`` that older XLAs need. Decided once, at import, from the version
#: string: a trace-time choice that costs nothing at run time.
JAXLIB = _release(jaxlib.__version__)
#: jax's own version, for choices that follow jax.nn's formulas rather than XLA's primitives
JAX = _release(jax.__version__)
XLA_EXPM1 = JAXLIB >= (0, 12, 0)
XLA_LOG1P = JAXLIB >= (0, 12, 1)

# (expm1(x) - x) / x**2 on [-0.7, 1.5], degree 8: relative error 7.5e-10.
_EXPM1_Q = (
    0.49999999993447947,
    0.1666666693890669,
    0.04166666889551487,
    0.008333298110501954,
    0.0013888906157216913,
    0.00019853178832496184,
    2.4733830227954976e-05,
    2.64549792857614e-06,
    3.90703534451169e-07,
)
# (expm1(x) - x) / x**2 on [-0.7, 0], degree 5: relative error 2.7e-9 (float32 coefficients,
# least squares at Chebyshev nodes against mpmath, each rounding absorbed by the terms above)
_EXPM1_NEG_Q = (
    0.5,
    0.16666658222675323,
    0.041664958000183105,
    0.00832204520702362,
    0.0013559740036725998,
    0.00015370541950687766,
)
#: Below this, ``exp(x) - 1`` is at most -0.5 and rounds once (:func:`expm1_neg_poly`).
EXPM1_NEG_CUT = -0.7
# (tanh(x) - x) / x**3 as a polynomial in x**2 on x in [0, 0.55], degree 5: 1.1e-9.
_TANH_R = (
    -0.3333333329502591,
    0.13333324200007104,
    -0.05396470044510126,
    0.021818449128128102,
    -0.008526333055892323,
    0.002526390708007601,
)


def keep(v: jax.Array) -> jax.Array:
    """``v`` as rounded, hidden from rewrites that would change what an error-free
    transform sees.

    Two rewrites break them. XLA's algebraic simplifier turns ``(1 + x) - 1`` into ``x``
    (the optimisation barrier stops it), and XLA's CPU backend contracts a multiply
    feeding an add into one fused multiply-add, so the product ``v`` an error-free sum
    was written for is never rounded (the ``v == v`` select, which keeps NaN as NaN,
    stops that: LLVM does not fuse across it). Both cost next to nothing on the XLA of
    jaxlib < 0.12. From jaxlib 0.12 the select alone hides ``v`` from both rewrites, and the
    barrier would split the surrounding loop into two kernels (an intermediate array written
    and read back), so it is left out there.
    """
    if JAXLIB < (0, 12):
        v = lax.optimization_barrier(v)
    return jnp.where(v == v, v, jnp.nan)


def neg_abs(x: jax.Array) -> jax.Array:
    """``-|x|`` with derivative ``-sign(x)`` and ``-1`` at 0 (``jnp.abs`` has 0 there).

    The exponential forms below switch branch on the sign of ``x``; with this the
    derivative of each branch, and so second derivatives, stay right at ``x = 0``.
    """
    return jnp.where(x < 0, x, -x)


def exp(x: jax.Array) -> jax.Array:
    """``exp(x)`` to 1.5 ULP up to overflow (XLA's CPU ``exp`` reaches 5 ULP above 88).

    Above 80 it is ``exp(x - 4 ln 2) * 16``: ``x - 4 ln2_hi`` is exact, the low part of
    ``4 ln 2`` enters as ``r - r c`` (one rounding), the factor 16 is exact. One ``exp``
    of a shifted argument, not a select between two (which would compute both).
    """
    if x.dtype == jnp.float64:
        return jnp.exp(x)
    high = x > 80.0
    k = jnp.where(high, 4.0, 0.0).astype(x.dtype)
    r = times_one_plus(jnp.exp(x - k * _LN2_HI), -k * _LN2_LO, may_be_inf=True)
    return r * jnp.where(high, 16.0, 1.0).astype(x.dtype)


def times_one_plus(r: jax.Array, c: jax.Array, *, may_be_inf: bool = False) -> jax.Array:
    """``r * (1 + c)`` for a small ``c`` (the low part of an exponent) as ``r + r c``.

    One rounding: ``1 + c`` rounded on its own first costs up to half an ULP.
    ``may_be_inf``: keep ``r = ±inf`` as it is (``inf + inf * c`` is nan where ``c < 0``
    or ``c = 0``); callers whose ``r`` is finite skip the select.
    """
    out = r + r * c
    return jnp.where(jnp.isinf(r), r, out) if may_be_inf else out


def _horner(coefs: tuple[float, ...], t: jax.Array) -> jax.Array:
    acc = jnp.full_like(t, coefs[-1])
    for c in reversed(coefs[:-1]):
        acc = acc * t + c
    return acc


def expm1(x: jax.Array) -> jax.Array:
    """``exp(x) - 1`` to ~1.5 ULP: a polynomial on [-0.7, 1.5], ``exp(x) - 1`` outside.

    Outside the polynomial's interval the subtraction loses at most a factor
    ``e^x / |e^x - 1| < 1.3`` of ``exp``'s error.
    """
    if x.dtype == jnp.float64 or XLA_EXPM1:
        return jnp.expm1(x)
    inner = (x > -0.7) & (x < 1.5)
    xi = jnp.where(inner, x, jnp.zeros_like(x))
    return jnp.where(inner, expm1_poly(xi), exp(x) - 1)


def expm1_poly(x: jax.Array) -> jax.Array:
    """The polynomial of :func:`expm1` alone, for callers whose ``x`` is in [-0.7, 1.5]."""
    if x.dtype == jnp.float64:
        return jnp.expm1(x)
    return x + (x * x) * _horner(_EXPM1_Q, x)


def expm1_neg_poly(x: jax.Array) -> jax.Array:
    """``exp(x) - 1`` for ``x`` in [-0.7, 0] (:data:`EXPM1_NEG_CUT`): ``x + x**2 Q(x)``, degree 5.

    About 1 ULP on that interval (float32); below it, ``exp(x) - 1`` is accurate as it
    stands (``|exp(x) - 1| >= 0.5 > exp(x)``, so the subtraction adds one rounding). Degree
    5 where :func:`expm1_poly` needs 8 for its wider interval. Outside the interval the
    value is meaningless (it may overflow): callers select it away.
    """
    if x.dtype == jnp.float64:
        return jnp.expm1(x)
    return x + (x * x) * _horner(_EXPM1_NEG_Q, x)


def expm1_neg_q(x: jax.Array) -> jax.Array:
    """``Q(x) = (exp(x) - 1 - x) / x**2`` of :func:`expm1_neg_poly` (float32 fit), on [-0.7, 0].

    For callers that know ``c * x`` exactly (``c expm1(x) = c x + (c x x) Q(x)``).
    """
    return _horner(_EXPM1_NEG_Q, x)


def log1p(x: jax.Array) -> jax.Array:
    """``log(1 + x)`` for ``x > -1``: ``log(u)`` with ``u = 1 + x`` corrected for the rounding of ``u``."""
    if XLA_LOG1P:
        return jnp.log1p(x)
    u, corr = log1p_parts(x)
    return jnp.where(jnp.isinf(x), x, jnp.log(u) + corr)


def log1p_parts(x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``u = 1 + x`` as rounded and the correction with ``log(1 + x) = log(u) + corr``.

    For callers that select ``u`` against another argument of one ``log``.
    """
    u = keep(1 + x)
    # (x - (u - 1)) is the part of x lost in rounding u; it adds (lost / u) to log(u).
    safe_u = jnp.where(u == 0, jnp.ones_like(u), u)
    return u, (x - (u - 1)) / safe_u


def _half_mask(dtype) -> tuple[type, np.unsignedinteger]:
    """The unsigned type of ``dtype``'s width and the mask that keeps half its significand
    (12 significant bits of float32's 24, 26 of float64's 53)."""
    if np.dtype(dtype) == np.float32:
        return np.uint32, np.uint32(0xFFFFF000)
    return np.uint64, np.uint64(0xFFFFFFFFF8000000)


def split(v: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``v = hi + lo`` exactly, ``hi`` with at most half the significand's bits.

    The low bits are masked off in the integer representation rather than by Veltkamp's
    ``t - (t - v)`` with ``t = 4097 v``, which a fused multiply-add silently breaks.
    """
    bits, mask = _half_mask(v.dtype)
    hi = lax.bitcast_convert_type(lax.bitcast_convert_type(v, bits) & mask, v.dtype)
    return hi, v - hi


def two_prod(a: jax.Array, b: jax.Array, *, checked: bool = True) -> tuple[jax.Array, jax.Array]:
    """``a * b`` as an unevaluated sum ``p + e`` (Dekker's product).

    Exact in float32 unless ``a * b`` over- or underflows; ``e`` is then dropped (set
    to 0). Correct whether or not the compiler fuses the products into FMAs.
    ``checked=False`` skips that guard, for callers whose factors are known to be finite
    and far from overflow.
    """
    p = keep(a * b)
    a_hi, a_lo = split(a)
    b_hi, b_lo = split(b)
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    if not checked:
        return p, e
    ok = jnp.isfinite(e) & (jnp.abs(p) < (1e30 if a.dtype == jnp.float32 else 1e290))
    return p, jnp.where(ok, e, jnp.zeros_like(e))


def square(x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``x * x`` as ``s + e`` with ``|e| <= 2**-21 |s|``, to 2**-46 relative (float32).

    Cheaper than :func:`two_prod`: with ``x = h + lo`` split in halves, ``h h`` and
    ``2 h lo`` are exact, their sum is split exactly by :func:`fast_two_sum`, and only
    ``lo lo`` (``2**-22`` of the square or less) is rounded. For ``|x| < 2**60`` (float32;
    callers clip): no overflow guard.
    """
    h, lo = split(x)
    s, e = fast_two_sum(h * h, (h + h) * lo)
    return s, e + lo * lo


def split_const(c: float, dtype, *, half: bool = False) -> tuple[float, float]:
    """A Python float constant as ``hi + lo`` in ``dtype`` (``hi`` rounded, ``lo`` the rest).

    ``half=True``: ``hi`` keeps only the leading half of the significand's bits, as
    :func:`split` does, so that its products with other half-length numbers are exact.
    """
    dt = np.dtype(dtype)
    hi = dt.type(c)
    if half:
        bits, mask = _half_mask(dt)
        hi = (np.asarray(hi).view(bits) & mask).view(dt)
    return float(hi), float(dt.type(c - float(hi)))


def mul_const(c: float, x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``c * x`` for a Python float ``c`` as ``p + e``, accurate to the float64 value of ``c``."""
    hi, lo = split_const(c, x.dtype)
    p, e = two_prod(jnp.full_like(x, hi), x)
    return p, jnp.where(jnp.isfinite(p), e + lo * x, jnp.zeros_like(e))


def exp_neg_abs(u: jax.Array, u_lo: jax.Array | None = None, *, own: bool = False):
    """``e = exp(-|u + u_lo|)`` as ``(neg, m, scale)`` with ``e = m * scale``.

    ``neg`` is ``u < 0``. Where ``-|u| < -40``, ``m`` is ``exp(-|u| + 64 ln 2)`` (the shift
    exact, ln 2 split in two) and ``scale`` is ``2**-64``: ``x * e`` formed as
    ``(x * m) * scale`` stays a normal number where ``e`` alone is flushed to zero (CPUs
    flush subnormal float32, so ``silu(-90)``, ``-7.4e-38``, would be 0). The low parts
    (``u_lo``, the shift's) enter as ``m = b + b c`` on ``b = exp(...)``
    (:func:`times_one_plus`).

    ``own=True`` (used by the derivatives) writes the same ``exp`` differently, so that XLA
    does not merge it with the value's: a merged ``exp`` feeding two outputs (value and
    gradient) is materialised in memory between separate kernels, while two ``exp`` each
    stay inside their own kernel. At sizes where the time is memory traffic, recomputing
    is the cheaper.
    """
    neg = u < 0
    a = jnp.where(neg, u, -u)  # -|u|
    _, hi, lo, scale = _tail_shift(a, -40.0)
    # the low part of the exponent: exp(a + a_lo + shift) = b (1 + c) to first order
    c = lo if u_lo is None else jnp.where(neg, u_lo, -u_lo) + lo
    b = jnp.exp((hi - jnp.abs(u)) if own else (a + hi))
    return neg, times_one_plus(b, c), scale


def _tail_shift(v: jax.Array, limit: float):
    """Where ``v < limit``, ``exp(v)`` taken as ``exp(v + 64 ln 2) * 2**-64``.

    Returns ``(deep, hi, lo, scale)``: ``deep = v < limit``; ``hi`` and ``lo`` the two
    parts of the shift (``64 ln2_hi``, exact to add to ``v``, and ``64 ln2_lo``, for the
    caller's low part), 0 elsewhere; ``scale`` is ``2**-64`` there, 1 elsewhere. A caller
    forms ``x * exp(v)`` as ``(x * exp(v + hi) * (1 + lo)) * scale``, which stays a normal
    number where ``exp(v)`` alone is flushed to zero.
    """
    deep = v < limit

    def pick(there: float, elsewhere: float = 0.0) -> jax.Array:
        return jnp.where(deep, there, elsewhere).astype(v.dtype)

    hi, lo = (_LN2_HI64, _LN2_LO64) if v.dtype == jnp.float64 else (_LN2_HI, _LN2_LO)
    return deep, pick(64 * hi), pick(64 * lo), pick(2.0**-64, 1.0)


def _exp_neg_abs_plain(u: jax.Array, u_lo: jax.Array | None, own: bool = False):
    """``(u < 0, exp(-|u + u_lo|))`` without the scaling of :func:`exp_neg_abs`.

    Enough where the result is about ``e`` itself (sigmoid and its derivative are
    subnormal exactly where ``e`` is); ``own`` as in :func:`exp_neg_abs`.
    """
    neg = u < 0
    e = jnp.exp(-jnp.abs(u)) if own else jnp.exp(neg_abs(u))
    if u_lo is not None:
        e = times_one_plus(e, jnp.where(neg, u_lo, -u_lo))
    return neg, e


def sigmoid_df(u: jax.Array, u_lo: jax.Array | None = None, *, own: bool = False) -> jax.Array:
    """``sigmoid(u + u_lo)`` to ~2 ULP, without overflow.

    With ``e = exp(-|u|) <= 1``: ``1 / (1 + e)`` for ``u >= 0`` and ``e / (1 + e)`` for
    ``u < 0``. (The textbook ``1 / (1 + exp(-u))`` for negative ``u`` inverts a large,
    already-rounded number and reaches 2.5 ULP.) ``own`` as in :func:`exp_neg_abs`.
    """
    neg, e = _exp_neg_abs_plain(u, u_lo, own)
    return jnp.where(neg, e, jnp.ones_like(e)) / (1 + e)


def sigmoid_neg_df(u: jax.Array, u_lo: jax.Array | None = None, *, own: bool = False) -> jax.Array:
    """``sigmoid(-(u + u_lo))`` = ``1 - sigmoid(u + u_lo)``, without cancellation."""
    neg, e = _exp_neg_abs_plain(u, u_lo, own)
    return jnp.where(neg, jnp.ones_like(e), e) / (1 + e)


def dsigmoid(u: jax.Array, u_lo: jax.Array | None = None) -> jax.Array:
    """``sigmoid'(u + u_lo)`` = ``e / (1 + e)**2``, with its own ``exp`` (see :func:`exp_neg_abs`)."""
    _, e = _exp_neg_abs_plain(u, u_lo, own=True)
    return e / ((1 + e) * (1 + e))


def tanh(x: jax.Array) -> jax.Array:
    """``tanh(x)``: an odd polynomial for ``|x| < 0.55``, ``(1 - e) / (1 + e)`` with ``e = exp(-2|x|)`` above."""
    if x.dtype == jnp.float64:
        return jnp.tanh(x)
    a = jnp.abs(x)
    small = a < 0.55
    xs = jnp.where(small, x, jnp.zeros_like(x))
    s = xs * xs
    poly = xs + xs * s * _horner(_TANH_R, s)
    # |x| >= 0.55: e = exp(-2|x|) <= 0.33, so 1 - e does not cancel. Where e underflows
    # the quotient is 1 all the same: no tail scaling (the derivative, 4 e / (1 + e)^2,
    # needs it and takes its own exp)
    _, e = _exp_neg_abs_plain(2 * x, None)
    big = jnp.copysign((1 - e) / (1 + e), x)
    return jnp.where(small, poly, big)


def softplus(x: jax.Array) -> jax.Array:
    """``log(1 + exp(x))`` = ``max(x, 0) + log1p(exp(-|x|))``."""
    return jnp.maximum(x, 0) + log1p(jnp.exp(neg_abs(x)))


LN2 = math.log(2.0)


_LN2_HI = 0.693145751953125  # 11 significant bits: 64 * _LN2_HI + v is exact for v in [-128, -40]
_LN2_LO = 1.4286068203094173e-06
# float64: 42 significant bits, so 64 * _LN2_HI64 + v is exact for v in [-1100, -40];
# the low part (~1e-14) is small enough for the first-order correction r + r c
_LN2_HI64 = math.ldexp(math.floor(math.ldexp(math.log(2.0), 42)), -42)
_LN2_LO64 = math.log(2.0) - _LN2_HI64


def mul_exp(x: jax.Array, v: jax.Array, v_lo: jax.Array | None = None) -> jax.Array:
    """``x * exp(v + v_lo)`` that stays accurate where ``exp(v)`` alone would be subnormal.

    CPUs flush subnormal float32 to zero, so ``x * exp(v)`` is 0 for ``v < -87.3`` even
    where the product is a normal number (``silu(-90)`` is ``-7.4e-38``). There the
    exponent is shifted by ``64 ln 2`` (exactly, with ln 2 split in two) and the result
    scaled back by ``2**-64``.

    The low part enters as ``p + p c`` on the product ``p``, not as a factor ``1 + c``:
    rounding ``1 + c`` alone costs up to half an ULP (:func:`times_one_plus`).
    """
    _, hi, lo, scale = _tail_shift(v, -80.0)
    p = x * exp(v + hi)
    c = lo if v_lo is None else v_lo + lo
    # the scale comes last, after p c (which alone could be subnormal) has been added
    return times_one_plus(p, c, may_be_inf=True) * scale


def two_sum(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``a + b`` as ``s + e`` exactly (Knuth's TwoSum, for operands of any magnitudes)."""
    s = keep(a + b)  # so that s - a is not simplified to b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def fast_two_sum(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``a + b`` as ``s + e`` (Dekker's Fast2Sum): exact where ``a``'s exponent is at least
    ``b``'s (so where ``|a| >= |b|``), or where ``a + b`` is representable."""
    s = keep(a + b)
    return s, b - (s - a)


def x_sigmoid(x: jax.Array, u: jax.Array, u_lo: jax.Array | None) -> jax.Array:
    """``x * sigmoid(u + u_lo)`` for ``u ~ c x`` (same sign as ``x``), to ~2 ULP everywhere.

    ``x / (1 + exp(-u))`` (jax.nn's form) for ``u >= -40`` and ``x e`` below, with
    ``e = exp(u + u_lo)`` scaled as in :func:`exp_neg_abs`, so that ``x e`` is not
    flushed to zero in the far negative tail. ``u_lo=None`` for a one-part ``u``.
    """
    # jax.nn's form rounds three times where x e / (1 + e) rounds four (silu: 2.3 ULP
    # against 3.1; jax.nn 2.85). Below u = -40, 1 + e is 1 in float32: x e needs no
    # division, only the shifted exp. One exp and one division, their operands selected
    # (two exps and two divisions were measured well above jax.nn's time in silu).
    deep, hi, lo, scale = _tail_shift(u, -40.0)
    t = jnp.exp(jnp.where(deep, u, -u) + hi)
    # the low parts: exp(-u - u_lo) = t (1 - u_lo); exp(u + u_lo) = t (1 + u_lo + lo) scale
    if u_lo is not None:
        lo = lo + jnp.where(deep, u_lo, -u_lo)
    m = times_one_plus(t, lo)
    out = jnp.where(deep, (x * m) * scale, x / (1 + m))
    # x = -inf: the limit is 0 (x e would be inf * 0)
    return jnp.where(jnp.isneginf(x), jnp.zeros_like(x), out)


def x_dsigmoid(x: jax.Array, u: jax.Array, u_lo: jax.Array) -> jax.Array:
    """``x * sigmoid'(u + u_lo)`` = ``x e / (1 + e)**2`` with ``e = exp(-|u|)``; 0 at ``x = ±inf``."""
    _, m, scale = exp_neg_abs(u, u_lo, own=True)
    e = m * scale
    out = ((x * m) * scale) / ((1 + e) * (1 + e))
    return jnp.where(jnp.isinf(x), jnp.zeros_like(x), out)


def d_x_sigmoid(x: jax.Array, u: jax.Array, u_lo: jax.Array, k) -> jax.Array:
    """``d/dx [x sigmoid(u)]`` = ``sigmoid(u) + k x sigmoid'(u)`` for ``u = u(x)``, ``k = du/dx``.

    Factored so that nothing underflows before the end: with ``e = exp(-|u|)``,
    ``e (1 + k x / (1 + e)) / (1 + e)`` for ``u < 0`` (scaled as in :func:`exp_neg_abs`)
    and ``(1 + k x e / (1 + e)) / (1 + e)`` for ``u >= 0``. Summing the two terms instead
    loses ``sigmoid(u)`` once it is subnormal (``silu'(-87.4)`` would be 1% off, and
    GELU's derivative 0 near x = -10.2 where it is still a normal number).
    """
    neg, m, scale = exp_neg_abs(u, u_lo, own=True)
    e = m * scale
    q = 1 / (1 + e)  # one division, not four (a few ULP, far inside the gradient tolerance)
    # u < 0: (m + m k x q) q scale; u >= 0: (1 + k x e q) q. Products ordered so that
    # no inf * 0 arises for x or u infinite
    lead = jnp.where(neg, m, jnp.ones_like(m))
    term = jnp.where(neg, (m * k) * x, k * (x * e))
    out = ((lead + term * q) * q) * jnp.where(neg, scale, jnp.ones_like(scale))
    # x = ±inf: 0 below, 1 above (x e would be inf * 0)
    return jnp.where(jnp.isinf(x), jnp.where(x > 0, 1.0, 0.0).astype(x.dtype), out)


def finite_x(x: jax.Array) -> jax.Array:
    """``x`` with ``-inf`` replaced by the most negative finite number, so that
    ``x * gate`` is ``-0`` (the limit) rather than ``-inf * 0 = nan`` where the gate is 0."""
    return jnp.maximum(x, jnp.finfo(x.dtype).min)


def logistic_parts(v: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """``(e, s, 1 - s)`` for ``s = sigmoid(v)``, ``e = exp(-v)``, ``s = 1 / (1 + e)``.

    ``1 - s`` is ``e s`` where ``v >= 0`` (``1 - s`` rounded loses its relative accuracy
    there) and ``1 - s`` below (where ``e s`` would be ``inf * 0`` at ``v = -inf``).
    """
    e = jnp.exp(-v)
    s = 1 / (1 + e)
    return e, s, jnp.where(v >= 0, e * s, 1 - s)


def logistic_gate(
    v: Callable,
    dv: Callable,
    *,
    limit: float | None = None,
    clip: float = 1e4,
    via_tanh: bool = False,
) -> Callable:
    """``g(b) = b_c * sigmoid(v(b_c))``, ``b_c = min(b, limit)`` for Python float ``limit``
    (or ``b_c = b``): silu, swish and GELU's forms (``v(x)`` is the gate's argument, ``x``
    for silu, ``2u`` for GELU's tanh form, ``dv`` its derivative), and the gate of a gated
    unit (SwiGLU, GeGLU, gpt-oss's clamped SwiGLU).

    The value alone is ``b_c / (1 + exp(-v))``: one exp and one division, as jax.nn's
    ``x * logistic(x)``, one rounding fewer (with ``via_tanh``, the composition's
    ``b_c (1 + tanh(v/2)) / 2``, see below). The derivative rule forms everything from
    ``s = 1 / (1 + exp(-v))``, as autodiff of the composition does: the value as
    ``b_c * s`` and the slope as ``s (1 + b_c v' (1 - s))``, 0 where ``b > limit`` (the
    gradient passes at ``b == limit``, as PyTorch's clamp does), with ``b_c`` clipped to
    ``±clip`` in the slope (where ``s (1 - s)`` is 0 already) so that ``inf * 0`` does not
    make it nan at ``±inf``. XLA then keeps one array (``s``) between the kernels of a
    forward + backward pass. A rule that keeps the value's own quotient beside the slope
    needs its exponential too: shared, XLA writes it to memory between kernels (silu
    inside ``silu(x) * x`` then costs more than jax.nn's forward + backward on large
    arrays); recomputed for the slope, it costs a second exp and division. The price is the composition's accuracy under differentiation: the value takes one
    rounding more than the value alone, and the slope uses ``1 - s`` as rounded.

    With ``via_tanh=True`` the value and the rule take ``s = (1 + tanh(v/2)) / 2`` instead
    (``v/2`` exact, a halving): XLA's tanh costs less on the CPU than an exp and a
    division. That is the accuracy of a composition that uses tanh itself (jax.nn's GELU, tanh form): ``s`` has
    an absolute error of about half an ULP of 1, so it loses its relative accuracy where
    ``s`` is small. Use it only where the composition compared with does the same.
    """

    def clamp(b: jax.Array) -> jax.Array:
        return b if limit is None else jnp.minimum(b, limit)

    def g_jvp(primals, tangents):
        (b,), (t,) = primals, tangents
        # s of b as given: 0 at -inf either way, and the slope's kernel is then without
        # finite_x's maximum, which is what keeps GeGLU's forward + backward at the
        # composition's time
        bl = clamp(b)
        s = 0.5 + 0.5 * jnp.tanh(0.5 * v(bl)) if via_tanh else 1 / (1 + jnp.exp(-v(bl)))
        bc = finite_x(bl)
        xc = jnp.clip(bc, -clip, clip)  # where s (1 - s) is 0 already: no inf * 0 at +inf
        slope = s * (1 + (xc * dv(xc)) * (1 - s))
        if limit is not None:
            slope = jnp.where(b > limit, 0.0, slope)
        return bc * s, slope * t

    @custom_jvp(g_jvp)
    def g(b: jax.Array) -> jax.Array:
        # -inf as the most negative finite number: its gate is 0, and b_c * 0 is -0, not nan
        bc = finite_x(clamp(b))
        if via_tanh:  # the composition's own form: XLA's tanh costs less than exp and a division
            return (0.5 * bc) * (1 + jnp.tanh(0.5 * v(bc)))
        return bc / (1 + jnp.exp(-v(bc)))

    return g
