"""Exponential linear units: ELU, CELU and SELU.

The negative branch is :math:`\\alpha(e^x - 1)`, evaluated with flaxact's float32
``expm1`` (XLA's CPU ``expm1`` loses several ULP). Gradients are set with ``jax.custom_jvp``
as :math:`\\alpha e^x` on the negative side, accurate down to the underflow of
:math:`e^x` (jax.nn's gradient is exactly 0 below :math:`x = -17.3`).
"""

from __future__ import annotations

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
    """``min(x, 0)``: keeps the exponential branch away from overflow for positive ``x``."""
    return jnp.minimum(x, jnp.zeros_like(x))


@jax.custom_jvp
def _elu(x: jax.Array, alpha: jax.Array) -> jax.Array:
    return jnp.where(x > 0, x, alpha * K.expm1(_neg_part(x)))


def _elu_jvp(primals, tangents):
    x, alpha = primals
    dx, dalpha = tangents
    em1 = K.expm1(_neg_part(x))
    out = jnp.where(x > 0, x, alpha * em1)
    # at x = 0 the left branch is taken (elu'(0) = alpha), as in jax.nn
    return out, tangent_sum(
        out,
        (lambda: jnp.where(x > 0, 1.0, K.mul_exp(alpha, _neg_part(x))).astype(x.dtype), dx),
        (lambda: jnp.where(x > 0, 0.0, em1).astype(x.dtype), dalpha),
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
        "flaxact's expm1 (a degree-8 polynomial near 0 and exp(x) - 1 outside, both "
        "evaluated and selected) replaces XLA's, which loses several ULP; the backward "
        "pass forms alpha*exp(x) with a shifted exp so that it stays accurate down to x ="
        " -87."
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
    x = float_input(x, "elu")
    xw = wide(x)
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
    speed_note=("As elu, plus the division x/alpha."),
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
    is :math:`C^1`. The division :math:`x/\\alpha` adds a rounding for :math:`\\alpha`
    not a power of two (powers of two divide exactly). A traced
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
    return _celu(xw, _param(alpha, "celu", "alpha", xw)).astype(x.dtype)


_SA_HI, _SA_LO = K.split_const(SELU_SCALE * SELU_ALPHA, "float32")


@jax.custom_jvp
def _selu(x: jax.Array) -> jax.Array:
    neg = K.expm1(_neg_part(x))
    scale_alpha = jnp.asarray(_SA_HI, x.dtype)
    return jnp.where(x > 0, SELU_SCALE * x, scale_alpha * neg + _SA_LO * neg)


_selu.defjvps(
    lambda g, ans, x: (
        g
        * jnp.where(x > 0, SELU_SCALE, K.mul_exp(SELU_SCALE * SELU_ALPHA, _neg_part(x))).astype(
            x.dtype
        )
    )
)


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
