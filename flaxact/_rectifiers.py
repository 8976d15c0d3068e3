"""Piecewise-linear activations: ReLU and its relatives, and the "hard" approximations.

All of them are exact up to one rounding of a product or quotient. Half-precision input
is computed in float32 and rounded once, so parameters such as ``negative_slope`` are
not first rounded to bfloat16. Gradients at the kinks follow jax.nn and are set with
``jax.custom_jvp`` so that they are a stated choice rather than an accident of
``jnp.where``.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from ._core import custom_jvp, float_input, param_value, real_input, rounded, wide
from ._registry import Kink, activation

__all__ = [
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "identity",
    "leaky_relu",
    "relu",
    "relu6",
    "soft_shrink",
    "sparse_sigmoid",
    "squared_relu",
    "threshold",
]

_INF = float("inf")


@jax.jit
@custom_jvp(jvps=lambda g, ans, x: jnp.where(x > 0, g, jnp.zeros_like(g)))
def _relu(x: jax.Array) -> jax.Array:
    return jnp.maximum(x, jnp.zeros((), x.dtype))


@activation(
    family="rectifier",
    formula=r"\mathrm{relu}(x) = \max(x, 0)",
    derivative=r"\mathrm{relu}'(x) = \begin{cases} 1, & x > 0 \\ 0, & x \le 0 \end{cases}",
    output_range=(0.0, _INF),
    monotonic=True,
    smoothness="C0",
    zero_centered=False,
    derivative_monotonic=True,
    identity_near_origin=False,
    kinks=(Kink(0.0, 0.0, (0.0, 1.0)),),
    jax_nn="relu",
    ulp_f32=0.0,
)
def relu(x: ArrayLike) -> jax.Array:
    """Rectified linear unit.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool dtypes are kept, as in ``jax.nn.relu``.

    Returns
    -------
    jax.Array
        ``max(x, 0)`` element-wise, with the dtype of ``x``.

    See Also
    --------
    relu6 : ReLU capped at 6.
    leaky_relu : A small slope instead of zero for negative input.
    gelu : A smooth alternative common in transformers.

    Notes
    -----
    Exact in every dtype. The gradient at the kink is :math:`\\mathrm{relu}'(0) = 0`, as in
    jax.nn and PyTorch. ``relu(nan)`` is ``nan``.

    References
    ----------
    .. [1] V. Nair and G. E. Hinton, "Rectified linear units improve restricted
       Boltzmann machines", ICML 2010.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.relu([-2.0, -0.5, 0.0, 1.5])
    Array([0. , 0. , 0. , 1.5], dtype=float32)
    >>> float(jax.grad(flaxact.relu)(0.0))
    0.0
    """
    x = real_input(x, "relu")
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return jnp.maximum(x, 0).astype(jnp.result_type(x, 0))
    return _relu(x)


@jax.jit
@custom_jvp(jvps=lambda g, ans, x: jnp.where((x > 0) & (x < 6), g, jnp.zeros_like(g)))
def _relu6(x: jax.Array) -> jax.Array:
    return jnp.clip(x, 0, 6).astype(x.dtype)


@activation(
    family="rectifier",
    formula=r"\mathrm{relu6}(x) = \min(\max(x, 0), 6)",
    derivative=r"\mathrm{relu6}'(x) = \begin{cases} 1, & 0 < x < 6 \\ 0, & \text{otherwise} \end{cases}",
    output_range=(0.0, 6.0),
    monotonic=True,
    smoothness="C0",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    kinks=(Kink(0.0, 0.0, (0.0, 1.0)), Kink(6.0, 0.0, (1.0, 0.0))),
    jax_nn="relu6",
    ulp_f32=0.0,
)
def relu6(x: ArrayLike) -> jax.Array:
    """Rectified linear unit capped at 6.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float, as in ``jax.nn.relu6``.

    Returns
    -------
    jax.Array
        ``min(max(x, 0), 6)`` element-wise.

    See Also
    --------
    relu : The uncapped version.
    hard_sigmoid : ``relu6(x + 3) / 6``.

    Notes
    -----
    Exact in every dtype. The gradient is 0 at both kinks, :math:`x = 0` and
    :math:`x = 6`, as in jax.nn.

    References
    ----------
    .. [1] A. G. Howard et al., "MobileNets: Efficient convolutional neural networks
       for mobile vision applications", arXiv:1704.04861, 2017.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.relu6([-1.0, 3.0, 6.0, 8.0])
    Array([0., 3., 6., 6.], dtype=float32)
    >>> [float(jax.grad(flaxact.relu6)(v)) for v in (0.0, 3.0, 6.0)]
    [0.0, 1.0, 0.0]
    """
    return _relu6(float_input(x, "relu6"))


@activation(
    family="rectifier",
    formula=r"\mathrm{leaky\_relu}(x) = \begin{cases} x, & x \ge 0 \\ \alpha x, & x < 0 \end{cases}",
    derivative=r"\mathrm{leaky\_relu}'(x) = \begin{cases} 1, & x \ge 0 \\ \alpha, & x < 0 \end{cases}",
    output_range=(-_INF, _INF),
    monotonic=True,
    smoothness="C0",
    zero_centered=True,
    derivative_monotonic=True,
    identity_near_origin=False,
    kinks=(Kink(0.0, 1.0, (0.01, 1.0)),),
    jax_nn="leaky_relu",
    ulp_f32=1.0,
    example_params={"negative_slope": (0.01, 0.1, 0.3)},
)
def leaky_relu(x: ArrayLike, negative_slope: ArrayLike = 0.01) -> jax.Array:
    """Leaky rectified linear unit.

    Parameters
    ----------
    x : array_like
        Input.
    negative_slope : array_like, default 0.01
        Slope :math:`\\alpha` for negative input; broadcast against ``x``.

    Returns
    -------
    jax.Array
        The activation, with the dtype of ``x`` (float32 for integer input).

    See Also
    --------
    relu : The zero-slope case.
    flaxact.linen.PReLU : The same function with a learnable slope.

    Notes
    -----
    Half-precision input is multiplied by the slope in float32 and rounded once, so
    the slope is not first rounded to the narrow type. The gradient at 0 is 1 (the
    right-hand derivative), as in jax.nn; PyTorch returns the negative slope there.
    Default slopes differ between frameworks: 0.01 here, in jax.nn and PyTorch; 0.3
    for Keras' ``LeakyReLU`` layer and 0.2 for ``keras.activations.leaky_relu``.

    References
    ----------
    .. [1] A. L. Maas, A. Y. Hannun and A. Y. Ng, "Rectifier nonlinearities improve
       neural network acoustic models", ICML 2013.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.leaky_relu([-2.0, 0.0, 2.0], negative_slope=0.25)
    Array([-0.5,  0. ,  2. ], dtype=float32)
    >>> float(jax.grad(flaxact.leaky_relu)(0.0))
    1.0
    """
    x = float_input(x, "leaky_relu")
    slope = float_input(negative_slope, "leaky_relu", "negative_slope")
    value = param_value(negative_slope, "leaky_relu", "negative_slope", strict=False)
    if value is not None:
        return _leaky_relu_const(x, value)
    return _leaky_relu(x, slope)


def _leaky_relu(x: jax.Array, slope: Any) -> jax.Array:
    xw = wide(x)
    slope = slope.astype(xw.dtype) if isinstance(slope, jax.Array) else slope
    return jnp.where(xw >= 0, xw, slope * xw).astype(x.dtype)


# A concrete slope as a constant of a jitted function (as jax.nn's default is): the
# backward pass then keeps only the sign mask, not the slope beside it
_leaky_relu_const = jax.jit(_leaky_relu, static_argnums=1)


@jax.jit
@custom_jvp(jvps=lambda g, ans, x: jnp.where(jnp.abs(x) <= 1, g, jnp.zeros_like(g)))
def _hard_tanh(x: jax.Array) -> jax.Array:
    # jax.nn's selects, in x's own type (exact)
    one = jnp.ones((), x.dtype)
    return jnp.where(x > 1, one, jnp.where(x < -1, -one, x))


@activation(
    family="rectifier",
    formula=r"\mathrm{hard\_tanh}(x) = \max(-1, \min(x, 1))",
    derivative=r"\mathrm{hard\_tanh}'(x) = \begin{cases} 1, & |x| \le 1 \\ 0, & |x| > 1 \end{cases}",
    output_range=(-1.0, 1.0),
    monotonic=True,
    smoothness="C0",
    zero_centered=True,
    derivative_monotonic=False,
    identity_near_origin=True,
    kinks=(Kink(-1.0, 1.0, (0.0, 1.0)), Kink(1.0, 1.0, (1.0, 0.0))),
    jax_nn="hard_tanh",
    ulp_f32=0.0,
)
def hard_tanh(x: ArrayLike) -> jax.Array:
    """Hard hyperbolic tangent: the identity clipped to :math:`[-1, 1]`.

    Parameters
    ----------
    x : array_like
        Input. Integer dtypes are kept, as in ``jax.nn.hard_tanh``.

    Returns
    -------
    jax.Array
        ``x`` clipped to ``[-1, 1]``.

    See Also
    --------
    tanh : The smooth function it approximates.
    hard_sigmoid : The same construction for the sigmoid.

    Notes
    -----
    Exact. The gradient at :math:`x = \\pm 1` is 1, as in jax.nn (the clip is taken to
    be closed); PyTorch's ``hardtanh`` gives 0 there.

    References
    ----------
    .. [1] R. Collobert, "Large scale machine learning", PhD thesis, Université
       Paris VI, 2004.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.hard_tanh([-3.0, -0.5, 0.5, 3.0])
    Array([-1. , -0.5,  0.5,  1. ], dtype=float32)
    >>> [float(jax.grad(flaxact.hard_tanh)(v)) for v in (-1.0, 1.0, 2.0)]
    [1.0, 1.0, 0.0]
    """
    x = real_input(x, "hard_tanh")
    if not jnp.issubdtype(x.dtype, jnp.floating):
        if x.dtype == jnp.bool_:
            x = x.astype(jnp.int32)
        return jnp.clip(x, -1, 1)
    return _hard_tanh(x)


@activation(
    family="rectifier",
    formula=r"\mathrm{hard\_sigmoid}(x) = \frac{\mathrm{relu6}(x + 3)}{6}",
    derivative=r"\mathrm{hard\_sigmoid}'(x) = \begin{cases} 1/6, & -3 < x < 3 \\ 0, & \text{otherwise} \end{cases}",
    output_range=(0.0, 1.0),
    monotonic=True,
    smoothness="C0",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    kinks=(Kink(-3.0, 0.0, (0.0, 1 / 6)), Kink(3.0, 0.0, (1 / 6, 0.0))),
    jax_nn="hard_sigmoid",
    ulp_f32=1.5,
)
def hard_sigmoid(x: ArrayLike) -> jax.Array:
    """Hard sigmoid: a piecewise-linear approximation of the logistic sigmoid.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        Values in :math:`[0, 1]`.

    See Also
    --------
    sigmoid : The smooth function it approximates.
    hard_silu : ``x * hard_sigmoid(x)``.

    Notes
    -----
    The gradient is 0 at both kinks, :math:`x = \\pm 3`, as in jax.nn. Definitions
    differ: this is MobileNetV3's ``relu6(x + 3) / 6`` (jax.nn, PyTorch, Keras 3);
    Keras 2 and some older code use ``clip(0.2 x + 0.5, 0, 1)``, which saturates at
    :math:`\\pm 2.5`.

    References
    ----------
    .. [1] A. Howard et al., "Searching for MobileNetV3", ICCV 2019.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.hard_sigmoid([-4.0, -1.5, 0.0, 1.5, 4.0])
    Array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    return _hard_sigmoid(float_input(x, "hard_sigmoid"))


