"""Smooth rectifiers: softplus, SiLU / swish, mish, GELU (three forms), squareplus, sparse plus,
log1mexp; and snake, the periodic one.

Products of the form ``x * sigmoid(c x)`` are evaluated with the argument ``c x`` carried
in two parts (:func:`flaxact._kernels.mul_const`), because ``exp`` turns a relative
error ``d`` of its argument ``u`` into ``|u| d`` of its result: rounding ``1.702 x`` once
costs tens of ULP at :math:`x = -40`. GELU's tanh form is computed as
:math:`x \\sigma(2u)`, which equals :math:`\\tfrac{x}{2}(1 + \\tanh u)` without its
cancellation in the negative tail (where jax.nn's form loses every digit).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
from jax import lax
from jax.typing import ArrayLike

from . import _kernels as K
from ._core import custom_jvp, float_input, param_value, rounded, tangent_sum, wide
from ._registry import activation, precise_form

__all__ = [
    "gelu",
    "log1mexp",
    "mish",
    "silu",
    "snake",
    "softplus",
    "sparse_plus",
    "squareplus",
    "swish",
]

_INF = float("inf")
_GELU_C = math.sqrt(2.0 / math.pi)
_GELU_K = 0.044715
_QUICK = 1.702


@jax.jit
@custom_jvp(jvps=lambda g, ans, x: g * K.sigmoid_df(x, own=True))
def _softplus(x: jax.Array) -> jax.Array:
    return K.softplus(x)


@activation(
    family="smooth",
    formula=r"\mathrm{softplus}(x) = \log\left(1 + e^{x}\right)",
    derivative=r"\mathrm{softplus}'(x) = \sigma(x)",
    output_range=(0.0, _INF),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=True,
    identity_near_origin=False,
    jax_nn="softplus",
    ulp_f32=2.5,
)
def softplus(x: ArrayLike) -> jax.Array:
    """Softplus: a smooth, everywhere-positive version of ReLU.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        Positive values; about :math:`x` for large :math:`x` and :math:`e^x` for very
        negative :math:`x`.

    See Also
    --------
    relu : The function softplus smooths.
    log_sigmoid : ``softplus(x) == -log_sigmoid(-x)``.
    squareplus : An algebraic alternative without ``exp`` / ``log``.

    Notes
    -----
    :math:`\\max(x, 0) + \\log(1 + e^{-|x|})` with a ``log1p`` that corrects for the
    rounding of :math:`1 + e^{-|x|}`.
    PyTorch's ``softplus`` switches to the identity above ``threshold=20``, an error
    of up to :math:`2 \\times 10^{-9}` relative there. The gradient is the sigmoid.

    References
    ----------
    .. [1] C. Dugas, Y. Bengio, F. Bélisle, C. Nadeau and R. Garcia, "Incorporating
       second-order functional knowledge for better option pricing", NeurIPS 2001.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> import numpy as np
    >>> np.asarray(flaxact.softplus([-10.0, 0.0, 100.0])).round(4)
    array([  0.    ,   0.6931, 100.    ], dtype=float32)
    >>> float(jax.grad(flaxact.softplus)(0.0))
    0.5
    """
    x = float_input(x, "softplus")
    return rounded(_softplus, x)


def _swish_jvp(primals, tangents):
    x, beta = primals
    dx, dbeta = tangents
    u, u_lo = K.two_prod(jnp.broadcast_to(beta, x.shape), x)
    out = K.x_sigmoid(x, u, u_lo)
    # d/dx = sigma(u) + u sigma'(u);  d/dbeta = x^2 sigma'(u)
    dsig_x = K.x_dsigmoid(x, u, u_lo)
    ddx = K.d_x_sigmoid(x, u, u_lo, beta)
    ddb = x * dsig_x
    return out, ddx * dx + jnp.where(jnp.isinf(x), 0.0, ddb) * dbeta


@custom_jvp(_swish_jvp)
def _swish_precise(x: jax.Array, beta: jax.Array) -> jax.Array:
    u, u_lo = K.two_prod(jnp.broadcast_to(beta, x.shape), x)
    return K.x_sigmoid(x, u, u_lo)


@custom_jvp(jvps=lambda g, ans, x: g * K.d_x_sigmoid(x, x, jnp.zeros_like(x), 1.0))
def _silu_precise(x: jax.Array) -> jax.Array:
    return K.x_sigmoid(x, x, None)


@activation(
    family="smooth",
    formula=r"\mathrm{silu}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
    derivative=r"\mathrm{silu}'(x) = \sigma(x)\left(1 + x\,\sigma(-x)\right)",
    output_range=(-0.27846454276107374, _INF),
    monotonic=False,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    jax_nn="silu",
    ulp_f32=2.5,
    accurate_from=-87.0,
    grad_as_jax_nn=True,
    precise_ulp_f32=2.5,
)
def silu(x: ArrayLike) -> jax.Array:
    """SiLU (sigmoid-weighted linear unit): ``x`` times its own sigmoid.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float (jax.nn raises).

    Returns
    -------
    jax.Array
        The activation; its minimum is about :math:`-0.2785` at :math:`x \\approx -1.2785`.

    See Also
    --------
    swish : The same with a slope parameter :math:`\\beta`; ``swish(x)`` equals ``silu(x)``.
    hard_silu : A piecewise approximation.
    gelu : A close relative, :math:`x \\Phi(x)`.

    Notes
    -----
    :math:`x/(1+e^{-x})`: the operations of jax.nn's :math:`x\\,\\mathrm{logistic}(x)`
    with one rounding fewer, at its cost. Below :math:`x = -87.3` the sigmoid is
    subnormal and the CPU flushes it to 0, so
    the result is 0 down to :math:`-103` where :math:`x e^x` is still a normal number
    (:func:`flaxact.precise.silu` forms it there). The gradient,
    :math:`s (1 + x (1 - s))` from the same sigmoid, is finite everywhere: 1 at
    :math:`+\\infty` and 0 at :math:`-\\infty` (jax.nn: nan at both); ``silu(-inf)``
    is 0 (jax.nn: nan).

    References
    ----------
    .. [1] S. Elfwing, E. Uchibe and K. Doya, "Sigmoid-weighted linear units for neural
       network function approximation in reinforcement learning", Neural Networks
       107, 3-11, 2018.
    .. [2] D. Hendrycks and K. Gimpel, "Gaussian error linear units (GELUs)",
       arXiv:1606.08415, 2016.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> import numpy as np
    >>> np.asarray(flaxact.silu([-1.0, 0.0, 1.0])).round(4)
    array([-0.2689,  0.    ,  0.7311], dtype=float32)
    >>> float(jax.grad(flaxact.silu)(0.0))
    0.5
    """
    x = float_input(x, "silu")
    return rounded(_silu, x)


@precise_form("silu")
def precise_silu(x: ArrayLike) -> jax.Array:
    r"""SiLU, x sigmoid(x), not flushed to zero where sigmoid(x) is subnormal.

    The accurate form of :func:`flaxact.silu`, with the same signature and
    behaviour, at a higher cost (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float (jax.nn raises).

    Returns
    -------
    jax.Array
        The activation; its minimum is about :math:`-0.2785` at :math:`x \approx -1.2785`.

    See Also
    --------
    flaxact.silu : The default, at jax.nn's cost.

    Examples
    --------
    >>> from flaxact import precise
    >>> import flaxact
    >>> f"{float(precise.silu(-90.0)):.4e}"
    '-7.3746e-38'
    >>> float(flaxact.silu(-90.0))
    -0.0
    """
    x = float_input(x, "precise.silu")
    return rounded(_silu_precise, x)


_silu = jax.jit(K.logistic_gate(lambda x: x, lambda x: 1.0))


@activation(
    family="smooth",
    formula=r"\mathrm{swish}(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}",
    derivative=r"\mathrm{swish}'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,\sigma(-\beta x)",
    output_range=(-0.27846454276107374, _INF),
    monotonic=False,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    jax_nn="swish",
    ulp_f32=2.5,
    accurate_from=-40.0,
    grad_as_jax_nn=True,
    precise_ulp_f32=2.5,
    example_params={"beta": (0.5, 1.0, 2.0)},
)
def swish(x: ArrayLike, beta: ArrayLike = 1.0) -> jax.Array:
    """Swish: :math:`x\\,\\sigma(\\beta x)`, SiLU with a slope parameter.

    With the default :math:`\\beta = 1` it is exactly :func:`silu` (``jax.nn.swish`` is an
    alias of ``silu``); :math:`\\beta \\to \\infty` approaches ReLU and :math:`\\beta = 0`
    gives :math:`x/2`.

    Parameters
    ----------
    x : array_like
        Input.
    beta : array_like, default 1.0
        Slope of the gate, a fixed or learnable scalar (or an array broadcast against ``x``).

    Returns
    -------
    jax.Array
        The activation. For :math:`\\beta > 0` its minimum is
        :math:`-0.2785/\\beta`.

    See Also
    --------
    silu : The case :math:`\\beta = 1`.
    gelu : ``gelu(x, approximate="sigmoid")`` is swish with :math:`\\beta = 1.702`.

    Notes
    -----
    Computed as :math:`x/(1+e^{-\\beta x})` of the rounded :math:`\\beta x`, at the cost
    of the code a user would write with jax.nn. The rounding of
    :math:`\\beta x` is multiplied by :math:`|\\beta x|` in the negative tail;
    :func:`flaxact.precise.swish` carries :math:`\\beta x` in two parts instead. The
    gradient with respect to ``beta`` is defined too, so :math:`\\beta` can be
    trained; both gradients are finite at :math:`x = \\pm\\infty`.

    References
    ----------
    .. [1] P. Ramachandran, B. Zoph and Q. V. Le, "Searching for activation functions",
       arXiv:1710.05941, 2017.

    Examples
    --------
    >>> import flaxact
    >>> x = [-1.0, 0.0, 1.0]
    >>> flaxact.swish(x, beta=0.0)
    Array([-0.5,  0. ,  0.5], dtype=float32)
    >>> bool((flaxact.swish(x) == flaxact.silu(x)).all())
    True
    """
    x = float_input(x, "swish")
    return _swish_impl(x, beta, precise=False)


@precise_form("swish")
def precise_swish(x: ArrayLike, beta: ArrayLike = 1.0) -> jax.Array:
    r"""Swish, x sigmoid(beta x), with beta x carried in two parts.

    The accurate form of :func:`flaxact.swish`, with the same signature and
    behaviour, at a higher cost (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input.
    beta : array_like, default 1.0
        Slope of the gate, a fixed or learnable scalar (or an array broadcast against ``x``).

    Returns
    -------
    jax.Array
        The activation. For :math:`\beta > 0` its minimum is
        :math:`-0.2785/\beta`.

    See Also
    --------
    flaxact.swish : The default, at jax.nn's cost.

    Examples
    --------
    >>> from flaxact import precise
    >>> f"{float(precise.swish(-45.0, beta=2.0)):.4e}"
    '-3.6873e-38'
    """
    x = float_input(x, "precise.swish")
    return _swish_impl(x, beta, precise=True, name="precise.swish")


def _swish_impl(x: Any, beta: Any, *, precise: bool, name: str = "swish") -> jax.Array:
    """swish (after the checks above): the fast or the precise form, for concrete or
    traced ``beta``."""
    if isinstance(beta, (int, float)) and not isinstance(beta, bool):
        c = float(beta)
        if c == 1.0:
            return rounded(_silu_precise if precise else _silu, x)
        if precise:
            return rounded(lambda v: _swish_const_precise(v, c), x)
        return rounded(_swish_const(c), x)
    b = float_input(beta, name, "beta").astype(wide(x).dtype)
    return rounded(_swish_precise if precise else _swish_traced, x, b)


@functools.lru_cache(maxsize=64)
def _swish_const(c: float):
    """``x * sigmoid(c x)`` for a Python float ``c`` (one function per ``c``, cached)."""
    return jax.jit(K.logistic_gate(lambda x: c * x, lambda x: c))


def _swish_traced_jvp(primals, tangents):
    # as K.logistic_gate, with the slope in beta too: s (1 - s) from e = exp(-beta x), x
    # clipped so that s (1 - s) = 0 gives 0 at x = ±inf rather than inf * 0
    x, beta = primals
    dx, dbeta = tangents
    e, s, rest = K.logistic_parts(beta * x)
    ds = s * rest
    xc = jnp.clip(x, -1e4, 1e4)
    return K.finite_x(x) / (1 + e), (s + (beta * xc) * ds) * dx + (xc * xc) * ds * dbeta


@jax.jit
@custom_jvp(_swish_traced_jvp)
def _swish_traced(x: jax.Array, beta: jax.Array) -> jax.Array:
    return K.finite_x(x) / (1 + jnp.exp(-(beta * x)))


def _swish_const_precise(x: jax.Array, c: float) -> jax.Array:
    def f_jvp(primals, tangents):
        (x,), (dx,) = primals, tangents
        u, u_lo = K.mul_const(c, x)
        slope = K.d_x_sigmoid(x, u, u_lo, c)
        return K.x_sigmoid(x, u, u_lo), slope * dx

    @custom_jvp(f_jvp)
    def f(x):
        u, u_lo = K.mul_const(c, x)
        return K.x_sigmoid(x, u, u_lo)

    return f(x)


def _mish_parts(x: jax.Array, own: bool = False):
    """``e = exp(-|x|)`` as ``m * scale`` (see ``exp_neg_abs``), ``e`` and the sign mask.

    ``own`` as in ``exp_neg_abs`` (the derivative's own ``exp``).
    """
    neg, m, scale = K.exp_neg_abs(x, own=own)
    return ~neg, m, scale, m * scale


def _dmish(x: jax.Array) -> jax.Array:
    pos, m, scale, e = _mish_parts(x, own=True)
    # mish' = tanh(sp) + x sech^2(sp) sigmoid(x), sp = softplus(x)
    d_pos = 1 + 2 * e * (1 + e)
    # x >= 0: x sech^2 sigmoid = 4 x e^2 (1 + e) / D^2 (below 1e-30 of the first term past x = 40)
    out_pos = (1 + 2 * e) / d_pos + (x * e) * (4 * e) * (1 + e) / (d_pos * d_pos)
    n = e * (e + 2)
    # x < 0: tanh(sp) = e (e + 2) / (n + 2), x sech^2 sigmoid = 4 x e (1 + n) / ((n + 2)^2 (1 + e)):
    # both carry the factor e, taken as m and scaled last
    out_neg = (
        m * (e + 2) / (n + 2) + 4 * (x * m) * (1 + n) / ((n + 2) * (n + 2) * (1 + e))
    ) * scale
    out = jnp.where(pos, out_pos, out_neg)
    return jnp.where(jnp.isinf(x), jnp.where(x > 0, 1.0, 0.0).astype(x.dtype), out)


@custom_jvp(jvps=lambda g, ans, x: g * _dmish(x))
def _mish_precise(x: jax.Array) -> jax.Array:
    pos, m, scale, e = _mish_parts(x)
    # Both branches as y - y h with h small: the factor 1 - h is never rounded on its own
    # (float32 max 2.66 -> 1.73 ULP for x >= 0 and 4.1 -> 2.27 for x < 0 against the
    # quotients of e-polynomials they replace).
    # x >= 0, e = exp(-x): tanh(softplus(x)) = 1 - 2e^2 / (1 + 2e + 2e^2)
    # x < 0, e = exp(x): tanh(softplus(x)) = e (e + 2) / (e^2 + 2e + 2)
    #   = e (1 - e (e + 1) / (e (e + 2) + 2)); the factor e is applied as m, then the
    # 2**-64 scale last, so x e is not flushed to zero. One division for both.
    h = jnp.where(pos, 2 * e, e + 1) * e / jnp.where(pos, 1 + 2 * e * (1 + e), e * (e + 2) + 2)
    y = jnp.where(pos, x, x * m)
    out = (y - y * h) * jnp.where(pos, 1.0, scale)
    # x = inf: inf - inf * 0; x = -inf: the limit 0; x = -0 stays -0 (y - y h is +0)
    return jnp.where(jnp.isinf(x), jnp.where(x > 0, x, 0.0), jnp.where(x == 0, x, out))


@activation(
    family="smooth",
    formula=r"\mathrm{mish}(x) = x \tanh\left(\mathrm{softplus}(x)\right)",
    derivative=r"\mathrm{mish}'(x) = \tanh(\mathrm{sp}(x)) + x\,\mathrm{sech}^2(\mathrm{sp}(x))\,\sigma(x)",
    output_range=(-0.30884303691066, _INF),
    monotonic=False,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    jax_nn="mish",
    ulp_f32=4.8,
    accurate_from=-87.0,
    grad_as_jax_nn=True,
    precise_ulp_f32=2.7,
)
def mish(x: ArrayLike) -> jax.Array:
    """Mish: :math:`x \\tanh(\\mathrm{softplus}(x))`, a smooth, non-monotonic rectifier.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        The activation; its minimum is about :math:`-0.3088` at :math:`x \\approx -1.1924`.

    See Also
    --------
    silu : A close relative, :math:`x\\sigma(x)`.
    softplus : The inner function.

    Notes
    -----
    :math:`\\tanh(\\mathrm{softplus}(x))` is the rational function :math:`n/(n+2)`,
    :math:`n = e^x(e^x + 2)`: one ``exp`` and one division where jax.nn takes an
    ``exp``, a ``log1p`` and a ``tanh``, so it is both faster and more accurate. Below
    :math:`x = -87.3` the exponential is subnormal and flushed to 0 on the CPU, as in
    jax.nn; :func:`flaxact.precise.mish` scales it (and rounds :math:`1 - h` nowhere).
    The gradient uses the same quotient and is finite at :math:`\\pm\\infty` (jax.nn:
    nan).

    References
    ----------
    .. [1] D. Misra, "Mish: a self regularized non-monotonic activation function",
       arXiv:1908.08681, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> import flaxact
    >>> np.asarray(flaxact.mish([-1.0, 0.0, 1.0])).round(4)
    array([-0.3034,  0.    ,  0.8651], dtype=float32)
    """
    x = float_input(x, "mish")
    return rounded(_mish, x)


@precise_form("mish")
def precise_mish(x: ArrayLike) -> jax.Array:
    r"""Mish, x tanh(softplus(x)), not flushed to zero in the negative tail.

    The accurate form of :func:`flaxact.mish`, with the same signature and
    behaviour, at a higher cost (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        The activation; its minimum is about :math:`-0.3088` at :math:`x \approx -1.1924`.

    See Also
    --------
    flaxact.mish : The default, at jax.nn's cost.

    Examples
    --------
    >>> from flaxact import precise
    >>> import flaxact
    >>> f"{float(precise.mish(-90.0)):.4e}"
    '-7.3746e-38'
    >>> float(flaxact.mish(-90.0))
    -0.0
    """
    x = float_input(x, "precise.mish")
    return rounded(_mish_precise, x)


def _mish_gate(x: jax.Array, own: bool = False):
    """``tanh(softplus(x)) = n / (n + 2)`` with ``n = E (E + 2)``, ``E = e^x``; and ``n``, ``E``.

    One exp and one division, no cancellation (jax.nn takes a log1p and a tanh). ``E`` is
    taken of ``min(x, 20)``, past which the quotient is 1 in float32 and ``E**2`` stays
    finite. ``own`` (the derivative's) writes that clip as a select, so that XLA does not
    merge the two exponentials: one feeding value and slope is stored in memory between
    separate kernels (see :func:`flaxact._kernels.exp_neg_abs`).
    """
    e = jnp.exp(jnp.where(x < 20.0, x, 20.0) if own else jnp.minimum(x, 20.0))
    n = e * (e + 2)
    return n / (n + 2), n, e


def _mish_jvp(primals, tangents):
    # mish' = w + x sech^2(softplus(x)) sigmoid(x) = w + x 4 (n + 1) E / ((n + 2)^2 (1 + E)),
    # with x clipped (the second term is 0 there) so that x = ±inf gives no inf * 0
    (x,), (t,) = primals, tangents
    w, n, e = _mish_gate(x, own=True)
    xc = jnp.clip(x, -1e4, 1e4)
    slope = w + (4 * xc) * (n + 1) * e / ((n + 2) * (n + 2) * (1 + e))
    return _mish(x), slope * t


@jax.jit
@custom_jvp(_mish_jvp)
def _mish(x: jax.Array) -> jax.Array:
    return K.finite_x(x) * _mish_gate(x)[0]


_GELU_FORMS = {
    True: "tanh",
    "tanh": "tanh",
    False: "erf",
    "none": "erf",
    "erf": "erf",
    "sigmoid": "sigmoid",
}


def _gelu_tanh_arg(x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``2u = 2 sqrt(2/pi) (x + 0.044715 x^3)`` = ``x (a + b x^2)`` in two parts.

    Relative error below 2**-31 (x sigma(2u) multiplies it by |2u| <= 90 where the
    result is a normal number: under 0.1 ULP there). Built from products of half-length
    numbers, which are exact, rather than from Dekker products: x = h + lo and
    ``a``, ``b`` are split in halves, so b_hi q (q the high half of x^2, from
    :func:`K.square`) and the final h w_hi are exact, and only terms 2**-10 of the total
    or smaller are rounded.
    """
    a_hi, a_lo = K.split_const(2 * _GELU_C, x.dtype, half=True)
    b_hi, b_lo = K.split_const(2 * _GELU_C * _GELU_K, x.dtype, half=True)
    # Beyond |x| = 14 (2u = ±218) the gate is 0 or 1 to far below float32's range, for
    # the value and the slope alike: the argument of 14 serves, and with it every
    # product is finite (no overflow guards; NaN passes through)
    lim = 27.0 if x.dtype == jnp.float64 else 14.0  # float64: 2u = ±1150 at 27
    xc = jnp.clip(x, -lim, lim)
    s, s_lo = K.square(xc)
    q, q_lo = K.split(s)
    bq = b_hi * q  # exact
    # w = a + b x^2 = w + w_lo. a_hi + bq is exact or a_hi's exponent is the larger
    # (bq < 2 for x^2 < 28; above, bq's last bit is no finer than the sum's)
    w, w_lo = K.fast_two_sum(jnp.full_like(xc, a_hi), bq)
    w_lo = (w_lo + (b_hi * (q_lo + s_lo) + b_lo * (s + s_lo))) + a_lo
    h, lo = K.split(xc)
    # x w = h w_hi (exact) + a remainder 2**-10 of it or less
    w_hi, w_mid = K.split(w)
    return K.fast_two_sum(h * w_hi, (h * w_mid + lo * w) + xc * w_lo)


def _dgelu_tanh(x: jax.Array) -> jax.Array:
    u, u_lo = _gelu_tanh_arg(x)
    xc = jnp.clip(x, -1e4, 1e4)  # beyond, sigma'(2u) is 0 and so is the second term
    du = 2 * _GELU_C * (1 + 3 * _GELU_K * xc * xc)
    return K.d_x_sigmoid(xc, u, u_lo, du)


@custom_jvp(jvps=lambda g, ans, x: g * _dgelu_tanh(x))
def _gelu_tanh_precise(x: jax.Array) -> jax.Array:
    u, u_lo = _gelu_tanh_arg(x)
    return K.x_sigmoid(x, u, u_lo)


_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_INV_SQRT_PI = 1 / math.sqrt(math.pi)

# Exact GELU. With t = |x|, E = exp(-x^2/2) and Q the upper normal tail, x Q(t) = G(t) E,
# G(t) = (t/2) erfcx(t/sqrt 2), a smooth function from 0 to 1/sqrt(2 pi). So
#   gelu(x) = -G E (x < -1/2),  x - G E (x > 1/2),  x (1/2 + x P(x^2)) between,
# with P(x^2) = erf(x/sqrt 2) / (2x). G is a polynomial in w = (t - 1)/(t + 1) on
# [1/2, 13.5] (below -13.5 gelu is subnormal), E is taken from the two-part square and
# scaled where it alone would underflow (K.mul_exp). No erfc is called: XLA's is 65 ULP
# off on the CPU (exp(-z^2) of a rounded z^2). Fits from tools/fit_gelu_erf.py (float32
# coefficients; G within 0.6e-8 relative, P within 0.5 ULP).
_G_W = (
    0.2615782916545868,
    0.2484285831451416,
    -0.052598558366298676,
    -0.05745123326778412,
    -0.01943160407245159,
    0.0030144089832901955,
    0.009074762463569641,
    0.007018831092864275,
    1.1253470802330412e-05,
    0.001282000564970076,
    0.00805380567908287,
    -0.016410935670137405,
    0.006367688067257404,
)
_P_S = (
    0.3989422917366028,
    -0.06649097800254822,
    0.009982068091630936,
    -0.0012319226516410708,
    0.0001909963903017342,
)
_ERF_INNER, _ERF_OUTER = 0.5, 13.5


def _gelu_erf_parts(x: jax.Array):
    """``|x| <= 1/2``, ``G(|x|)``, ``Phi(x)`` there, and ``-x^2/2`` in two parts."""
    t = jnp.clip(jnp.abs(x), _ERF_INNER, _ERF_OUTER)
    g = K._horner(_G_W, (t - 1) / (t + 1))
    inner = jnp.abs(x) <= _ERF_INNER
    xi = jnp.where(inner, x, 0.0)
    phi_inner = 0.5 + xi * K._horner(_P_S, xi * xi)
    # beyond |x| = 18, exp(-x^2/2) is 0 even scaled by 2**64 (K.mul_exp) and with
    # subnormals: the square of 18 serves, and is finite
    s, s_lo = K.square(jnp.clip(x, -18.0, 18.0))
    return inner, g, phi_inner, -0.5 * s, -0.5 * s_lo


_INV_SQRT_2 = 1 / math.sqrt(2)


def _dgelu_erf(x: jax.Array) -> jax.Array:
    if x.dtype == jnp.float64:  # beyond |x| = 40, phi(x) is 0 and Phi(x) is 0 or 1
        xc = jnp.clip(x, -40.0, 40.0)
        return 0.5 * lax.erfc(-xc * _INV_SQRT_2) + xc * (_INV_SQRT_2PI * jnp.exp(-0.5 * xc * xc))
    # Phi(x) + x phi(x) = base + E coef: Phi(x) = 0 + G E / t below -1/2, 1 - G E / x above
    inner, g, phi_inner, v, v_lo = _gelu_erf_parts(x)
    safe_x = jnp.where(inner, 1.0, x)
    coef = x * _INV_SQRT_2PI - jnp.where(inner, 0.0, g / safe_x)
    base = jnp.where(inner, phi_inner, jnp.where(x < 0, 0.0, 1.0))
    out = base + K.mul_exp(coef, v, v_lo)
    return jnp.where(jnp.isinf(x), jnp.where(x > 0, 1.0, 0.0).astype(x.dtype), out)


@custom_jvp(jvps=lambda g, ans, x: g * _dgelu_erf(x))
def _gelu_erf_precise(x: jax.Array) -> jax.Array:
    if x.dtype == jnp.float64:  # the polynomials above are fitted to float32
        return jnp.where(jnp.isneginf(x), 0.0, x * (0.5 * lax.erfc(-x * _INV_SQRT_2)))
    inner, g, phi_inner, v, v_lo = _gelu_erf_parts(x)
    # x -> -inf: 0 - G * 0; x -> inf: x - G * 0
    outer = jnp.where(x < 0, 0.0, x) - K.mul_exp(g, v, v_lo)
    return jnp.where(inner, x * phi_inner, outer)


@activation(
    family="smooth",
    # one form a line, so that the formula fits the page's column
    formula=r"\begin{aligned} \mathrm{gelu}(x) &= x\,\Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}\frac{x}{\sqrt{2}}\right) \\ &\approx \frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)\right) \\ &\approx x\,\sigma(1.702\,x) \end{aligned}",
    # the default form's (approximate=True, tanh); the Notes give the exact form's
    derivative=r"\begin{aligned} \mathrm{gelu}'(x) &= \tfrac{1}{2}\left(1 + \tanh u\right) + \tfrac{x}{2}\left(1 - \tanh^2 u\right) \sqrt{2/\pi}\,\left(1 + 0.134145\,x^2\right), \\ u &= \sqrt{2/\pi}\,\left(x + 0.044715\,x^3\right) \end{aligned}",
    output_range=(-0.17004075057125403, _INF),
    monotonic=False,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    jax_nn="gelu",
    ulp_f32={
        "": 6.5,
        "approximate=True": 6.5,
        "approximate=False": 103.4,
        "approximate=sigmoid": 12.5,
    },
    accurate_from={
        "": -1.0,
        "approximate=True": -1.0,
        "approximate=False": -9.0,
        "approximate=sigmoid": -9.0,
    },
    grad_as_jax_nn=True,
    precise_ulp_f32={
        "": 3.0,
        "approximate=True": 3.0,
        "approximate=False": 3.2,
        "approximate=sigmoid": 3.0,
    },
    example_params={"approximate": (True, False, "sigmoid")},
)
def gelu(x: ArrayLike, approximate: bool | str = True) -> jax.Array:
    """Gaussian error linear unit: :math:`x` weighted by the normal CDF :math:`\\Phi(x)`.

    The activation of BERT and GPT-2 feed-forward blocks.

    Parameters
    ----------
    x : array_like
        Input.
    approximate : bool or {"tanh", "erf", "none", "sigmoid"}, default True
        Which form: ``True`` / ``"tanh"`` the tanh approximation (jax.nn's default),
        ``False`` / ``"erf"`` / ``"none"`` the exact :math:`x\\Phi(x)`, ``"sigmoid"``
        the cheaper :math:`x\\,\\sigma(1.702x)` ("quick GELU" of CLIP).

    Returns
    -------
    jax.Array
        The activation; its minimum is about :math:`-0.170` at :math:`x \\approx -0.75`.

    Raises
    ------
    ValueError
        For any other value of ``approximate``.

    See Also
    --------
    silu : :math:`x\\sigma(x)`; the sigmoid form is swish with :math:`\\beta = 1.702`.
    geglu : GELU-gated linear unit.

    Notes
    -----
    Defaults differ between frameworks: jax.nn and Flax use the tanh form
    (``approximate=True``), PyTorch (``approximate='none'``) and Keras
    (``approximate=False``) the exact one. The forms differ by at most
    :math:`4.7 \\times 10^{-4}` (tanh) and :math:`2 \\times 10^{-2}` (sigmoid).
    The derivative in the registry record (``flaxact.get("gelu").derivative``) is the
    default tanh form's. The exact form's
    is :math:`\\Phi(x) + x\\,\\varphi(x)`, with
    :math:`\\varphi(x) = e^{-x^2/2}/\\sqrt{2\\pi}` the normal density, and the sigmoid
    form's is :math:`\\sigma(1.702x)\\,(1 + 1.702x\\,\\sigma(-1.702x))`.

    Numerics (float32): the tanh form is jax.nn's :math:`\\tfrac{x}{2}(1+\\tanh u)`,
    with :math:`2u = x(a + b x^2)` rounded once less than jax.nn's argument. Below
    :math:`x = -1` the sum :math:`1 + \\tanh u` cancels, as in jax.nn: an absolute error of
    about :math:`2^{-25}|x|`, so the value loses its relative accuracy and is 0 below
    about :math:`x = -4.87`. The division form :math:`x/(1+e^{-2u})`, which has no
    cancellation, costs more than jax.nn's forward time with jax 0.12 on the CPU, where
    XLA's tanh costs less than an exponential and a division; float64 input and
    :func:`flaxact.precise.gelu` take it. The exact form is jax.nn's,
    :math:`\\tfrac{x}{2}\\operatorname{erfc}(-x/\\sqrt{2})` with XLA's ``erfc``, which
    loses several ULP on the CPU. The sigmoid form is :math:`x/(1+e^{-1.702x})`.
    Gradients are finite over the whole float range, :math:`\\pm\\infty`
    included (jax.nn: nan at :math:`\\pm\\infty`, and beyond :math:`|x| = 10^{19}` in the
    tanh form). :func:`flaxact.precise.gelu` carries :math:`2u` in two parts, forms the
    exact GELU from a polynomial without ``erfc``, and scales the far tail, at a higher
    cost.

    References
    ----------
    .. [1] D. Hendrycks and K. Gimpel, "Gaussian error linear units (GELUs)",
       arXiv:1606.08415, 2016.

    Examples
    --------
    >>> import numpy as np
    >>> import flaxact
    >>> x = [-1.0, 0.0, 1.0]
    >>> np.asarray(flaxact.gelu(x)).round(4)
    array([-0.1588,  0.    ,  0.8412], dtype=float32)
    >>> np.asarray(flaxact.gelu(x, approximate=False)).round(4)
    array([-0.1587,  0.    ,  0.8413], dtype=float32)
    >>> np.asarray(flaxact.gelu(x, approximate="sigmoid")).round(4)
    array([-0.1542,  0.    ,  0.8458], dtype=float32)
    """
    form = gelu_form(approximate)
    return _gelu_impl(float_input(x, "gelu"), form, precise=False)


@precise_form("gelu")
def precise_gelu(x: ArrayLike, approximate: bool | str = True) -> jax.Array:
    r"""GELU (all three forms) without the tanh form's cancellation in the negative tail.

    The accurate form of :func:`flaxact.gelu`, with the same signature and
    behaviour, at a higher cost (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input.
    approximate : bool or {"tanh", "erf", "none", "sigmoid"}, default True
        Which form: ``True`` / ``"tanh"`` the tanh approximation (jax.nn's default),
        ``False`` / ``"erf"`` / ``"none"`` the exact :math:`x\Phi(x)`, ``"sigmoid"``
        the cheaper :math:`x\,\sigma(1.702x)` ("quick GELU" of CLIP).

    Returns
    -------
    jax.Array
        The activation; its minimum is about :math:`-0.170` at :math:`x \approx -0.75`.

    See Also
    --------
    flaxact.gelu : The default, at jax.nn's cost.

    Examples
    --------
    >>> from flaxact import precise
    >>> import flaxact
    >>> # exactly -7.0245948e-05: the default's (x/2)(1 + tanh u), as jax.nn's, cancels
    >>> f"{float(precise.gelu(-4.0)):.7e}"
    '-7.0245944e-05'
    >>> f"{float(flaxact.gelu(-4.0)):.7e}"
    '-7.0095062e-05'
    """
    form = gelu_form(approximate, "precise.gelu")
    return _gelu_impl(float_input(x, "precise.gelu"), form, precise=True)


def _gelu_impl(x: jax.Array, form: str, *, precise: bool) -> jax.Array:
    if form == "sigmoid":
        fn = (lambda v: _swish_const_precise(v, _QUICK)) if precise else _swish_const(_QUICK)
    elif form == "tanh":
        fn = _gelu_tanh_precise if precise else _gelu_tanh
    elif precise:
        fn = _gelu_erf_precise
    else:  # for half-precision input the slope takes its own erfc (see _gelu_erf_rule)
        fn = _gelu_erf_own if x.dtype in (jnp.bfloat16, jnp.float16) else _gelu_erf
    return rounded(fn, x)


def gelu_form(approximate: Any, name: str = "gelu") -> str:
    """``approximate`` as one of ``"tanh"``, ``"erf"``, ``"sigmoid"``; ValueError otherwise."""
    try:
        form = _GELU_FORMS[approximate] if isinstance(approximate, (bool, str)) else None
    except KeyError:
        form = None
    if form is None:
        raise ValueError(
            f"flaxact.{name}: argument 'approximate' must be True, False, 'tanh', 'erf', "
            f"'none' or 'sigmoid'; got {approximate!r}"
        )
    return form


# GELU's tanh form with 2u = x (a + b x^2), the argument rounded once less than jax.nn's
# sqrt(2/pi) (x + 0.044715 x^3). The value is jax.nn's (x/2)(1 + tanh u): with jax 0.12's
# XLA, x / (1 + exp(-2u)), which keeps its relative accuracy in the negative tail, costs
# more than jax.nn's forward time on the CPU, alone and inside an expression such as
# gelu(x) * x, where tanh costs less than an exponential and a division.
# flaxact.precise.gelu keeps the accurate tail, and so does float64 (the division form),
# whose results the tests hold to 1e-12 relative everywhere.
_GELU_A = 2 * _GELU_C
_GELU_B = 2 * _GELU_C * _GELU_K
_GELU_V = (
    lambda x: x * (_GELU_A + _GELU_B * (x * x)),
    lambda x: _GELU_A + 3 * _GELU_B * (x * x),
)
_gelu_tanh_via_tanh = K.logistic_gate(*_GELU_V, via_tanh=True)
_gelu_tanh_f64 = K.logistic_gate(*_GELU_V)


@jax.jit
def _gelu_tanh(x: jax.Array) -> jax.Array:
    return (_gelu_tanh_f64 if x.dtype == jnp.float64 else _gelu_tanh_via_tanh)(x)


def _gelu_erf_rule(shared: bool):
    """GELU's erf form; its slope shares the value's ``erfc`` and ``exp`` (``shared``) or
    takes its own.

    The slope is jax.nn's form, Phi(x) + x phi(x) = erfc(z)/2 - z exp(-z^2)/sqrt(pi) with
    z = -x/sqrt(2). Shared, z is written as the value writes it, and XLA computes erfc and
    the exp inside it once for value and slope: in float32, two separate erfc and exp
    cost more than the composition a * jax.nn.gelu(b) in geglu's forward + backward. For
    half-precision input (computed in float32) the shared float32 intermediates are
    written to memory between the kernels of the forward + backward pass, twice the bytes
    of the narrow ones jax.nn keeps, which costs more time than jax.nn's on large arrays. There
    the slope writes z differently (x times -1/sqrt 2, not -x times 1/sqrt 2, the same
    value), which XLA does not merge with the value's, and recomputes.
    """

    def f_jvp(primals, tangents):
        # Only the factor is clipped, where exp(-z^2) is 0, so that x = ±inf gives 0
        # rather than inf * 0
        (x,), (t,) = primals, tangents
        z = -x * _INV_SQRT_2 if shared else x * -_INV_SQRT_2
        # the factor before the exp, so that a normal product of a tiny exp is not flushed
        factor = jnp.clip(z, -40.0, 40.0) * _INV_SQRT_PI
        slope = 0.5 * lax.erfc(z) - factor * jnp.exp(-(z * z))
        return f(x), slope * t

    @jax.jit
    @custom_jvp(f_jvp)
    def f(x: jax.Array) -> jax.Array:
        # jax.nn's order: 0.5 x first, so that a tiny erfc is not flushed before the product
        return (0.5 * K.finite_x(x)) * lax.erfc(-x * _INV_SQRT_2)

    return f


_gelu_erf = _gelu_erf_rule(shared=True)
_gelu_erf_own = _gelu_erf_rule(shared=False)


def check_b(b: Any, name: str = "squareplus") -> float | None:
    """squareplus's ``b`` as a float when concrete (None when traced); ValueError below 0."""
    value = param_value(b, name, "b", strict=False)
    if value is not None and not value >= 0:
        raise ValueError(f"flaxact.{name}: argument 'b' must be >= 0; got {value}")
    return value


# squareplus for a concrete b > 0. With a = |x|, r = sqrt(x^2 + b) and p = squareplus(a)
# = (a + r) / 2: squareplus(-a) = (b/4) / p, free of the cancellation in (r - a) / 2, and
# squareplus'(x) = squareplus(x) / r, so squareplus'(-a) = k = (b/4) / (p r) and
# squareplus'(a) = 1 - k. x^2 is clipped at 1e36 (x^2 + b = x^2 there in float32; x^2
# alone overflows past 1.8e19), beyond which p = a and r is taken as p. |x| is a select,
# slope 1 at 0, so second derivatives see the right branch. Value and slope write the
# clip differently, so that XLA does not merge their square roots: a shared sqrt is
# stored between two kernels, while each kernel taking its own is the cheaper (see
# flaxact._kernels.exp_neg_abs).


def _squareplus_const_jvp(b, primals, tangents):
    (x,), (dx,) = primals, tangents
    neg = x < 0
    a = jnp.where(neg, -x, x)
    r = jnp.sqrt(jnp.minimum(x * x, 1e36) + b)
    p = jnp.maximum(a, 0.5 * (a + r))
    k = (0.25 * b) / (p * jnp.maximum(r, p))  # 0 at x = ±inf, where p r is inf
    return _squareplus_const(x, b), jnp.where(neg, k, 1 - k) * dx


@custom_jvp(_squareplus_const_jvp, nondiff_argnums=(1,))
def _squareplus_const(x: jax.Array, b: float) -> jax.Array:
    pos = x >= 0
    a = jnp.where(pos, x, -x)
    p = jnp.maximum(a, 0.5 * (a + jnp.sqrt(jnp.square(jnp.minimum(a, 1e18)) + b)))
    return jnp.where(pos, p, (0.25 * b) / p)


def _squareplus_jvp(primals, tangents):
    x, b = primals
    dx, db = tangents
    out = _squareplus(x, b)
    big = jnp.abs(x) > 1e18
    xs = jnp.where(big, 0.0, x)
    r = jnp.where(big, jnp.abs(x), jnp.sqrt(xs * xs + b))
    safe_r = jnp.where(r == 0, 1.0, r)
    # x >= 0: (1 + x/r)/2;  x < 0: b / (2 r (r - x)), free of cancellation
    ratio = jnp.where(big, jnp.sign(x), x / safe_r)
    d_pos = jnp.where(r == 0, 0.5, 0.5 * (1 + ratio))
    d_neg = b / (2 * safe_r * jnp.where(r - x == 0, 1.0, r - x))
    d_neg = jnp.where(jnp.isinf(x), 0.0, d_neg)
    ddx = jnp.where(x >= 0, d_pos, d_neg)
    ddb = jnp.where(jnp.isinf(x), 0.0, 1 / (4 * safe_r))
    return out, ddx * dx + ddb * db


@custom_jvp(_squareplus_jvp)
def _squareplus(x: jax.Array, b: jax.Array) -> jax.Array:
    big = jnp.abs(x) > 1e18  # x^2 + b would overflow; sqrt(x^2 + b) = |x| there
    xs = jnp.where(big, 0.0, x)
    r = jnp.where(big, jnp.abs(x), jnp.sqrt(xs * xs + b))
    # (x + r) / 2 would overflow near the largest float; there it is x to rounding
    pos = jnp.where(big, x, 0.5 * (x + r))
    denom = r - x
    neg = (0.5 * b) / jnp.where(denom == 0, 1.0, denom)
    return jnp.where(x >= 0, pos, neg)


@activation(
    family="smooth",
    formula=r"\mathrm{squareplus}(x) = \frac{x + \sqrt{x^2 + b}}{2}",
    derivative=r"\mathrm{squareplus}'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)",
    output_range=(0.0, _INF),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=True,
    identity_near_origin=False,
    jax_nn="squareplus",
    ulp_f32=1.3,
    accurate_from=0.0,
    grad_as_jax_nn=True,
    precise_ulp_f32=2.8,
    example_params={"b": (0.25, 1.0, 4.0)},
    parameter_kinks={
        "b == 0": "squareplus is then ReLU: at :math:`x = 0` the one-sided derivatives are "
        ":math:`0` (left) and :math:`1` (right); ``jax.grad`` returns nan there, as "
        "jax.nn's does.",
    },
)
def squareplus(x: ArrayLike, b: ArrayLike = 4) -> jax.Array:
    """Squareplus: a softplus-like rectifier built from a square root.

    Parameters
    ----------
    x : array_like
        Input.
    b : array_like, default 4
        Curvature near 0, :math:`b \\ge 0`; :math:`b = 0` gives ReLU, and
        ``squareplus(0) == sqrt(b) / 2``.

    Returns
    -------
    jax.Array
        Positive values.

    Raises
    ------
    ValueError
        If ``b`` is a concrete negative number (the square root would be nan).

    See Also
    --------
    softplus : The transcendental original.

    Notes
    -----
    jax.nn's form, :math:`(x + \\sqrt{x^2+b})/2`, whose time is its square root: for
    :math:`x < 0` the sum cancels and loses digits as jax.nn's does (the
    cancellation-free :math:`b / (2(\\sqrt{x^2+b} - x))` needs a division, which
    shares the square root's unit and costs more than jax.nn's time:
    :func:`flaxact.precise.squareplus` has it). :math:`x^2 + b` is clipped at
    :math:`10^{36}` and the root taken as at least :math:`|x|`, so the value is right
    where jax.nn's is inf (:math:`|x| \\ge 1.9 \\times 10^{19}`), and the gradient
    :math:`(1 + x/\\sqrt{x^2+b})/2` is finite everywhere (jax.nn's is nan near
    :math:`1.7 \\times 10^{38}`). float64 input takes the accurate form, and so does every
    input with jax 0.12.1 or newer, whose jax.nn.squareplus divides instead of cancelling
    (and overflows no longer): the cost budget is then the division's.

    References
    ----------
    .. [1] J. T. Barron, "Squareplus: a softplus-like algebraic rectifier",
       arXiv:2112.11687, 2021.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.squareplus([-1.5, 0.0, 1.5])
    Array([0.5, 1. , 2. ], dtype=float32)
    >>> flaxact.squareplus(1e30)
    Array(1.e+30, dtype=float32)
    """
    b_value = check_b(b)
    x = float_input(x, "squareplus")
    return _squareplus_impl(x, b, b_value, precise=False)


@precise_form("squareplus")
def precise_squareplus(x: ArrayLike, b: ArrayLike = 4) -> jax.Array:
    r"""The squareplus rectifier without the cancellation of x + sqrt(x^2 + b) for x < 0.

    The accurate form of :func:`flaxact.squareplus`, with the same signature and
    behaviour, at a higher cost than jax.nn's squareplus (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input.
    b : array_like, default 4
        Curvature near 0, :math:`b \ge 0`; :math:`b = 0` gives ReLU, and
        ``squareplus(0) == sqrt(b) / 2``.

    Returns
    -------
    jax.Array
        Positive values.

    See Also
    --------
    flaxact.squareplus : The default, at jax.nn's cost.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from flaxact import precise
    >>> f"{float(precise.squareplus(-1000.0)):.6e}"
    '9.999990e-04'
    >>> x = jnp.float32(-1000.0)
    >>> f"{float((x + jnp.sqrt(x * x + 4)) / 2):.6e}"  # the sum cancels
    '1.007080e-03'
    """
    b_value = check_b(b, "precise.squareplus")
    x = float_input(x, "precise.squareplus")
    return _squareplus_impl(x, b, b_value, precise=True, name="precise.squareplus")


def _squareplus_impl(
    x: jax.Array, b: Any, b_value: float | None, *, precise: bool, name: str = "squareplus"
) -> jax.Array:
    xw = wide(x)
    # float64 is outside the float32 cost budget: it keeps the accurate form. From jax
    # 0.12.1 jax.nn's squareplus divides for x < 0 itself (no cancellation), and so the
    # budget is the accurate form's
    precise = precise or xw.dtype == jnp.float64 or K.JAX >= (0, 12, 1)
    if precise and b_value is not None and b_value > 0:
        return rounded(lambda v: _squareplus_const(v, b_value), x)
    bw = float_input(b, name, "b").astype(xw.dtype)
    return rounded(_squareplus if precise else _squareplus_fast, x, bw)


def _squareplus_root(x: jax.Array, b: jax.Array) -> jax.Array:
    """``sqrt(x^2 + b)``, at least ``|x|``, with ``x^2 + b`` clipped at 1e36 (beyond, the
    root is ``|x|`` in float32, and ``x^2`` alone overflows past 1.8e19). The clip comes
    after the sum, so that XLA can fuse ``x * x + b`` into one rounding as in jax.nn's."""
    return jnp.maximum(jnp.sqrt(jnp.minimum(x * x + b, 1e36)), jnp.abs(x))


def _squareplus_fast_jvp(primals, tangents):
    # (1 + x / r) / 2 and 1 / (4 r), x clipped so that x = ±inf gives ±1 / 2 + 1 / 2
    x, b = primals
    dx, db = tangents
    xc = jnp.clip(x, -1e30, 1e30)
    r = _squareplus_root(xc, b)
    return _squareplus_fast(x, b), 0.5 * (1 + xc / r) * dx + (0.25 / r) * db


@jax.jit
@custom_jvp(_squareplus_fast_jvp)
def _squareplus_fast(x: jax.Array, b: jax.Array) -> jax.Array:
    # jax.nn's (x + r) / 2; x itself above 1e18 (where x + r would overflow near the
    # largest float), x = -inf as the most negative float (0, not -inf + inf)
    xf = K.finite_x(x)
    return jnp.where(x > 1e18, x, 0.5 * (xf + _squareplus_root(xf, b)))


@activation(
    family="smooth",
    formula=r"\mathrm{sparse\_plus}(x) = \begin{cases} 0, & x \le -1 \\ \frac{(x + 1)^2}{4}, & -1 < x < 1 \\ x, & x \ge 1 \end{cases}",
    derivative=r"\mathrm{sparse\_plus}'(x) = \begin{cases} 0, & x \le -1 \\ \frac{x + 1}{2}, & -1 < x < 1 \\ 1, & x \ge 1 \end{cases}",
    output_range=(0.0, _INF),
    monotonic=True,
    smoothness="C1",
    zero_centered=False,
    derivative_monotonic=True,
    identity_near_origin=False,
    jax_nn="sparse_plus",
    ulp_f32=2.0,
)
def sparse_plus(x: ArrayLike) -> jax.Array:
    """Sparse plus: a :math:`C^1` softplus substitute that is exactly 0 below -1.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        Non-negative values.

    See Also
    --------
    sparse_sigmoid : Its derivative.
    softplus : The smooth function it imitates.

    Notes
    -----
    The quadratic piece is evaluated on :math:`x` clipped to :math:`[-1, 1]`, so the
    branch not taken can never overflow (jax.nn's gradient is nan near
    :math:`1.7 \\times 10^{38}`). The first derivative is continuous; the second jumps
    at :math:`\\pm 1`, where the gradient is 0 and 1, as in jax.nn.

    References
    ----------
    .. [1] M. Blondel, A. F. T. Martins and V. Niculae, "Learning with Fenchel-Young
       losses", JMLR 21, 2020.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.sparse_plus([-2.0, 0.0, 0.5, 3.0])
    Array([0.    , 0.25  , 0.5625, 3.    ], dtype=float32)
    """
    x = float_input(x, "sparse_plus")
    return rounded(_sparse_plus, x)


def _sparse_plus_q(x: jax.Array) -> jax.Array:
    """``clip(x, -1, 1) + 1``: 0 below -1, 2 above 1 (so the quadratic never overflows)."""
    return jnp.clip(x, -1.0, 1.0) + 1


# the derivative q / 2 is sparse_sigmoid: 0 up to -1 (at -1 too), 1 from 1 on, as in
# jax.nn; the one array stored for the backward pass. Differentiated again, the clip's
# bounds split their ties: 1/4 at x = ±1, sparse_sigmoid's own gradient there
@jax.jit
@custom_jvp(jvps=lambda g, ans, x: g * (0.5 * _sparse_plus_q(x)))
def _sparse_plus(x: jax.Array) -> jax.Array:
    # (x + 1)^2 / 4 on x clipped to [-1, 1] is 0 below -1 by itself; above 1 it is x
    q = _sparse_plus_q(x)
    return jnp.where(x >= 1, x, 0.25 * (q * q))


# log(2 sinh(x/2) / x) / x**2 as a polynomial in w = x**2 for x in [0, ln 2], degree 2:
# absolute error 3.2e-10 on log(2 sinh(x/2) / x) (float32 coefficients, least squares at
# Chebyshev nodes against mpmath, each rounding absorbed by the terms above)
_LOG1MEXP_H = (0.0416666679084301, -0.0003472222597338259, 5.459882686409401e-06)


# XLA's expm1 (5.2 ULP, as jax.nn's gradient): well inside the gradient's 1e-6
@jax.jit
@custom_jvp(jvps=lambda g, ans, x: g / jnp.expm1(x))
def _log1mexp(x: jax.Array) -> jax.Array:
    if x.dtype == jnp.float64 or K.XLA_LOG1P:  # XLA's expm1, log1p and log are accurate
        return jnp.where(x <= K.LN2, jnp.log(-jnp.expm1(-x)), jnp.log1p(-jnp.exp(-x)))
    # Machler's two branches, one log of a selected argument between them. x <= ln 2:
    # log(1 - e^-x) = log(x) + h(x), h(x) = log(2 sinh(x/2) / x) - x/2, both terms <= 0
    # (no cancellation) and h a short polynomial. Above: log1p(-u), u = e^-x, as
    # log(s) + e / s with s = 1 - u rounded and e = (1 - s) - u its exact rounding error.
    # Each branch's argument is clipped to its side of ln 2 (no 0 / 0, no overflow)
    small = x <= K.LN2
    xs = jnp.minimum(x, K.LN2)
    u = jnp.exp(-jnp.maximum(x, K.LN2))
    s = 1 - u
    e = (1 - s) - u
    w = xs * xs
    h = w * K._horner(_LOG1MEXP_H, w) - 0.5 * xs
    log_arg = jnp.log(jnp.where(small, xs, s))
    # the sum inside each branch, not log + select(...): XLA then keeps the whole in one
    # loop (a final add is pulled into a following reduction, splitting the rest in two)
    return jnp.where(small, log_arg + h, log_arg + e / s)


@activation(
    family="smooth",
    formula=r"\mathrm{log1mexp}(x) = \log\left(1 - e^{-x}\right), \quad x > 0",
    derivative=r"\mathrm{log1mexp}'(x) = \frac{1}{e^{x} - 1}",
    output_range=(-_INF, 0.0),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    jax_nn="log1mexp",
    ulp_f32=2.5,
)
def log1mexp(x: ArrayLike) -> jax.Array:
    """:math:`\\log(1 - e^{-x})` for :math:`x > 0`, accurate at both ends.

    The log-probability of the complement of an event with log-probability
    :math:`-x`; used in survival models and for log-space probabilities.

    Parameters
    ----------
    x : array_like
        Input, :math:`x > 0` (0 gives :math:`-\\infty`, negative input nan, as jax.nn).

    Returns
    -------
    jax.Array
        Negative values.

    See Also
    --------
    log_sigmoid : Another log-probability transform.

    Notes
    -----
    Mächler's switch at :math:`\\log 2`. Below it,
    :math:`\\log(1 - e^{-x}) = \\log x + \\log\\frac{2\\sinh(x/2)}{x} - \\frac{x}{2}`,
    the middle term a short polynomial in :math:`x^2`; :math:`\\log x` and the rest are
    both negative, so their sum does not cancel. Above it, :math:`\\mathrm{log1p}(-e^{-x})`, with the rounding error of
    :math:`1 - e^{-x}` added back. The gradient :math:`1/\\mathrm{expm1}(x)` is jax.nn's
    (XLA's ``expm1``, a few ULP: far inside the gradient's accuracy).

    References
    ----------
    .. [1] M. Mächler, "Accurately computing :math:`\\log(1 - e^{-|a|})`", Rmpfr
       package vignette, 2012.

    Examples
    --------
    >>> import numpy as np
    >>> import flaxact
    >>> np.asarray(flaxact.log1mexp([0.5, 2.0, 20.0])).round(4)
    array([-0.9328, -0.1454, -0.    ], dtype=float32)
    """
    x = float_input(x, "log1mexp")
    return rounded(_log1mexp, x)


# --------------------------------------------------------------------------- snake
def _is_power_of_two(v: float) -> bool:
    return math.frexp(abs(v))[0] == 0.5


def _snake_const_jvp(alpha, primals, tangents):
    (x,), (dx,) = primals, tangents
    u = x if alpha == 1 else alpha * x
    return _snake_const(x, alpha), _snake_slope(jnp.sin(u), jnp.cos(u)) * dx


@functools.partial(jax.jit, static_argnums=1)
@custom_jvp(_snake_const_jvp, nondiff_argnums=(1,))
def _snake_const(x: jax.Array, alpha: float) -> jax.Array:
    """snake for a concrete, non-zero ``alpha``."""
    u = x if alpha == 1 else alpha * x
    s = jnp.sin(u)
    # The composition's arithmetic: the sine costs little enough that carrying the square
    # and the sum in two parts costs more than the forward time of x + sin(alpha x)**2 /
    # alpha with jax 0.12 (float32, CPU), and gains almost nothing: the error is the
    # sine's, magnified where the sum cancels. For a power of two, x + s (s / alpha) (an
    # exact scaling) lets XLA contract the sum into a fused multiply-add that rounds the
    # square once less than the composition; otherwise the composition's order
    # (s s) / alpha, whose rounding is the smaller
    out = x + s * (s * (1 / alpha)) if _is_power_of_two(alpha) else x + (s * s) / alpha
    # where alpha x is beyond the float range (and at x = +-inf), |s^2 / alpha| < ulp(x) / 2
    return jnp.where(jnp.isfinite(u), out, x)


def _snake_slope(s: jax.Array, c: jax.Array) -> jax.Array:
    """``1 + sin(2u)`` as ``(sin u + cos u)^2``: never negative, and accurate next to its
    zeros (``1 + 2 sin u cos u`` is off by an ULP of 1 there). From the sine and cosine
    of ``u``: ``2u`` would overflow for ``|u| > 1.7e38``."""
    r = s + c
    return r * r


def _snake_ratio(x: jax.Array, alpha: jax.Array, s: jax.Array) -> jax.Array:
    """``sin(alpha x) / alpha``, and its limit ``x`` at ``alpha = 0``."""
    zero = alpha == 0
    return jnp.where(zero, x, s / jnp.where(zero, jnp.ones_like(alpha), alpha))


def _snake_jvp(primals, tangents):
    # d/dx = 1 + sin(2 alpha x); d/dalpha = w (2 x cos(alpha x) - w), w = sin(alpha x) / alpha,
    # which is x^2 at alpha = 0 (the difference quotient of sin^2(alpha x) / alpha cancels)
    x, alpha = primals
    dx, dalpha = tangents
    out = _snake(x, alpha)
    u = alpha * x
    s, c = jnp.sin(u), jnp.cos(u)
    w = _snake_ratio(x, alpha, s)
    return out, tangent_sum(
        out, (lambda: _snake_slope(s, c), dx), (lambda: w * ((2 * x) * c - w), dalpha)
    )


@jax.jit
@custom_jvp(_snake_jvp, symbolic_zeros=True)
def _snake(x: jax.Array, alpha: jax.Array) -> jax.Array:
    u = alpha * x
    s = jnp.sin(u)
    return jnp.where(jnp.isfinite(u), x + s * _snake_ratio(x, alpha, s), x)


@activation(
    family="smooth",
    formula=r"\mathrm{snake}(x) = x + \frac{\sin^2(\alpha x)}{\alpha}",
    derivative=r"\mathrm{snake}'(x) = 1 + \sin(2 \alpha x)",
    output_range=(-_INF, _INF),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=True,
    derivative_monotonic=False,
    identity_near_origin=True,
    ulp_f32=2.5,
    example_params={"alpha": (0.25, 0.5, 1.0)},
)
def snake(x: ArrayLike, alpha: ArrayLike = 1.0) -> jax.Array:
    """Snake: the identity plus a periodic ripple, :math:`x + \\sin^2(\\alpha x)/\\alpha`.

    A monotonic activation that can extrapolate periodic signals (ReLU and tanh networks
    cannot); the activation of the BigVGAN and DAC audio models, with one
    :math:`\\alpha` per channel.

    Parameters
    ----------
    x : array_like
        Input.
    alpha : array_like, default 1.0
        Frequency :math:`\\alpha`, a scalar or an array broadcast against ``x`` (one
        value per channel), fixed or learned. :math:`\\alpha = 0` gives the limit,
        the identity; a negative :math:`\\alpha` is taken as in the formula
        (``snake(x, -a) == -snake(-x, a)``).

    Returns
    -------
    jax.Array
        The activation, with the broadcast shape of ``x`` and ``alpha`` and the dtype of
        ``x`` (float32 for integer input).

    Raises
    ------
    TypeError
        If ``alpha`` is a bool, complex or not a number.
    ValueError
        If ``alpha`` is concrete and nan or infinite, or does not broadcast against ``x``.

    See Also
    --------
    flaxact.Snake : The linen module that learns :math:`\\alpha` per channel (also
        ``flaxact.nnx.Snake``).
    silu : A smooth rectifier, for comparison.

    Notes
    -----
    The derivative :math:`1 + \\sin(2\\alpha x)` lies in :math:`[0, 2]`: the function
    never decreases, and it stays within :math:`1/|\\alpha|` of :math:`x`. At
    :math:`\\alpha = 0` it is :math:`x` with derivative 1, the limit (BigVGAN and DAC
    divide by :math:`\\alpha + 10^{-9}` instead, which is wrong near
    :math:`\\alpha = -10^{-9}`). The gradient with respect to :math:`\\alpha` is
    :math:`w (2x\\cos(\\alpha x) - w)` with :math:`w = \\sin(\\alpha x)/\\alpha`, which
    is :math:`x^2` at :math:`\\alpha = 0` and tends to it (the formula as written
    divides 0 by 0 there).

    Numerics: :math:`x + \\sin^2(\\alpha x)/\\alpha` cancels for :math:`x\\alpha < 0` by up
    to a factor of about 6, which multiplies the sine's own error (XLA's, within about
    half an ULP) and the rounding of the square. The arithmetic is the composition's;
    for :math:`\\alpha` a power of two the square is scaled first so that the sum can be
    a fused multiply-add. For other :math:`\\alpha` the division's rounding adds to
    the error, as in the composition, and the tested bound does not apply.
    :math:`\\alpha x` is rounded once unless :math:`\\alpha` is a power of two.
    Where :math:`\\alpha x` is beyond the float range the result is :math:`x` (the
    ripple is below half an ULP of :math:`x` there); the derivative has no limit as
    :math:`x \\to \\pm\\infty`, and the gradient there (and where :math:`\\alpha x`
    overflows) is nan.

    References
    ----------
    .. [1] Liu Ziyin, T. Hartwig and M. Ueda, "Neural networks fail to learn periodic
       functions and how to fix it", NeurIPS 2020.
    .. [2] S. Lee, W. Ping, B. Ginsburg, B. Catanzaro and S. Yoon, "BigVGAN: a universal
       neural vocoder with large-scale training", ICLR 2023.

    Examples
    --------
    >>> import jax
    >>> import jax.numpy as jnp
    >>> import numpy as np
    >>> import flaxact
    >>> np.asarray(flaxact.snake([-2.0, 0.0, 0.5, 2.0])).round(4)
    array([-1.1732,  0.    ,  0.7298,  2.8268], dtype=float32)
    >>> flaxact.snake([-2.0, 0.0, 2.0], alpha=0.0)  # the limit: the identity
    Array([-2.,  0.,  2.], dtype=float32)

    One :math:`\\alpha` per channel (last axis), and its gradient, :math:`x^2` at
    :math:`\\alpha = 0`:

    >>> x = jnp.array([[1.0, 2.0], [3.0, -1.0]])
    >>> alpha = jnp.array([0.0, 0.5])
    >>> np.asarray(flaxact.snake(x, alpha)).round(4)
    array([[ 1.    ,  3.4161],
           [ 3.    , -0.5403]], dtype=float32)
    >>> loss = lambda a: flaxact.snake(x, a).sum()
    >>> np.asarray(jax.grad(loss)(alpha)).round(4)
    array([10.    ,  1.5684], dtype=float32)
    """
    a = param_value(alpha, "snake", "alpha")
    x = float_input(x, "snake")
    if a is not None:
        if a == 0:
            return x
        return rounded(lambda v: _snake_const(v, a), x)
    return snake_traced(wide(x), alpha).astype(x.dtype)


def snake_traced(x: jax.Array, alpha: Any) -> jax.Array:
    """snake of a float array ``x`` (computed in its dtype) with an array ``alpha``, which
    may be traced and is differentiable; broadcast against ``x``. For the modules."""
    a = float_input(alpha, "snake", "alpha").astype(x.dtype)
    try:
        shape = jnp.broadcast_shapes(x.shape, a.shape)
    except ValueError:
        raise ValueError(
            f"flaxact.snake: argument 'alpha' of shape {a.shape} does not broadcast against "
            f"'x' of shape {x.shape}"
        ) from None
    return _snake(jnp.broadcast_to(x, shape), a)


#: GELU's forms as the gate of GeGLU: the logistic ones with a gate's derivative rule
#: (one array kept between kernels, see ``K.logistic_gate``; the tanh form takes
#: jax.nn's tanh, as the composition a * jax.nn.gelu(b) does), the tanh and erf forms
#: as gelu's
GELU_GATES = {
    "tanh": _gelu_tanh,
    "sigmoid": jax.jit(K.logistic_gate(lambda x: _QUICK * x, lambda x: _QUICK)),
    "erf": _gelu_erf,
}
