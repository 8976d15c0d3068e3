"""Exponential linear units: ELU, CELU and SELU.

The negative branch is :math:`\\alpha(e^x - 1)`, evaluated with flaxact's float32
``expm1`` (XLA's CPU ``expm1`` loses several ULP). Gradients are set with ``jax.custom_jvp``
as :math:`\\alpha e^x` on the negative side, accurate down to the underflow of
:math:`e^x` (jax.nn's gradient is exactly 0 below :math:`x = -17.3`).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from . import _kernels as K
from ._core import concrete_scalar, float_input, tangent_sum, wide
from ._registry import Kink, activation

__all__ = ["celu", "elu", "selu"]

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


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _elu_const(x: jax.Array, alpha: float) -> jax.Array:
    return _elu_value(x, alpha)


@_elu_const.defjvp
def _elu_const_jvp(alpha, primals, tangents):
    (x,), (dx,) = primals, tangents
    # the primal through the custom rule again, so that higher derivatives keep it
    return _elu_const(x, alpha), _elu_slope(x, alpha) * dx


@jax.custom_jvp
def _elu(x: jax.Array, alpha: jax.Array) -> jax.Array:
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


_elu.defjvp(_elu_jvp, symbolic_zeros=True)


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
    reference="Clevert, Unterthiner & Hochreiter (2016), Fast and accurate deep network learning by exponential linear units (ELUs), ICLR.",
    jax_nn="elu",
    frameworks={
        "PyTorch": "torch.nn.functional.elu(alpha=1.0)",
        "Keras": "keras.activations.elu(alpha=1.0)",
    },
    ulp_f32=2.0,
    speed_note=(
        "flaxact's expm1 for x <= 0 (a degree-5 polynomial above -0.7 and exp(x) - 1 "
        "below, both evaluated and selected) replaces XLA's, which loses several ULP; the "
        "backward pass takes its own exp for alpha*exp(x) rather than storing the "
        "forward's."
    ),
    example_params={"alpha": (0.5, 1.0, 2.0)},
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
    a = concrete_scalar(alpha, "elu", "alpha")
    x = float_input(x, "elu")
    xw = wide(x)
    if a is not None:  # a constant of the program: nothing to differentiate, nothing stored
        return _elu_const(xw, a).astype(x.dtype)
    return _elu(xw, _param(alpha, "elu", "alpha", xw)).astype(x.dtype)


@jax.custom_jvp
def _celu(x: jax.Array, alpha: jax.Array) -> jax.Array:
    # for |x| < 2^-40, alpha expm1(x / alpha) = x (1 + x / (2 alpha)) rounds to x; computing
    # it would flush x / alpha to zero when that quotient is subnormal
    tiny = jnp.abs(x) < 2.0**-40
    return jnp.where((x > 0) | tiny, x, alpha * K.expm1(_neg_part(x) / alpha))


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


_celu.defjvp(_celu_jvp, symbolic_zeros=True)


def _celu_const_value(x: jax.Array, alpha: float) -> jax.Array:
    # for |x| < (eps / 4) alpha, alpha expm1(x / alpha) = x (1 + x / (2 alpha)) rounds to x;
    # computing it would flush x / alpha to zero where that quotient is subnormal
    tiny = float(jnp.finfo(x.dtype).eps) / 4 * alpha
    return jnp.where(x > -tiny, x, _expm1_times(_celu_arg(x, alpha), alpha, az=_neg_part(x)))


def _celu_arg(x: jax.Array, alpha: float) -> jax.Array:
    """``min(x, 0) / alpha``; a multiply where ``1 / alpha`` is exact (a power of two)."""
    xn = _neg_part(x)
    return xn * (1.0 / alpha) if math.frexp(alpha)[0] == 0.5 else xn / alpha


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def _celu_const(x: jax.Array, alpha: float) -> jax.Array:
    """celu for a concrete ``alpha > 0`` (so that ``x / alpha <= 0`` on the exponential side)."""
    return _celu_const_value(x, alpha)


@_celu_const.defjvp
def _celu_const_jvp(alpha, primals, tangents):
    (x,), (dx,) = primals, tangents
    slope = jnp.where(x > 0, 1.0, jnp.exp(_celu_arg(x, alpha))).astype(x.dtype)
    return _celu_const(x, alpha), slope * dx


@activation(
    family="exponential",
    formula=r"\mathrm{celu}(x) = \begin{cases} x, & x > 0 \\ \alpha \left(e^{x/\alpha} - 1\right), & x \le 0 \end{cases}",
    derivative=r"\mathrm{celu}'(x) = \begin{cases} 1, & x > 0 \\ e^{x/\alpha}, & x \le 0 \end{cases}",
    output_range=(-1.0, _INF),
    monotonic=True,
    smoothness="C1",
    zero_centered=True,
    reference="Barron (2017), Continuously differentiable exponential linear units, arXiv:1704.07483.",
    jax_nn="celu",
    frameworks={
        "PyTorch": "torch.nn.functional.celu(alpha=1.0)",
        "Keras": "keras.activations.celu(alpha=1.0)",
    },
    ulp_f32=2.5,
    speed_note=(
        "As elu (jax.nn divides x by alpha too; flaxact multiplies where 1/alpha is exact)."
    ),
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
    a = concrete_scalar(alpha, "celu", "alpha")
    if a == 0.0:
        raise ValueError(
            "flaxact.celu: argument 'alpha' must be non-zero; got 0 (celu divides by alpha)"
        )
    x = float_input(x, "celu")
    xw = wide(x)
    if a is not None and a > 0:
        return _celu_const(xw, a).astype(x.dtype)
    return _celu(xw, _param(alpha, "celu", "alpha", xw)).astype(x.dtype)


_SA_HI, _SA_LO = K.split_const(SELU_SCALE * SELU_ALPHA, "float32")


@jax.custom_jvp
def _selu(x: jax.Array) -> jax.Array:
    return jnp.where(x > 0, SELU_SCALE * x, _expm1_times(_neg_part(x), _SA_HI, _SA_LO))


def _selu_slope(x: jax.Array) -> jax.Array:
    # at x = 0 the left branch is taken (lambda alpha), as in jax.nn
    sa = _exp_times(_neg_part(x), SELU_SCALE * SELU_ALPHA)
    return jnp.where(x > 0, SELU_SCALE, sa).astype(x.dtype)


_selu.defjvps(lambda g, ans, x: g * _selu_slope(x))


@activation(
    family="exponential",
    formula=r"\mathrm{selu}(x) = \lambda \begin{cases} x, & x > 0 \\ \alpha \left(e^{x} - 1\right), & x \le 0 \end{cases}",
    derivative=r"\mathrm{selu}'(x) = \lambda \begin{cases} 1, & x > 0 \\ \alpha e^{x}, & x \le 0 \end{cases}",
    output_range=(-SELU_SCALE * SELU_ALPHA, _INF),
    monotonic=True,
    smoothness="C0",
    zero_centered=True,
    kinks=(Kink(0.0, SELU_SCALE * SELU_ALPHA, (SELU_SCALE * SELU_ALPHA, SELU_SCALE)),),
    reference="Klambauer, Unterthiner, Mayr & Hochreiter (2017), Self-normalizing neural networks, NeurIPS.",
    jax_nn="selu",
    frameworks={
        "PyTorch": "torch.nn.functional.selu (pair with AlphaDropout)",
        "Keras": "keras.activations.selu (pair with lecun_normal init)",
    },
    ulp_f32=2.0,
    speed_note=(
        "As elu, plus lambda*alpha applied as a two-part constant (a second multiply-add)."
    ),
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
    return _selu(wide(x)).astype(x.dtype)


# Each kernel is traced once per shape and dtype, as jax.nn jits its functions: a model
# that applies an activation in every layer then traces it once, not once per layer
# (compile time of a deep model is measured against jax.nn's by benchmarks/cost.py).
_elu = jax.jit(_elu)
_elu_const = jax.jit(_elu_const, static_argnums=1)
_celu = jax.jit(_celu)
_celu_const = jax.jit(_celu_const, static_argnums=1)
_selu = jax.jit(_selu)