# jitted (as jax.nn's is), so that the constant divisor is not stored for the backward pass
@jax.jit
def _hard_sigmoid_wide(x: jax.Array) -> jax.Array:
    return _relu6(x + 3) / 6


def _hard_sigmoid(x: jax.Array) -> jax.Array:
    return rounded(_hard_sigmoid_wide, x)


def _hard_silu_grad(g: jax.Array, ans: jax.Array, x: jax.Array) -> jax.Array:
    # (2x + 3) / 6 has one rounding; the autodiff sum (x + 3)/6 + x/6 cancels near x = -3/2.
    xc = jnp.clip(x, -3, 3)
    slope = jnp.where(x >= 3, 1.0, jnp.where(x <= -3, 0.0, (2 * xc + 3) / 6))
    return g * slope.astype(g.dtype)


@jax.jit
@custom_jvp(jvps=_hard_silu_grad)
def _hard_silu(x: jax.Array) -> jax.Array:
    # x (x + 3) / 6 on the clipped x, so that no intermediate overflows, and x itself from 3
    # up (also for x = inf); below -3 the clipped x gives -3 * 0 = -0, as jax.nn's x * 0.
    # As many operations as jax.nn's x * relu6(x + 3) / 6, and a smaller error than it.
    xc = jnp.clip(x, -3, 3)
    return jnp.where(x >= 3, x, (xc * (xc + 3)) / 6)


