"""S-shaped activations: sigmoid, log-sigmoid, tanh and soft sign.

sigmoid and tanh are XLA's ``logistic`` and ``tanh``, as in jax.nn (their cost is the
budget); the accurate forms built from :mod:`flaxact._kernels` (an ``exp`` and a short
polynomial, free of cancellation, with gradients that stay accurate in the tails) are
kept as ``_sigmoid_precise`` and ``_tanh_precise`` for :mod:`flaxact.precise`.
log_sigmoid and soft_sign fit the budget in their accurate forms.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from . import _kernels as K
from ._core import custom_jvp, float_input, rounded
from ._registry import activation, precise_form

__all__ = ["log_sigmoid", "sigmoid", "soft_sign", "tanh", "tanh_shrink"]

_INF = float("inf")


@custom_jvp(jvps=lambda g, ans, x: g * K.dsigmoid(x))
def _sigmoid_precise(x: jax.Array) -> jax.Array:
    return K.sigmoid_df(x)


@activation(
    family="sigmoidal",
    formula=r"\mathrm{sigmoid}(x) = \sigma(x) = \frac{1}{1 + e^{-x}}",
    derivative=r"\sigma'(x) = \sigma(x)\,\sigma(-x)",
    output_range=(0.0, 1.0),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    jax_nn="sigmoid",
    ulp_f32=2.5,
    grad_as_jax_nn=True,
    precise_ulp_f32=2.5,
)
def sigmoid(x: ArrayLike) -> jax.Array:
    """Logistic sigmoid: squashes any real number into :math:`(0, 1)`.

    The output layer of a binary (or multi-label) classifier, read as a probability.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float (jax.nn raises).

    Returns
    -------
    jax.Array
        Values in :math:`(0, 1)` (rounding to 0 and 1 far in the tails).

    See Also
    --------
    log_sigmoid : Its logarithm, without underflow.
    hard_sigmoid : A piecewise-linear approximation.
    softmax : The multi-class generalisation.

    Notes
    -----
    XLA's ``logistic``, as jax.nn: the same program, so the same speed and the same
    values in float32 (bfloat16 and float16 are computed in float32 and rounded once).
    The gradient is jax.nn's :math:`s(1-s)` from the output, which rounds to 0 beyond
    :math:`x = 17` where the derivative is :math:`e^{-x}`; computing it there takes
    an exponential of its own, which costs more time than jax.nn's backward pass.
    :func:`flaxact.precise.sigmoid` does, with :math:`1/(1+e)` for :math:`x \\ge 0`,
    :math:`e/(1+e)` below (:math:`e = e^{-|x|}`) and :math:`\\sigma(x)\\sigma(-x)` as
    the gradient, accurate to the last bits over the whole range.

    References
    ----------
    .. [1] D. E. Rumelhart, G. E. Hinton and R. J. Williams, "Learning representations
       by back-propagating errors", Nature 323, 533-536, 1986.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> import numpy as np
    >>> np.asarray(flaxact.sigmoid([-1.0, 0.0, 1.0])).round(4)
    array([0.2689, 0.5   , 0.7311], dtype=float32)
    >>> float(jax.grad(flaxact.sigmoid)(0.0))
    0.25
    """
    x = float_input(x, "sigmoid")
    return rounded(jax.nn.sigmoid, x)


@precise_form("sigmoid")
def precise_sigmoid(x: ArrayLike) -> jax.Array:
    """Logistic sigmoid, accurate in both tails, with an accurate gradient beyond x = 17.

    The accurate form of :func:`flaxact.sigmoid`, with the same signature and
    behaviour, at a higher cost (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float (jax.nn raises).

    Returns
    -------
    jax.Array
        Values in :math:`(0, 1)` (rounding to 0 and 1 far in the tails).

    See Also
    --------
    flaxact.sigmoid : The default, at jax.nn's cost.

    Examples
    --------
    >>> import jax
    >>> from flaxact import precise
    >>> f"{float(jax.grad(precise.sigmoid)(20.0)):.4e}"
    '2.0612e-09'
    >>> float(jax.grad(jax.nn.sigmoid)(20.0))
    0.0
    """
    x = float_input(x, "precise.sigmoid")
    return rounded(_sigmoid_precise, x)


@jax.jit
@custom_jvp(jvps=lambda g, ans, x: g * K.sigmoid_neg_df(x, own=True))
def _log_sigmoid(x: jax.Array) -> jax.Array:
    return -K.softplus(-x)


@activation(
    family="sigmoidal",
    formula=r"\mathrm{log\_sigmoid}(x) = \log \sigma(x) = -\log\left(1 + e^{-x}\right)",
    derivative=r"\mathrm{log\_sigmoid}'(x) = \sigma(-x)",
    output_range=(-_INF, 0.0),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    jax_nn="log_sigmoid",
    ulp_f32=2.5,
)
def log_sigmoid(x: ArrayLike) -> jax.Array:
    """Logarithm of the sigmoid, computed without forming the sigmoid.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        Values in :math:`(-\\infty, 0)`; about :math:`x` for large negative :math:`x`.

    See Also
    --------
    sigmoid : The function whose logarithm this is.
    softplus : ``log_sigmoid(x) == -softplus(-x)``.

    Notes
    -----
    Computed as :math:`-\\mathrm{softplus}(-x)` with an accurate ``log1p``. The gradient is :math:`\\sigma(-x)`,
    exact to rounding.

    References
    ----------
    .. [1] D. R. Cox, "The regression analysis of binary sequences", Journal of the
       Royal Statistical Society B 20, 215-242, 1958.

    Examples
    --------
    >>> import flaxact
    >>> import numpy as np
    >>> np.asarray(flaxact.log_sigmoid([-100.0, 0.0, 10.0])).round(6)
    array([-1.00000e+02, -6.93147e-01, -4.50000e-05], dtype=float32)
    """
    x = float_input(x, "log_sigmoid")
    return rounded(_log_sigmoid, x)


def _dtanh(x: jax.Array) -> jax.Array:
    # sech^2(x) = 4 e / (1 + e)^2 with e = exp(-2|x|): no cancellation (1 - tanh^2 has it)
    _, m, scale = K.exp_neg_abs(2 * x, own=True)
    e = m * scale
    return ((4 * m) / ((1 + e) * (1 + e))) * scale


@custom_jvp(jvps=lambda g, ans, x: g * _dtanh(x))
def _tanh_precise(x: jax.Array) -> jax.Array:
    return K.tanh(x)


@activation(
    family="sigmoidal",
    formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    derivative=r"\tanh'(x) = 1 - \tanh^2(x) = \mathrm{sech}^2(x)",
    output_range=(-1.0, 1.0),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=True,
    derivative_monotonic=False,
    identity_near_origin=True,
    jax_nn="tanh",
    ulp_f32=4.9,
    grad_as_jax_nn=True,
    precise_ulp_f32=1.6,
)
def tanh(x: ArrayLike, /) -> jax.Array:
    """Hyperbolic tangent: a zero-centred sigmoid with range :math:`(-1, 1)`.

    Parameters
    ----------
    x : array_like
        Input (positional only, as ``jax.nn.tanh``).

    Returns
    -------
    jax.Array
        Values in :math:`(-1, 1)`.

    See Also
    --------
    sigmoid : ``tanh(x) == 2 sigmoid(2x) - 1``.
    hard_tanh : A piecewise-linear approximation.
    soft_sign : Approaches :math:`\\pm 1` polynomially instead of exponentially.

    Notes
    -----
    XLA's ``tanh``, as jax.nn: one rational approximation without an exponential,
    which loses several ULP on the CPU but is the fastest form there; the gradient is
    jax.nn's :math:`1 - \\tanh^2`, from the output, which loses its relative accuracy
    for :math:`|x| > 1` and is 0 beyond :math:`|x| = 9`. An accurate tanh (an odd
    polynomial for :math:`|x| < 0.55`, :math:`(1-e)/(1+e)` with :math:`e = e^{-2|x|}`
    above) and gradient (:math:`4e/(1+e)^2`) cost well over jax.nn's time, forward and
    with the backward pass: they are :func:`flaxact.precise.tanh`.

    References
    ----------
    .. [1] Y. LeCun, L. Bottou, G. B. Orr and K.-R. Müller, "Efficient BackProp", in
       Neural Networks: Tricks of the Trade, Springer, 1998.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> import numpy as np
    >>> np.asarray(flaxact.tanh([-20.0, 0.0, 0.5])).round(4)
    array([-1.    ,  0.    ,  0.4621], dtype=float32)
    >>> float(jax.grad(flaxact.tanh)(0.0))
    1.0
    """
    x = float_input(x, "tanh")
    return rounded(jnp.tanh, x)


@precise_form("tanh")
def precise_tanh(x: ArrayLike, /) -> jax.Array:
    """Hyperbolic tangent accurate in float32, with a gradient accurate where 1 - tanh^2 is 0.

    The accurate form of :func:`flaxact.tanh`, with the same signature and
    behaviour, at a higher cost (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input (positional only, as ``jax.nn.tanh``).

    Returns
    -------
    jax.Array
        Values in :math:`(-1, 1)`.

    See Also
    --------
    flaxact.tanh : The default, at jax.nn's cost.

    Examples
    --------
    >>> import jax
    >>> from flaxact import precise
    >>> f"{float(jax.grad(precise.tanh)(10.0)):.4e}"
    '8.2446e-09'
    >>> float(jax.grad(jax.nn.tanh)(10.0))
    0.0
    """
    x = float_input(x, "precise.tanh")
    return rounded(_tanh_precise, x)


# (x - tanh(x)) / x**3 as a polynomial in x**2 on |x| <= 0.8, degree 5: relative error
# 7.6e-8 (least squares at Chebyshev nodes against mpmath). Above 0.8 the result is at
# least 1/8, where the subtraction magnifies tanh's error no more than at 1: degree 5
# rather than 7 keeps the program within twice the size of x - tanh(x).
_TANH_SHRINK_P = (
    0.33333331066528665,
    -0.1333307263725182,
    0.05391922212202513,
    -0.02152668127958248,
    0.007743903749132092,
    -0.001768743788559021,
)
# The same on |x| <= 1, degree 7: relative error 5.8e-9, for the precise form
_TANH_SHRINK_P7 = (
    0.3333333317053652,
    -0.13333311976507556,
    0.05396362236854173,
    -0.021830777687350766,
    0.00870132108078408,
    -0.0032118537375908575,
    0.0009271475255383251,
    -0.0001438288192716014,
)
# Its Taylor series, for float64 on |x| < 0.1 (truncation error below 1e-17 there)
_TANH_SHRINK_T64 = (
    1 / 3,
    -2 / 15,
    17 / 315,
    -62 / 2835,
    1382 / 155925,
    -21844 / 6081075,
    929569 / 638512875,
)


def _tanh_shrink_parts(x: jax.Array, precise: bool) -> tuple[jax.Array, jax.Array]:
    """``(x - tanh(x), tanh(x))``, the first without cancellation near 0.

    x - tanh(x) loses every digit as x -> 0 (it is x**3 / 3 there); below the cut it is
    x**3 times a polynomial in x**2. Above, the default takes XLA's tanh, whose few-ULP
    error the subtraction magnifies at most 4 ULP for 1 at the cut, and returns that tanh
    (its square, the derivative, keeps its relative accuracy everywhere). The precise
    form writes |x| - tanh|x| = (|x| - 1) + 2e / (1 + e) with e = exp(-2|x|) (|x| - 1
    exact), and tanh as x minus the polynomial below the cut (at most a quarter of x:
    no cancellation), (1 - e) / (1 + e) above.
    """
    f64 = x.dtype == jnp.float64
    cut, coefs = (0.1, _TANH_SHRINK_T64) if f64 else (0.8, _TANH_SHRINK_P)
    if precise and not f64:
        cut, coefs = 1.0, _TANH_SHRINK_P7
    x2 = x * x
    poly = jnp.full_like(x, coefs[-1])
    for c in coefs[-2::-1]:
        poly = poly * x2 + c
    small = x * x2 * poly
    inside = x2 < cut * cut
    if precise and not f64:
        a = jnp.abs(x)
        e = jnp.exp(-2 * a)
        q = (2 * e) / (1 + e)
        sign = jnp.sign(x)
        big, th = sign * ((a - 1) + q), jnp.where(inside, x - small, sign * (1 - q))
    else:
        th = jnp.tanh(x)
        big = x - th
    return jnp.where(inside, small, big), th


def _tanh_shrink_rule(precise: bool):
    def kernel_jvp(primals, tangents):
        (x,), (g,) = primals, tangents
        value, th = _tanh_shrink_parts(x, precise)
        # the derivative 1 - sech^2 as tanh^2, accurate where 1 - sech^2 cancels (near 0)
        return value, g * (th * th)

    @jax.jit
    @custom_jvp(kernel_jvp)
    def kernel(x: jax.Array) -> jax.Array:
        return _tanh_shrink_parts(x, precise)[0]

    return kernel


_tanh_shrink = _tanh_shrink_rule(precise=False)
_tanh_shrink_precise = _tanh_shrink_rule(precise=True)


@jax.jit
@custom_jvp(jvps=lambda g, ans, x: g * jnp.square(jnp.tanh(x)))
def _tanh_shrink_f32(x: jax.Array) -> jax.Array:
    # The composition's x - tanh(x): the polynomial beside XLA's tanh costs more than its
    # forward time with jax 0.12 on the CPU (see the Performance page). It cancels near 0, to an absolute error of
    # about an ULP of tanh(x); half-precision and float64 input keep the polynomial,
    # within budget there, and flaxact.precise has it for float32
    return x - jnp.tanh(x)


@activation(
    family="smooth",
    formula=r"\mathrm{tanh\_shrink}(x) = x - \tanh(x)",
    derivative=r"\mathrm{tanh\_shrink}'(x) = \tanh^2(x)",
    output_range=(-_INF, _INF),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=True,
    derivative_monotonic=False,
    identity_near_origin=False,
    ulp_f32=3.0,
    ulp_floor=1.0,
    precise_ulp_f32=3.0,
)
def tanh_shrink(x: ArrayLike) -> jax.Array:
    """Tanh shrinkage: ``x - tanh(x)``, flat (cubic) near 0 and ``x ∓ 1`` in the tails.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float.

    Returns
    -------
    jax.Array
        ``x - tanh(x)``, with the float dtype of ``x``.

    See Also
    --------
    soft_shrink : The piecewise-linear function of the same shape.
    tanh : What is subtracted.

    Notes
    -----
    Written as ``x - tanh(x)`` (PyTorch, Keras) it cancels: near 0 the result is
    :math:`x^3/3` while the error of the rounded :math:`\\tanh(x)` stays near
    :math:`|x|\\,2^{-24}`: the error grows as large as the result, and once
    :math:`x^2/3` is below half an ULP the subtraction returns 0. For float32 input
    flaxact computes it that way too, at the composition's cost: its error is absolute
    there, about an ULP of 1 (the bound above). bfloat16, float16 and float64 input, and
    :func:`flaxact.precise.tanh_shrink` for float32, use :math:`x^3 P(x^2)` near 0 (a
    polynomial fitted to float32 accuracy, a Taylor series in float64) and
    ``x - tanh(x)`` beyond, at a cost above the composition's in float32. The gradient
    is :math:`\\tanh^2(x)`, not the cancelling :math:`1 - (1 - \\tanh^2)` that autodiff of
    the subtraction gives.

    References
    ----------
    .. [1] R. Collobert, K. Kavukcuoglu and C. Farabet, "Torch7: a Matlab-like
       environment for machine learning", BigLearn workshop, NIPS 2011.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> f"{float(flaxact.tanh_shrink(2.0)):.6f}"
    '1.035972'
    >>> f"{float(flaxact.precise.tanh_shrink(1e-3)):.5e}"
    '3.33333e-10'
    >>> f"{float(jax.grad(flaxact.tanh_shrink)(1e-3)):.5e}"
    '9.99999e-07'
    >>> float(jax.grad(flaxact.tanh_shrink)(20.0))
    1.0
    """
    x = float_input(x, "tanh_shrink")
    if x.dtype == jnp.float32:
        return _tanh_shrink_f32(x)
    return rounded(_tanh_shrink, x)


@precise_form("tanh_shrink")
def precise_tanh_shrink(x: ArrayLike) -> jax.Array:
    """Tanh shrinkage, x - tanh(x), with tanh in exponential form beyond x = 1 in magnitude.

    The accurate form of :func:`flaxact.tanh_shrink`, with the same signature and
    behaviour, at a higher cost than jax.nn's tanh_shrink (see the Performance page).

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float.

    Returns
    -------
    jax.Array
        ``x - tanh(x)``, with the float dtype of ``x``.

    See Also
    --------
    flaxact.tanh_shrink : The default, at jax.nn's cost.

    Examples
    --------
    >>> from flaxact import precise
    >>> f"{float(precise.tanh_shrink(1.0)):.7e}"
    '2.3840584e-01'
    """
    x = float_input(x, "precise.tanh_shrink")
    return rounded(_tanh_shrink_precise, x)


@jax.jit
@custom_jvp(jvps=lambda g, ans, x: g / ((1 + jnp.abs(x)) * (1 + jnp.abs(x))))
def _soft_sign(x: jax.Array) -> jax.Array:
    return jnp.where(jnp.isinf(x), jnp.sign(x), x / (1 + jnp.abs(x)))


@activation(
    family="sigmoidal",
    formula=r"\mathrm{soft\_sign}(x) = \frac{x}{1 + |x|}",
    derivative=r"\mathrm{soft\_sign}'(x) = \frac{1}{(1 + |x|)^2}",
    output_range=(-1.0, 1.0),
    monotonic=True,
    smoothness="C1",
    zero_centered=True,
    derivative_monotonic=False,
    identity_near_origin=True,
    jax_nn="soft_sign",
    ulp_f32=1.5,
)
def soft_sign(x: ArrayLike) -> jax.Array:
    """Soft sign: a sigmoid-shaped curve that approaches :math:`\\pm 1` polynomially.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        Values in :math:`(-1, 1)`; exactly :math:`\\pm 1` at :math:`\\pm\\infty`.

    See Also
    --------
    tanh : Saturates exponentially rather than as :math:`1/|x|`.

    Notes
    -----
    Two roundings. ``soft_sign(±inf)`` is ±1 and
    its gradient there 0 (jax.nn returns nan for both). The second derivative jumps at
    0, so the function is :math:`C^1`.

    References
    ----------
    .. [1] J. Bergstra, G. Desjardins, P. Lamblin and Y. Bengio, "Quadratic polynomials
       learn better image features", Technical report 1337, Université de Montréal, 2009.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.soft_sign([-3.0, 0.0, 1.0, float("inf")])
    Array([-0.75,  0.  ,  0.5 ,  1.  ], dtype=float32)
    """
    x = float_input(x, "soft_sign")
    return rounded(_soft_sign, x)
