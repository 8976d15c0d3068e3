"""Exponential linear units: ELU, CELU, SELU, and xIELU (their integral, extended).

The negative branch is :math:`\\alpha(e^x - 1)`, evaluated with flaxact's float32
``expm1`` (XLA's CPU ``expm1`` loses several ULP). Gradients are set with ``jax.custom_jvp``
as :math:`\\alpha e^x` on the negative side, accurate down to the underflow of
:math:`e^x` (jax.nn's gradient is exactly 0 below :math:`x = -17.3`).
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from . import _kernels as K
from ._core import custom_jvp, float_input, param_value, rounded, tangent_sum, wide
from ._registry import Kink, activation

__all__ = ["celu", "elu", "selu", "xielu"]

_INF = float("inf")
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _neg_part(x: jax.Array) -> jax.Array:
    """``x`` where ``x <= 0``, else 0: the exponential branch never sees the positive side.

    There it would overflow, and an inf in the branch a select discards still poisons a
    second derivative (``0 * inf``). A select, not ``minimum`` (whose derivative is 1/2
    at the tie): at 0 the branch keeps slope 1, so ``elu''(0)`` is the left one.
    """
    return jnp.where(x > 0, jnp.zeros_like(x), x)


def _expm1_times(z: jax.Array, a: Any, a_lo: float = 0.0, az: jax.Array | None = None) -> jax.Array:
    """``(a + a_lo) * (exp(z) - 1)`` for ``z <= 0``: about 1 ULP, plus the product's rounding.

    Above -0.7 the degree-5 polynomial (:func:`flaxact._kernels.expm1_neg_poly`), on its
    argument clipped to its interval; below, ``a e^z - a``, one rounding after ``exp``
    (``|e^z - 1| >= 0.5 > e^z`` there). ``a_lo`` is the low part of a two-part constant.
    ``az``: ``a z`` known exactly (celu's ``x``, with ``z = x / a`` rounded); the polynomial
    is then ``az + (az z) Q(z)``, so that the rounding of ``z`` and of the product by ``a``
    reach only the correction term.
    """
    if z.dtype == jnp.float64:
        return (a + a_lo) * jnp.expm1(z)
    if K.XLA_EXPM1 and az is None:  # XLA's expm1 is accurate: jax.nn's form, the low part apart
        em = jnp.expm1(z)
        return a * em + a_lo * em if a_lo else a * em
    inner = z > K.EXPM1_NEG_CUT
    e = jnp.exp(z)
    far = a * e - a
    zc = jnp.where(inner, z, K.EXPM1_NEG_CUT)
    if az is not None:
        near = az + (az * zc) * K.expm1_neg_q(zc)  # for a = 1, expm1_neg_poly to the bit
    else:
        p = K.expm1_neg_poly(zc)
        near = a * p
        if a_lo:
            near, far = near + a_lo * p, far + a_lo * (e - 1)
    return jnp.where(inner, near, far)


def _exp_times(z: jax.Array, a: Any) -> jax.Array:
    """``a * exp(z)`` for ``z <= 0``, a normal number wherever the product is one.

    CPUs flush subnormal float32 to zero, so for ``|a| > 1`` ``exp(z)`` alone vanishes
    below ``z = -87.3`` while ``a e^z`` is still a normal number (down to -88.0 for
    ``a = 2``). The product is taken as ``(e^{z/2} a) e^{z/2}``: the halving is exact, one
    ``exp``, two more roundings (4 ULP at most, with ``a``'s own), and no select. It is
    ``a`` exactly at ``z = 0``. A concrete ``|a| <= 1`` needs none of it.
    """
    if z.dtype == jnp.float64 or (isinstance(a, float) and abs(a) <= 1.0):
        return a * jnp.exp(z)
    s = jnp.exp(0.5 * z)
    return (s * a) * s


def _elu_value(x: jax.Array, alpha: Any) -> jax.Array:
    return jnp.where(x > 0, x, _expm1_times(_neg_part(x), alpha))


def _elu_slope(x: jax.Array, alpha: Any) -> jax.Array:
    # at x = 0 the left branch is taken (elu'(0) = alpha), as in jax.nn
    return jnp.where(x > 0, 1.0, _exp_times(_neg_part(x), alpha)).astype(x.dtype)


def _elu_const_jvp(alpha, primals, tangents):
    (x,), (dx,) = primals, tangents
    # the primal through the custom rule again, so that higher derivatives keep it
    return _elu_const(x, alpha), _elu_slope(x, alpha) * dx


@functools.partial(jax.jit, static_argnums=1)
@custom_jvp(_elu_const_jvp, nondiff_argnums=(1,))
def _elu_const(x: jax.Array, alpha: float) -> jax.Array:
    return _elu_value(x, alpha)


def _elu_jvp(primals, tangents):
    x, alpha = primals
    dx, dalpha = tangents
    out = _elu(x, alpha)
    return out, tangent_sum(
        out,
        (lambda: _elu_slope(x, alpha), dx),
        (lambda: jnp.where(x > 0, 0.0, _expm1_times(_neg_part(x), 1.0)).astype(x.dtype), dalpha),
    )


@jax.jit
@custom_jvp(_elu_jvp, symbolic_zeros=True)
def _elu(x: jax.Array, alpha: jax.Array) -> jax.Array:
    return _elu_value(x, alpha)


def _param(value: Any, name: str, argname: str, like: jax.Array) -> jax.Array:
    return float_input(value, name, argname).astype(like.dtype)


@activation(
    family="exponential",
    formula=r"\mathrm{elu}(x) = \begin{cases} x, & x > 0 \\ \alpha \left(e^{x} - 1\right), & x \le 0 \end{cases}",
    derivative=r"\mathrm{elu}'(x) = \begin{cases} 1, & x > 0 \\ \alpha e^{x}, & x \le 0 \end{cases}",
    output_range=(-1.0, _INF),
    monotonic=True,
    smoothness="C1",
    zero_centered=True,
    derivative_monotonic=True,
    identity_near_origin=True,
    jax_nn="elu",
    ulp_f32=2.0,
    example_params={"alpha": (0.5, 1.0, 2.0)},
    parameter_kinks={
        "alpha != 1": r"at :math:`x = 0` the one-sided derivatives are :math:`\alpha` "
        r"(left) and :math:`1` (right); ``jax.grad`` returns :math:`\alpha`, as jax.nn does.",
    },
)
def elu(x: ArrayLike, alpha: ArrayLike = 1.0) -> jax.Array:
    """Exponential linear unit.

    Parameters
    ----------
    x : array_like
        Input.
    alpha : array_like, default 1.0
        Scale of the negative branch, which saturates at :math:`-\\alpha`.

    Returns
    -------
    jax.Array
        The activation, with the dtype of ``x`` (float32 for integer input).

    See Also
    --------
    celu : The variant that is :math:`C^1` for every :math:`\\alpha`.
    selu : The scaled, self-normalising variant.

    Notes
    -----
    Continuously differentiable only for :math:`\\alpha = 1`; for other values the
    derivative jumps at 0 and the gradient there is :math:`\\alpha` (the left branch),
    as in jax.nn and PyTorch. The negative branch uses an accurate ``expm1`` (XLA's CPU
    ``expm1``, behind jax.nn's ``elu``, loses several ULP); the
    gradient :math:`\\alpha e^x` keeps its relative accuracy down to :math:`x = -87`
    (jax.nn's is exactly 0 below :math:`x = -17.3`).

    References
    ----------
    .. [1] D.-A. Clevert, T. Unterthiner and S. Hochreiter, "Fast and accurate deep
       network learning by exponential linear units (ELUs)", ICLR 2016.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.elu([-20.0, 0.0, 2.0])
    Array([-1.,  0.,  2.], dtype=float32)
    >>> float(jax.grad(flaxact.elu)(0.0, 2.0))
    2.0
    """
    a = param_value(alpha, "elu", "alpha", strict=False)
    x = float_input(x, "elu")
    if a is not None:  # a constant of the program: nothing to differentiate, nothing stored
        return rounded(lambda v: _elu_const(v, a), x)
    return rounded(_elu, x, _param(alpha, "elu", "alpha", wide(x)))


def _celu_jvp(primals, tangents):
    x, alpha = primals
    dx, dalpha = tangents
    z = _neg_part(x) / alpha
    out = _celu(x, alpha)
    # d/dalpha [alpha (e^{x/alpha} - 1)] = (e^z - 1) - z e^z. The slope takes XLA's exp
    # (z <= 0, where it is accurate), not the one inside K.expm1: a shared exp feeding
    # both outputs would be stored in memory between separate kernels
    return out, tangent_sum(
        out,
        (lambda: jnp.where(x > 0, 1.0, jnp.exp(z)).astype(x.dtype), dx),
        (lambda: jnp.where(x > 0, 0.0, K.expm1(z) - z * K.exp(z)).astype(x.dtype), dalpha),
    )


@jax.jit
@custom_jvp(_celu_jvp, symbolic_zeros=True)
def _celu(x: jax.Array, alpha: jax.Array) -> jax.Array:
    # for |x| < 2^-40, alpha expm1(x / alpha) = x (1 + x / (2 alpha)) rounds to x; computing
    # it would flush x / alpha to zero when that quotient is subnormal
    tiny = jnp.abs(x) < 2.0**-40
    return jnp.where((x > 0) | tiny, x, alpha * K.expm1(_neg_part(x) / alpha))


def _celu_const_value(x: jax.Array, alpha: float) -> jax.Array:
    # for |x| < (eps / 4) alpha, alpha expm1(x / alpha) = x (1 + x / (2 alpha)) rounds to x;
    # computing it would flush x / alpha to zero where that quotient is subnormal
    tiny = float(jnp.finfo(x.dtype).eps) / 4 * alpha
    # x / alpha is exact for a power of two; otherwise its rounding is kept from the result
    az = None if math.frexp(alpha)[0] == 0.5 else _neg_part(x)
    return jnp.where(x > -tiny, x, _expm1_times(_celu_arg(x, alpha), alpha, az=az))


def _celu_arg(x: jax.Array, alpha: float) -> jax.Array:
    """``min(x, 0) / alpha``; a multiply where ``1 / alpha`` is exact (a power of two)."""
    xn = _neg_part(x)
    return xn * (1.0 / alpha) if math.frexp(alpha)[0] == 0.5 else xn / alpha


def _celu_const_jvp(alpha, primals, tangents):
    (x,), (dx,) = primals, tangents
    slope = jnp.where(x > 0, 1.0, jnp.exp(_celu_arg(x, alpha))).astype(x.dtype)
    return _celu_const(x, alpha), slope * dx


@functools.partial(jax.jit, static_argnums=1)
@custom_jvp(_celu_const_jvp, nondiff_argnums=(1,))
def _celu_const(x: jax.Array, alpha: float) -> jax.Array:
    """celu for a concrete ``alpha > 0`` (so that ``x / alpha <= 0`` on the exponential side)."""
    return _celu_const_value(x, alpha)


@activation(
    family="exponential",
    formula=r"\mathrm{celu}(x) = \begin{cases} x, & x > 0 \\ \alpha \left(e^{x/\alpha} - 1\right), & x \le 0 \end{cases}",
    derivative=r"\mathrm{celu}'(x) = \begin{cases} 1, & x > 0 \\ e^{x/\alpha}, & x \le 0 \end{cases}",
    output_range=(-1.0, _INF),
    monotonic=True,
    smoothness="C1",
    zero_centered=True,
    derivative_monotonic=True,
    identity_near_origin=True,
    jax_nn="celu",
    ulp_f32=2.5,
    example_params={"alpha": (0.5, 1.0, 2.0)},
)
def celu(x: ArrayLike, alpha: ArrayLike = 1.0) -> jax.Array:
    """Continuously differentiable exponential linear unit.

    Parameters
    ----------
    x : array_like
        Input.
    alpha : array_like, default 1.0
        Scale of the negative branch; must not be 0.

    Returns
    -------
    jax.Array
        The activation, saturating at :math:`-\\alpha` for :math:`\\alpha > 0`.

    Raises
    ------
    ValueError
        If ``alpha`` is a concrete 0 (jax.nn silently returns nan).

    See Also
    --------
    elu : Equal to ``celu`` for :math:`\\alpha = 1`.

    Notes
    -----
    The derivative is 1 on both sides of 0 for every :math:`\\alpha`, so the function
    is :math:`C^1`. The division :math:`z = x/\\alpha` is rounded for :math:`\\alpha`
    not a power of two (powers of two divide exactly); for a concrete
    :math:`\\alpha > 0` the result near 0 is formed as :math:`x + x z\\,q(z)`, with
    :math:`q` a short polynomial, so that rounding reaches only the small second term. A traced
    ``alpha`` of 0 gives nan, as the formula does.

    References
    ----------
    .. [1] J. T. Barron, "Continuously differentiable exponential linear units",
       arXiv:1704.07483, 2017.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.celu([-20.0, 0.0, 2.0], alpha=0.5)
    Array([-0.5,  0. ,  2. ], dtype=float32)
    >>> float(jax.grad(flaxact.celu)(0.0, 0.5))
    1.0
    """
    a = param_value(alpha, "celu", "alpha", strict=False)
    if a == 0.0:
        raise ValueError(
            "flaxact.celu: argument 'alpha' must be non-zero; got 0 (celu divides by alpha)"
        )
    x = float_input(x, "celu")
    if a is not None and a > 0:
        return rounded(lambda v: _celu_const(v, a), x)
    return rounded(_celu, x, _param(alpha, "celu", "alpha", wide(x)))


_SA_HI, _SA_LO = K.split_const(SELU_SCALE * SELU_ALPHA, "float32")


def _selu_slope(x: jax.Array) -> jax.Array:
    # at x = 0 the left branch is taken (lambda alpha), as in jax.nn
    sa = _exp_times(_neg_part(x), SELU_SCALE * SELU_ALPHA)
    return jnp.where(x > 0, SELU_SCALE, sa).astype(x.dtype)


@jax.jit
@custom_jvp(jvps=lambda g, ans, x: g * _selu_slope(x))
def _selu(x: jax.Array) -> jax.Array:
    return jnp.where(x > 0, SELU_SCALE * x, _expm1_times(_neg_part(x), _SA_HI, _SA_LO))


@activation(
    family="exponential",
    formula=r"\mathrm{selu}(x) = \lambda \begin{cases} x, & x > 0 \\ \alpha \left(e^{x} - 1\right), & x \le 0 \end{cases}",
    derivative=r"\mathrm{selu}'(x) = \lambda \begin{cases} 1, & x > 0 \\ \alpha e^{x}, & x \le 0 \end{cases}",
    output_range=(-SELU_SCALE * SELU_ALPHA, _INF),
    monotonic=True,
    smoothness="C0",
    zero_centered=True,
    derivative_monotonic=False,
    identity_near_origin=False,
    kinks=(Kink(0.0, SELU_SCALE * SELU_ALPHA, (SELU_SCALE * SELU_ALPHA, SELU_SCALE)),),
    jax_nn="selu",
    ulp_f32=2.0,
)
def selu(x: ArrayLike) -> jax.Array:
    """Scaled exponential linear unit, the self-normalising activation.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        The activation, saturating at :math:`-\\lambda\\alpha \\approx -1.7581`.

    See Also
    --------
    elu : The unscaled function.

    Notes
    -----
    :math:`\\lambda \\approx 1.0507` and :math:`\\alpha \\approx 1.6733` are the fixed
    point constants of the paper: with LeCun-normal initialisation (variance 1/fan-in)
    and inputs of zero mean and unit variance, activations keep that mean and variance
    through a deep fully connected stack. Skip connections, batch norm or ordinary
    dropout break that property (use alpha dropout). The gradient at 0 is
    :math:`\\lambda\\alpha \\approx 1.7581` (the left branch), as in jax.nn.
    :math:`\\lambda\\alpha` is applied as a two-part constant, so the rounding of the
    product of the two constants does not reach the result.

    References
    ----------
    .. [1] G. Klambauer, T. Unterthiner, A. Mayr and S. Hochreiter, "Self-normalizing
       neural networks", NeurIPS 2017.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> import numpy as np
    >>> np.asarray(flaxact.selu([-20.0, 0.0, 1.0])).round(4)
    array([-1.7581,  0.    ,  1.0507], dtype=float32)
    >>> round(float(jax.grad(flaxact.selu)(0.0)), 6)
    1.758099
    """
    x = float_input(x, "selu")
    return rounded(_selu, x)


# --------------------------------------------------------------------------- xIELU
# The negative branch, f(x) = alpha_n (e^x - 1 - x) + beta x, has (for alpha_n > beta > 0)
# a minimum at x_m = log((alpha_n - beta) / alpha_n) and a root x_0 below it, where its
# two terms cancel: the plain form loses every digit there (4e4 ULP in float32). Around
# any point r it is exactly
#     f(x) = B g(t) + D t + F,   t = x - r,  g(t) = e^t - 1 - t,
# with B = alpha_n e^r, D = f'(r), F = f(r). Taking r = 0 near 0, r = x_m near the
# minimum and r = x_0 near the root keeps every term small against f (F = f(x_0) is 0 up
# to the rounding of x_0). g(t) = t^2 q(t) with q the polynomial _XIELU_Q for t in
# [-0.7, 1.5]; below, the exponential form of _XieluPlan. The references are chosen for
# concrete parameters when the program is traced (_xielu_plan); for traced ones (the
# modules) the function takes r = 0 only.
_XIELU_LO, _XIELU_HI = -0.7, 1.5  # where _XIELU_Q holds
# (e^t - 1 - t) / t^2 on [-0.7, 1.5], degree 7: relative error 1.6e-8 (float32 coefficients,
# least squares at Chebyshev nodes against mpmath, each rounding absorbed by the terms
# above); it multiplies B t^2, a fraction of the result where it is taken.
_XIELU_Q = (
    0.5,
    0.166666641831398,
    0.041666556149721146,
    0.008333573117852211,
    0.0013894521398469806,
    0.00019757149857468903,
    2.4263015802716836e-05,
    3.7681329558836296e-06,
)


class _XieluPlan(NamedTuple):
    """How xielu is evaluated for concrete parameters (hashable: a static argument).

    ``refs`` holds ``(r, B, D, F)`` per reference, from 0 downwards; reference ``k`` is
    taken for ``min(x, eps) >= bounds[k]`` (the last one below). Below the polynomial's
    window (``t < -0.7``) the branch is ``B (e^t - 1 - t) + D t + F`` where ``tail_d``
    (``D < 0 < B`` at the last reference, the root: below it every term is positive),
    else ``B (e^t - 1) + c t + F``, ``c = beta - alpha_n`` (which keeps the limit at
    ``x = -inf`` where ``D >= 0``).
    """

    alpha_p: float
    alpha_n: float
    beta: float
    eps: float
    refs: tuple[tuple[float, float, float, float], ...]
    bounds: tuple[float, ...]
    tail_d: bool


def _xielu_neg64(v: float, alpha_n: float, beta: float) -> float:
    return alpha_n * (math.expm1(v) - v) + beta * v


def _xielu_kappa(v: float, r: float, alpha_n: float, beta: float) -> float:
    """How much the terms of the form around ``r`` exceed ``f(v)`` (1: no cancellation)."""
    f = lambda u: _xielu_neg64(u, alpha_n, beta)  # noqa: E731
    t = v - r
    b_r, d_r = alpha_n * math.exp(r), alpha_n * math.exp(r) + beta - alpha_n
    terms = abs(b_r * (math.expm1(t) - t)) + abs(d_r * t) + abs(f(r))
    return terms / max(abs(f(v)), 1e-300)


def _bisect(pred, lo: float, hi: float) -> float:
    """The point in ``[lo, hi]`` where ``pred`` turns from false (at ``lo``) to true."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        lo, hi = (lo, mid) if pred(mid) else (mid, hi)
    return hi


@functools.lru_cache(maxsize=64)
def _xielu_plan(alpha_p: float, alpha_n: float, beta: float, eps: float) -> _XieluPlan:
    c = beta - alpha_n
    f = lambda u: _xielu_neg64(u, alpha_n, beta)  # noqa: E731

    def ref(r: float) -> tuple[float, float, float, float]:
        return (r, alpha_n * math.exp(r), alpha_n * math.exp(r) + c, f(r))

    refs, bounds = [ref(0.0)], []
    if alpha_n > beta > 0:
        x_m = math.log((alpha_n - beta) / alpha_n)
        step = 1.0
        while f(x_m - step) <= 0:
            step *= 2
        x_0 = _bisect(lambda u: f(u) <= 0, x_m - step, x_m)
        # the references as float32 numbers, so that x - r is exact near each
        r_m, r_0 = (float(np.float32(v)) for v in (x_m, x_0))
        kappa = lambda u, r: _xielu_kappa(u, r, alpha_n, beta)  # noqa: E731
        # each boundary where the two neighbouring forms are equally well conditioned,
        # kept inside the polynomial's window above each reference
        b_1 = _bisect(lambda u: kappa(u, 0.0) < kappa(u, r_m), r_m, 0.0)
        b_1 = min(max(b_1, _XIELU_LO), r_m + _XIELU_HI)
        b_2 = _bisect(lambda u: kappa(u, r_m) < kappa(u, r_0), r_0, r_m)
        b_2 = min(b_2, r_0 + _XIELU_HI, b_1)
        refs += [ref(r_m), ref(r_0)]
        bounds = [float(np.float32(b_1)), float(np.float32(b_2))]
    _, b_last, d_last, _ = refs[-1]
    tail_d = b_last > 0 > d_last
    return _XieluPlan(alpha_p, alpha_n, beta, eps, tuple(refs), tuple(bounds), tail_d)


def _xielu_pos(x: jax.Array, alpha_p: Any, beta: Any) -> jax.Array:
    """``alpha_p x^2 + beta x`` as ``x (alpha_p x + beta)``: one multiplication fewer, and
    for positive terms at most one rounding more than the product's."""
    if isinstance(alpha_p, float) and alpha_p == 0:
        return beta * x if beta else jnp.zeros_like(x)
    return x * (alpha_p * x + beta)


def _xielu_const_value(x: jax.Array, plan: _XieluPlan) -> jax.Array:
    """The value for concrete parameters (the slope takes its own exponential)."""
    a_p, a_n, b, eps = plan.alpha_p, plan.alpha_n, plan.beta, plan.eps
    c = b - a_n
    m = jnp.minimum(x, eps)  # the clamp; for eps < x <= 0 the linear rest is added last
    if x.dtype == jnp.float64:  # XLA's float64 expm1 is accurate
        neg = a_n * jnp.expm1(m) + (c * x if c else 0.0)
        return jnp.where(x > 0, _xielu_pos(x, a_p, b), neg)
    if len(plan.refs) == 1:
        r, b_r, d_r, f_r = (jnp.asarray(v, x.dtype) for v in plan.refs[0])
    else:
        upper = [m >= bound for bound in plan.bounds]

        def pick(i: int) -> jax.Array:
            v = jnp.full_like(m, plan.refs[-1][i])
            for k in reversed(range(len(plan.bounds))):
                v = jnp.where(upper[k], plan.refs[k][i], v)
            return v

        r, b_r, d_r, f_r = (pick(i) for i in range(4))
    t = m - r
    tp = jnp.maximum(t, _XIELU_LO)
    near = b_r * ((tp * tp) * K._horner(_XIELU_Q, tp))
    # B e^t = alpha_n e^m (e^m <= 1: no overflow)
    a_n_exp = a_n * jnp.exp(m)
    # the terms both sides share are added once, after the select, in the same order
    if plan.tail_d:
        # 1 + t is exact for t in [-2, -0.5]
        neg = jnp.where(t >= _XIELU_LO, near, a_n_exp - b_r * (1 + t)) + d_r * t + f_r
    else:
        far = (a_n_exp - b_r) + (c * t if c else 0.0)
        neg = jnp.where(t >= _XIELU_LO, near + d_r * t, far) + f_r
    if c:  # the linear rest for eps < x <= 0 (0 below, -inf included)
        neg = neg + c * (jnp.maximum(x, eps) - eps)
    return jnp.where(x > 0, _xielu_pos(x, a_p, b), neg)


def _xielu_slope(x: jax.Array, alpha_p: Any, alpha_n: Any, beta: Any, eps: Any) -> jax.Array:
    """``2 alpha_p x + beta``; ``alpha_n e^x + beta - alpha_n`` for ``x <= eps`` (the
    exponential side at ``eps`` itself); ``beta - alpha_n`` between."""
    c = beta - alpha_n
    left = alpha_n * jnp.exp(jnp.minimum(x, eps)) + c
    neg = jnp.where(x <= eps, left, c)
    return jnp.where(x > 0, (2 * alpha_p) * x + beta, neg).astype(x.dtype)


def _xielu_const_jvp(plan, primals, tangents):
    (x,), (dx,) = primals, tangents
    # the slope takes its own exponential, written apart from the value's so that XLA does
    # not merge the two: a shared one feeding value and slope is stored in memory between
    # separate kernels (see flaxact._kernels.exp_neg_abs)
    out = _xielu_const(x, plan)
    c = plan.beta - plan.alpha_n
    # exp of x itself, not of the clamped x (the value's argument): right of eps the slope is
    # c alone and the select drops the exponential, which may overflow there
    neg = jnp.where(x > plan.eps, c, plan.alpha_n * jnp.exp(x) + c)
    slope = jnp.where(x > 0, (2 * plan.alpha_p) * x + plan.beta, neg).astype(x.dtype)
    return out, slope * dx


@functools.partial(jax.jit, static_argnums=1)
@custom_jvp(_xielu_const_jvp, nondiff_argnums=(1,))
def _xielu_const(x: jax.Array, plan: _XieluPlan) -> jax.Array:
    return _xielu_const_value(x, plan)


def _xielu_g(m: jax.Array) -> jax.Array:
    """``e^m - 1 - m`` for ``m <= 0``: ``m^2 q(m)`` above -0.7, directly below."""
    if m.dtype == jnp.float64:
        return jnp.expm1(m) - m
    mc = jnp.maximum(m, K.EXPM1_NEG_CUT)
    return jnp.where(m > K.EXPM1_NEG_CUT, (mc * mc) * K.expm1_neg_q(mc), (jnp.exp(m) - 1) - m)


def _finite_or_zero(v: jax.Array) -> jax.Array:
    """``v``, with the nan of ``0 * inf`` (a zero coefficient at ``x = -inf``) as 0."""
    return jnp.where(v == v, v, jnp.zeros_like(v))


def _xielu_jvp(primals, tangents):
    x, alpha_p, alpha_n, beta, eps = primals
    dx, dalpha_p, dalpha_n, dbeta, deps = tangents
    out = _xielu(x, alpha_p, alpha_n, beta, eps)
    pos = x > 0
    zero = jnp.zeros_like(out)

    def d_alpha_n() -> jax.Array:  # expm1(min(x, eps)) - x
        m = jnp.minimum(x, eps)
        return jnp.where(pos, zero, _xielu_g(m) - jnp.maximum(x - eps, 0.0))

    def d_eps() -> jax.Array:  # the clamp's: alpha_n e^eps where eps < x <= 0
        return jnp.where((x > eps) & ~pos, alpha_n * jnp.exp(eps), zero)

    return out, tangent_sum(
        out,
        (lambda: _xielu_slope(x, alpha_p, alpha_n, beta, eps), dx),
        (lambda: jnp.where(pos, x * x, zero), dalpha_p),
        (d_alpha_n, dalpha_n),
        (lambda: x, dbeta),
        (d_eps, deps),
    )


@jax.jit
@custom_jvp(_xielu_jvp, symbolic_zeros=True)
def _xielu(
    x: jax.Array, alpha_p: jax.Array, alpha_n: jax.Array, beta: jax.Array, eps: jax.Array
) -> jax.Array:
    # the references of the concrete form are not known for traced parameters: r = 0,
    # with e^m - 1 (at most -0.5, no cancellation) below -0.7
    c = beta - alpha_n
    m = jnp.minimum(x, eps)
    if x.dtype == jnp.float64:
        neg = alpha_n * jnp.expm1(m) + _finite_or_zero(c * x)
    else:
        mc = jnp.maximum(m, K.EXPM1_NEG_CUT)
        near = mc * (beta + (alpha_n * mc) * K.expm1_neg_q(mc))
        far = alpha_n * (jnp.exp(m) - 1) + _finite_or_zero(c * m)
        neg = jnp.where(m > K.EXPM1_NEG_CUT, near, far) + c * jnp.maximum(x - eps, 0.0)
    return jnp.where(x > 0, _xielu_pos(x, alpha_p, beta), neg)


# xielu's defaults and the point of its minimum (for the registry record)
_XIELU_DEFAULTS = {"alpha_p": 0.8, "alpha_n": 0.8, "beta": 0.5, "eps": -1e-6}
_XIELU_C = _XIELU_DEFAULTS["beta"] - _XIELU_DEFAULTS["alpha_n"]
_XIELU_AT_EPS = _XIELU_DEFAULTS["alpha_n"] * math.exp(_XIELU_DEFAULTS["eps"]) + _XIELU_C
_XIELU_MIN = _xielu_neg64(
    math.log(-_XIELU_C / _XIELU_DEFAULTS["alpha_n"]),
    _XIELU_DEFAULTS["alpha_n"],
    _XIELU_DEFAULTS["beta"],
)


@activation(
    family="exponential",
    formula=r"\mathrm{xielu}(x) = \begin{cases} \alpha_p x^2 + \beta x, & x > 0 \\ \alpha_n \left(e^{\min(x, \epsilon)} - 1 - x\right) + \beta x, & x \le 0 \end{cases}",
    derivative=r"\mathrm{xielu}'(x) = \begin{cases} 2 \alpha_p x + \beta, & x > 0 \\ \beta - \alpha_n, & \epsilon < x \le 0 \\ \alpha_n e^{x} + \beta - \alpha_n, & x \le \epsilon \end{cases}",
    output_range=(_XIELU_MIN, _INF),
    monotonic=False,
    smoothness="discontinuous",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    kinks=(
        Kink(_XIELU_DEFAULTS["eps"], _XIELU_AT_EPS, (_XIELU_AT_EPS, _XIELU_C)),
        Kink(0.0, _XIELU_C, (_XIELU_C, _XIELU_DEFAULTS["beta"])),
    ),
    # measured over every float32 input in [-40, 100] (1.6 beyond, to -1e4); alpha_p
    # changes only the positive branch (1.5)
    ulp_f32={"": 2.2, "alpha_n=0.8": 2.2, "alpha_n=0.6": 2.7, "alpha_n=1.6": 2.4},
    example_params={"alpha_p": (0.4, 0.8, 1.6), "alpha_n": (0.6, 0.8, 1.6)},
)
def xielu(
    x: ArrayLike,
    alpha_p: ArrayLike = 0.8,
    alpha_n: ArrayLike = 0.8,
    beta: ArrayLike = 0.5,
    eps: ArrayLike = -1e-6,
) -> jax.Array:
    """Expanded integral of the ELU (xIELU): a trainable square for positive input.

    Its derivative is an affine map of ELU's: :math:`2\\alpha_p x + \\beta` (linearly
    increasing, as ReLU²'s) for :math:`x > 0`, and :math:`\\alpha_n e^x + \\beta -
    \\alpha_n` below, which is negative for very negative input when
    :math:`\\alpha_n > \\beta`, so gradient flows there. The activation of the Apertus
    language models.

    Parameters
    ----------
    x : array_like
        Input.
    alpha_p : array_like, default 0.8
        Curvature of the positive branch, :math:`\\alpha_p` (learned through a softplus
        in the paper, so positive).
    alpha_n : array_like, default 0.8
        Scale of the negative branch, :math:`\\alpha_n` (learned as :math:`\\beta` plus a
        softplus in the paper, so above :math:`\\beta`).
    beta : array_like, default 0.5
        Slope at 0, :math:`\\beta`.
    eps : array_like, default -1e-6
        Clamp of the exponential, :math:`\\epsilon \\le 0`.

    Returns
    -------
    jax.Array
        The activation, with the dtype of ``x`` (float32 for integer input). For the
        defaults its minimum is about :math:`-0.2058`, at
        :math:`x = \\log(3/8) \\approx -0.981`.

    Raises
    ------
    TypeError
        If a parameter is a bool, complex or not a number.
    ValueError
        If a concrete parameter is nan or infinite, ``eps`` is positive, or the
        parameters do not broadcast against ``x``.

    See Also
    --------
    elu : The function whose affine transform is xIELU's derivative.
    flaxact.XIELU : The linen module that learns :math:`\\alpha_p` and
        :math:`\\alpha_n` (also ``flaxact.nnx.XIELU``).

    Notes
    -----
    The clamp :math:`\\min(x, \\epsilon)` makes the negative branch linear on
    :math:`(\\epsilon, 0]`, :math:`\\alpha_n(e^\\epsilon - 1 - x) + \\beta x`, with slope
    :math:`\\beta - \\alpha_n`. So for :math:`\\epsilon < 0` the function is not
    continuous: ``xielu(0)`` is :math:`\\alpha_n(e^\\epsilon - 1) \\approx -8 \\times
    10^{-7}`, not 0, while the limit from the right is 0; and its slope drops from
    :math:`\\beta + \\alpha_n(e^\\epsilon - 1)` to :math:`\\beta - \\alpha_n` at
    :math:`\\epsilon`. ``eps=0`` gives a :math:`C^1` function. The gradient at 0 is
    :math:`\\beta - \\alpha_n` (0 belongs to the negative branch) and at :math:`\\epsilon`
    the exponential side's, :math:`\\alpha_n e^\\epsilon + \\beta - \\alpha_n` (the
    reference implementation, transformers' ``XIELUActivation``, gets the mean of the two
    sides there from ``torch.min``; CUDA kernels written for it have used
    :math:`\\alpha_n e^{\\min(x, \\epsilon)} + \\beta - \\alpha_n` on the whole negative
    side, which is not the derivative of the output on :math:`(\\epsilon, 0]`). The
    paper's code takes a positive ``eps`` and negates it; here ``eps`` is the clamp
    itself, as in transformers, and a positive value is an error.

    For :math:`\\alpha_n > \\beta > 0` the negative branch has a minimum at
    :math:`\\log((\\alpha_n - \\beta)/\\alpha_n)` and a root below it (about -2.43 for
    the defaults), where :math:`\\alpha_n(e^x - 1 - x)` and :math:`\\beta x` cancel: the
    composition ``alpha_n * (expm1(min(x, eps)) - x) + beta * x`` loses every digit
    there. With concrete parameters, flaxact writes the branch around the nearest of 0,
    the minimum and the root, :math:`B\\,t^2 q(t) + D t + F` with :math:`t = x - r`,
    :math:`q` a polynomial for :math:`(e^t - 1 - t)/t^2` and :math:`B, D, F` the
    exponential, slope and value at :math:`r`, so that no term is large against the
    result. With traced parameters (as in the modules, which learn them) it takes
    :math:`r = 0` alone, :math:`\\alpha_n x^2 q(x) + \\beta x` above -0.7 and
    :math:`\\alpha_n(e^x - 1) + (\\beta - \\alpha_n) x` below: a few ULP less accurate
    between the minimum and the root and, next to the root, accurate to about
    :math:`10^{-7}` absolute only (the composition's errors are larger in both).

    References
    ----------
    .. [1] A. H. Huang and I. Schlag, "Deriving activation functions using integration",
       arXiv:2411.13010, 2024.

    Examples
    --------
    >>> import jax
    >>> import numpy as np
    >>> import flaxact
    >>> np.asarray(flaxact.xielu([-20.0, -1.0, 1.0, 2.0])).round(4)
    array([ 5.2   , -0.2057,  1.3   ,  4.2   ], dtype=float32)
    >>> print(f"{float(flaxact.xielu(0.0)):.4e}")  # alpha_n (e^eps - 1), from the clamp
    -8.0000e-07
    >>> round(float(jax.grad(flaxact.xielu)(1.0)), 6)  # 2 alpha_p x + beta
    2.1

    The parameters can be learned; the derivative with respect to :math:`\\alpha_n` is
    :math:`e^x - 1 - x` for :math:`x \\le \\epsilon`:

    >>> d_alpha_n = jax.grad(flaxact.xielu, argnums=2)
    >>> round(float(d_alpha_n(-1.0, 0.8, 0.8)), 6)
    0.367879
    """
    a_p = param_value(alpha_p, "xielu", "alpha_p")
    a_n = param_value(alpha_n, "xielu", "alpha_n")
    b = param_value(beta, "xielu", "beta")
    e = param_value(eps, "xielu", "eps")
    if e is not None and e > 0:
        raise ValueError(
            f"flaxact.xielu: argument 'eps' must be <= 0 (the clamp of the exponential, "
            f"-1e-6 by default); got {e}"
        )
    x = float_input(x, "xielu")
    if None not in (a_p, a_n, b, e):
        plan = _xielu_plan(a_p, a_n, b, e)
        return rounded(lambda v: _xielu_const(v, plan), x)
    return xielu_traced(wide(x), alpha_p, alpha_n, beta, eps).astype(x.dtype)


def xielu_traced(x: jax.Array, alpha_p: Any, alpha_n: Any, beta: Any, eps: Any) -> jax.Array:
    """xielu of a float array ``x`` (computed in its dtype) with array parameters, which
    may be traced and are differentiable; broadcast against ``x``. For the modules."""
    names = ("alpha_p", "alpha_n", "beta", "eps")
    params = [
        float_input(v, "xielu", n).astype(x.dtype)
        for v, n in zip((alpha_p, alpha_n, beta, eps), names, strict=True)
    ]
    try:
        shape = jnp.broadcast_shapes(x.shape, *(p.shape for p in params))
    except ValueError:
        shapes = ", ".join(f"{n} {p.shape}" for n, p in zip(names, params, strict=True))
        raise ValueError(
            f"flaxact.xielu: the parameters ({shapes}) do not broadcast against 'x' of "
            f"shape {x.shape}"
        ) from None
    return _xielu(jnp.broadcast_to(x, shape), *params)