@activation(
    family="rectifier",
    formula=r"\mathrm{hard\_silu}(x) = x \cdot \frac{\mathrm{relu6}(x + 3)}{6}",
    derivative=r"\mathrm{hard\_silu}'(x) = \begin{cases} 0, & x \le -3 \\ \frac{2x + 3}{6}, & -3 < x < 3 \\ 1, & x \ge 3 \end{cases}",
    output_range=(-0.375, _INF),
    monotonic=False,
    smoothness="C0",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    kinks=(Kink(-3.0, 0.0, (0.0, -0.5)), Kink(3.0, 1.0, (1.5, 1.0))),
    aliases=("hard_swish",),
    jax_nn="hard_silu",
    ulp_f32=2.5,
)
def hard_silu(x: ArrayLike) -> jax.Array:
    """Hard SiLU (hard swish): ``x`` times the hard sigmoid.

    ``hard_swish`` is another name for this same function.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        The activation, minimum :math:`-3/8` at :math:`x = -3/2`.

    See Also
    --------
    silu : The smooth function it approximates.
    hard_sigmoid : The gate.

    Notes
    -----
    Computed as ``x (x + 3) / 6`` on :math:`(-3, 3)` (``x`` from 3 up, 0 below -3), with
    ``x`` clipped first so that no intermediate overflows, in float32 for half-precision
    input and rounded once; its derivative :math:`(2x + 3)/6` is evaluated directly
    rather than as a cancelling sum. Gradient at the kinks, as in jax.nn: 0 at :math:`x = -3`, 1 at
    :math:`x = 3` (the one-sided derivatives are :math:`-1/2 \\mid 0` and
    :math:`3/2 \\mid 1`; the function is not monotonic on :math:`[-3, -3/2]`).

    References
    ----------
    .. [1] A. Howard et al., "Searching for MobileNetV3", ICCV 2019.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.hard_silu([-4.0, -1.5, 0.0, 1.5, 4.0])  # -0 below -3, as jax.nn's x * 0
    Array([-0.   , -0.375,  0.   ,  1.125,  4.   ], dtype=float32)
    >>> flaxact.hard_swish is flaxact.hard_silu
    True
    """
    x = float_input(x, "hard_silu")
    return rounded(_hard_silu, x)


hard_swish = hard_silu


@activation(
    family="rectifier",
    formula=r"\mathrm{identity}(x) = x",
    derivative=r"\mathrm{identity}'(x) = 1",
    output_range=(-_INF, _INF),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=True,
    derivative_monotonic=True,
    identity_near_origin=True,
    jax_nn="identity",
    ulp_f32=0.0,
)
def identity(x: ArrayLike) -> jax.Array:
    """Identity activation: returns its input unchanged.

    Useful as the output activation of a regression model, and as a placeholder
    where an activation argument is required.

    Parameters
    ----------
    x : array_like
        Input of any real dtype (kept).

    Returns
    -------
    jax.Array
        ``x`` as an array.

    See Also
    --------
    relu : The simplest non-linear choice.

    Notes
    -----
    Exact; the gradient is 1 everywhere.

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio and A. Courville, "Deep Learning", MIT Press,
       2016, section 6.2.2 (linear output units).

    Examples
    --------
    >>> import flaxact
    >>> flaxact.identity([-1.0, 2.5])
    Array([-1. ,  2.5], dtype=float32)
    """
    return real_input(x, "identity")


def _sparse_sigmoid_grad(g: jax.Array, ans: jax.Array, x: jax.Array) -> jax.Array:
    inside = jnp.where(jnp.abs(x) < 1, 0.5, 0.0)
    # jax.nn's clip has gradient 1/2 at each bound, giving 1/4 at x = ±1.
    return g * jnp.where(jnp.abs(x) == 1, 0.25, inside).astype(g.dtype)


@jax.jit
@custom_jvp(jvps=_sparse_sigmoid_grad)
def _sparse_sigmoid(x: jax.Array) -> jax.Array:
    return (0.5 * jnp.clip(x + 1, 0, 2)).astype(x.dtype)


@activation(
    family="rectifier",
    formula=r"\mathrm{sparse\_sigmoid}(x) = \begin{cases} 0, & x \le -1 \\ \frac{x + 1}{2}, & -1 < x < 1 \\ 1, & x \ge 1 \end{cases}",
    derivative=r"\mathrm{sparse\_sigmoid}'(x) = \begin{cases} 1/2, & |x| < 1 \\ 0, & |x| > 1 \end{cases}",
    output_range=(0.0, 1.0),
    monotonic=True,
    smoothness="C0",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    kinks=(Kink(-1.0, 0.25, (0.0, 0.5)), Kink(1.0, 0.25, (0.5, 0.0))),
    jax_nn="sparse_sigmoid",
    ulp_f32=0.5,
)
def sparse_sigmoid(x: ArrayLike) -> jax.Array:
    """Sparse sigmoid: the one-dimensional sparsemax, exactly 0 or 1 outside :math:`[-1, 1]`.

    Parameters
    ----------
    x : array_like
        Input.

    Returns
    -------
    jax.Array
        Values in :math:`[0, 1]`.

    See Also
    --------
    sparse_plus : Its antiderivative.
    hard_sigmoid : A piecewise-linear sigmoid with a wider linear part.

    Notes
    -----
    At the kinks :math:`x = \\pm 1` the gradient is :math:`1/4`, the mean of the two
    one-sided derivatives (this is what jax.nn's ``clip`` gives); it is a valid
    subgradient.

    References
    ----------
    .. [1] A. F. T. Martins and R. F. Astudillo, "From softmax to sparsemax: a sparse
       model of attention and multi-label classification", ICML 2016.
    .. [2] M. Blondel, A. F. T. Martins and V. Niculae, "Learning with Fenchel-Young
       losses", JMLR 21, 2020.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.sparse_sigmoid([-2.0, -0.5, 0.0, 0.5, 2.0])
    Array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    x = float_input(x, "sparse_sigmoid")
    return rounded(_sparse_sigmoid, x)


# 2 relu(x) from the saved input: the backward pass keeps x alone (autodiff of r * r
# would keep r and the mask x > 0 beside it)
@jax.jit
@custom_jvp(jvps=lambda g, ans, x: g * (2 * jnp.maximum(x, jnp.zeros((), x.dtype))))
def _squared_relu(x: jax.Array) -> jax.Array:
    r = jnp.maximum(x, jnp.zeros((), x.dtype))
    return r * r


@activation(
    family="rectifier",
    formula=r"\mathrm{squared\_relu}(x) = \max(x, 0)^2",
    derivative=r"\mathrm{squared\_relu}'(x) = 2 \max(x, 0)",
    output_range=(0.0, _INF),
    monotonic=True,
    smoothness="C1",
    zero_centered=False,
    derivative_monotonic=True,
    identity_near_origin=False,
    ulp_f32=0.5,
)
def squared_relu(x: ArrayLike) -> jax.Array:
    """Squared ReLU: the rectified input, squared.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float.

    Returns
    -------
    jax.Array
        ``max(x, 0) ** 2`` element-wise, with the float dtype of ``x``.

    See Also
    --------
    relu : The unsquared rectifier.
    reglu : The gated rectifier of Shazeer (2020).

    Notes
    -----
    Primer's search found that squaring the ReLU of a transformer's feed-forward block
    speeds up language-model training at no extra cost; Nemotron-4 and Persimmon use it.
    Unlike ReLU it is continuously differentiable: the derivative :math:`2\\max(x, 0)`
    is 0 at the origin from both sides, so there is no kink to choose a gradient for.
    The square is rounded once (half precision is squared in float32, where it is exact);
    it overflows to ``inf`` where the exact square exceeds the dtype's largest value.

    References
    ----------
    .. [1] D. R. So, W. Mańke, H. Liu, Z. Dai, N. Shazeer and Q. V. Le, "Primer:
       searching for efficient transformers for language modeling", NeurIPS 2021.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.squared_relu([-2.0, 0.0, 0.5, 3.0])
    Array([0.  , 0.  , 0.25, 9.  ], dtype=float32)
    >>> float(jax.grad(flaxact.squared_relu)(3.0))
    6.0
    """
    x = float_input(x, "squared_relu")
    return rounded(_squared_relu, x)


def _shrink_threshold(value: Any, name: str) -> Any:
    """A concrete ``threshold`` as a Python float (after checking it is >= 0), a traced
    or array one as a float array."""
    t = param_value(value, name, "threshold", strict=False)
    if t is None:
        return float_input(value, name, "threshold")
    if not t >= 0:  # also rejects nan
        raise ValueError(f"flaxact.{name}: argument 'threshold' must be >= 0; got {t!r}")
    return t


def _soft_shrink_wide(x: jax.Array, t: Any) -> jax.Array:
    zero = jnp.zeros((), x.dtype)
    return jnp.where(x > t, x - t, jnp.where(x < -t, x + t, zero))


def _hard_shrink(x: jax.Array, t: Any) -> jax.Array:
    # x itself or 0: selected in x's own type (exact), the comparison made wide; the
    # backward pass keeps the comparison's mask alone
    t = t.astype(wide(x).dtype) if isinstance(t, jax.Array) else t
    return jnp.where(jnp.abs(wide(x)) > t, x, jnp.zeros((), x.dtype))


def _soft_shrink(x: jax.Array, t: Any) -> jax.Array:
    if isinstance(t, jax.Array):
        return rounded(_soft_shrink_wide, x, t.astype(wide(x).dtype))
    return rounded(lambda v: _soft_shrink_wide(v, t), x)


# A concrete threshold is a constant of the jitted kernel (as leaky_relu's slope): the
# backward pass then keeps the masks only
_hard_shrink_const = jax.jit(_hard_shrink, static_argnums=1)
_soft_shrink_const = jax.jit(_soft_shrink, static_argnums=1)


@activation(
    family="rectifier",
    formula=r"\mathrm{hard\_shrink}(x) = \begin{cases} x, & |x| > \lambda \\ 0, & "
    r"|x| \le \lambda \end{cases}",
    derivative=r"\mathrm{hard\_shrink}'(x) = \begin{cases} 1, & |x| > \lambda \\ 0, & "
    r"|x| < \lambda \end{cases}",
    output_range=(-_INF, _INF),
    monotonic=True,
    smoothness="discontinuous",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    kinks=(Kink(-0.5, 0.0, (1.0, 0.0)), Kink(0.5, 0.0, (0.0, 1.0))),
    ulp_f32=0.0,
    example_params={"threshold": (0.25, 0.5, 1.0)},
)
def hard_shrink(x: ArrayLike, threshold: ArrayLike = 0.5) -> jax.Array:
    """Hard shrinkage: zero inside :math:`[-\\lambda, \\lambda]`, the identity outside.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float.
    threshold : array_like, default 0.5
        :math:`\\lambda \\ge 0`, broadcast against ``x`` (may be traced; a concrete
        value is checked).

    Returns
    -------
    jax.Array
        ``x`` where ``|x| > threshold``, else 0, with the float dtype of ``x``.

    Raises
    ------
    ValueError
        If a concrete ``threshold`` is negative or nan.

    See Also
    --------
    soft_shrink : Also moves the kept values towards 0 by :math:`\\lambda`.
    threshold : One-sided, with any replacement value.

    Notes
    -----
    The function jumps at :math:`x = \\pm\\lambda`, where it is 0 (the comparison is
    strict, as in PyTorch and Keras) and so is its gradient. Names differ: PyTorch
    calls the threshold ``lambd``, Keras ``threshold``. Exact in every dtype.

    References
    ----------
    .. [1] D. L. Donoho and I. M. Johnstone, "Ideal spatial adaptation by wavelet
       shrinkage", Biometrika 81(3), 1994.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.hard_shrink([-1.0, -0.5, 0.25, 0.75])
    Array([-1.  ,  0.  ,  0.  ,  0.75], dtype=float32)
    >>> [float(jax.grad(flaxact.hard_shrink)(v)) for v in (0.5, 0.75)]
    [0.0, 1.0]
    """
    x = float_input(x, "hard_shrink")
    t = _shrink_threshold(threshold, "hard_shrink")
    if isinstance(t, float):
        return _hard_shrink_const(x, t)
    return _hard_shrink(x, t)


@activation(
    family="rectifier",
    formula=r"\mathrm{soft\_shrink}(x) = \begin{cases} x - \lambda, & x > \lambda \\ 0, & "
    r"|x| \le \lambda \\ x + \lambda, & x < -\lambda \end{cases}",
    derivative=r"\mathrm{soft\_shrink}'(x) = \begin{cases} 1, & |x| > \lambda \\ 0, & "
    r"|x| < \lambda \end{cases}",
    output_range=(-_INF, _INF),
    monotonic=True,
    smoothness="C0",
    zero_centered=False,
    derivative_monotonic=False,
    identity_near_origin=False,
    kinks=(Kink(-0.5, 0.0, (1.0, 0.0)), Kink(0.5, 0.0, (0.0, 1.0))),
    ulp_f32=0.5,
    example_params={"threshold": (0.25, 0.5, 1.0)},
)
def soft_shrink(x: ArrayLike, threshold: ArrayLike = 0.5) -> jax.Array:
    """Soft shrinkage: move ``x`` towards 0 by :math:`\\lambda`, and stop at 0.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float.
    threshold : array_like, default 0.5
        :math:`\\lambda \\ge 0`, broadcast against ``x`` (may be traced; a concrete
        value is checked).

    Returns
    -------
    jax.Array
        ``sign(x) * max(|x| - threshold, 0)``, with the float dtype of ``x``.

    Raises
    ------
    ValueError
        If a concrete ``threshold`` is negative or nan.

    See Also
    --------
    hard_shrink : Keeps the values outside the band unchanged.
    tanh_shrink : A smooth function of the same shape.

    Notes
    -----
    The proximal operator of :math:`\\lambda |x|`, the step of ISTA-style sparse coding.
    At :math:`x = \\pm\\lambda` the gradient is 0, as in PyTorch. ``x - threshold`` is
    rounded once (exact near the threshold); half precision is computed in float32 and
    rounded once, so the threshold is not first rounded to the narrow type.

    References
    ----------
    .. [1] D. L. Donoho, "De-noising by soft-thresholding", IEEE Transactions on
       Information Theory 41(3), 1995.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.soft_shrink([-2.0, -0.25, 0.5, 1.5])
    Array([-1.5,  0. ,  0. ,  1. ], dtype=float32)
    >>> flaxact.soft_shrink([-2.0, 1.5], threshold=1.0)
    Array([-1. ,  0.5], dtype=float32)
    """
    x = float_input(x, "soft_shrink")
    t = _shrink_threshold(threshold, "soft_shrink")
    if isinstance(t, float):
        return _soft_shrink_const(x, t)
    return _soft_shrink(x, t)


@activation(
    family="rectifier",
    formula=r"\mathrm{threshold}(x) = \begin{cases} x, & x > \theta \\ v, & x \le \theta "
    r"\end{cases}",
    derivative=r"\frac{\partial\,\mathrm{threshold}}{\partial x} = \begin{cases} 1, & x > "
    r"\theta \\ 0, & x < \theta \end{cases}",
    output_range=(-0.5, _INF),  # at the example arguments
    monotonic=True,  # there; in general wherever default_value <= threshold
    smoothness="discontinuous",
    zero_centered=False,
    derivative_monotonic=True,
    identity_near_origin=False,
    kinks=(Kink(1.0, 0.0, (0.0, 1.0)),),
    ulp_f32=0.0,
    example_args={"threshold": 1.0, "default_value": -0.5},
)
def threshold(x: ArrayLike, threshold: ArrayLike, default_value: ArrayLike) -> jax.Array:
    """Threshold: keep ``x`` above ``threshold``, replace the rest by ``default_value``.

    Parameters
    ----------
    x : array_like
        Input. Integer and bool input is promoted to float.
    threshold : array_like
        :math:`\\theta`, broadcast against ``x``.
    default_value : array_like
        :math:`v`, the value where ``x <= threshold``; broadcast against ``x``.

    Returns
    -------
    jax.Array
        ``where(x > threshold, x, default_value)``, with the float dtype of ``x`` (a
        ``default_value`` that the dtype cannot hold is rounded to it).

    Raises
    ------
    TypeError
        If an argument is complex or not array-like.

    See Also
    --------
    relu : ``threshold(x, 0, 0)``, except for the gradient at 0 (both give 0).
    hard_shrink : Keeps both tails.

    Notes
    -----
    The names and order of the arguments are Keras 3's (``keras.ops.threshold``);
    PyTorch's ``F.threshold(input, threshold, value)`` is the same function. Neither
    has a default, and nor does this. The function jumps at :math:`x = \\theta` unless
    :math:`v = \\theta`; its gradient is 1 above the threshold and 0 at and below it,
    and the gradient with respect to ``default_value`` is 1 where it is used. Exact.

    References
    ----------
    .. [1] W. S. McCulloch and W. Pitts, "A logical calculus of the ideas immanent in
       nervous activity", Bulletin of Mathematical Biophysics 5, 1943.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.threshold([-1.0, 0.5, 1.0, 2.0], threshold=1.0, default_value=0.0)
    Array([0., 0., 0., 2.], dtype=float32)
    >>> jax.grad(flaxact.threshold, argnums=(0, 2))(0.5, 1.0, 3.0)
    (Array(0., dtype=float32, weak_type=True), Array(1., dtype=float32, weak_type=True))
    """
    x = float_input(x, "threshold")
    t = float_input(threshold, "threshold", "threshold")
    v = float_input(default_value, "threshold", "default_value")
    return _threshold(x, t, v)


@jax.jit
def _threshold(x: jax.Array, t: jax.Array, v: jax.Array) -> jax.Array:
    # x itself or the value: selected in x's own type (the value rounded to it, as the
    # result would be), the comparison made wide
    return jnp.where(wide(x) > t.astype(wide(x).dtype), x, v.astype(x.dtype))
