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

from ._core import concrete_scalar, float_input, real_input, wide
from ._kernels import keep
from ._registry import Kink, activation

__all__ = [
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "identity",
    "leaky_relu",
    "relu",
    "relu6",
    "sparse_sigmoid",
]

_INF = float("inf")


@jax.custom_jvp
def _relu(x: jax.Array) -> jax.Array:
    return jnp.maximum(x, jnp.zeros((), x.dtype))


_relu.defjvps(lambda g, ans, x: jnp.where(x > 0, g, jnp.zeros_like(g)))


@activation(
    family="rectifier",
    formula=r"\mathrm{relu}(x) = \max(x, 0)",
    derivative=r"\mathrm{relu}'(x) = \begin{cases} 1, & x > 0 \\ 0, & x \le 0 \end{cases}",
    output_range=(0.0, _INF),
    monotonic=True,
    smoothness="C0",
    zero_centered=False,
    kinks=(Kink(0.0, 0.0, (0.0, 1.0)),),
    reference="Nair & Hinton (2010), Rectified linear units improve restricted Boltzmann machines, ICML.",
    jax_nn="relu",
    frameworks={
        "PyTorch": "torch.nn.functional.relu; relu'(0) = 0",
        "Keras": "keras.activations.relu(x, negative_slope=0.0, max_value=None, threshold=0.0)",
    },
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


@jax.custom_jvp
def _relu6(x: jax.Array) -> jax.Array:
    return jnp.clip(x, 0, 6).astype(x.dtype)


_relu6.defjvps(lambda g, ans, x: jnp.where((x > 0) & (x < 6), g, jnp.zeros_like(g)))


@activation(
    family="rectifier",
    formula=r"\mathrm{relu6}(x) = \min(\max(x, 0), 6)",
    derivative=r"\mathrm{relu6}'(x) = \begin{cases} 1, & 0 < x < 6 \\ 0, & \text{otherwise} \end{cases}",
    output_range=(0.0, 6.0),
    monotonic=True,
    smoothness="C0",
    zero_centered=False,
    kinks=(Kink(0.0, 0.0, (0.0, 1.0)), Kink(6.0, 0.0, (1.0, 0.0))),
    reference="Krizhevsky (2010), Convolutional deep belief networks on CIFAR-10; Howard et al. (2017), MobileNets.",
    jax_nn="relu6",
    frameworks={"PyTorch": "torch.nn.functional.relu6", "Keras": "keras.activations.relu6"},
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
    kinks=(Kink(0.0, 1.0, (0.01, 1.0)),),
    reference="Maas, Hannun & Ng (2013), Rectifier nonlinearities improve neural network acoustic models, ICML.",
    jax_nn="leaky_relu",
    frameworks={
        "PyTorch": "torch.nn.functional.leaky_relu(negative_slope=0.01); gradient at 0 is the negative slope",
        "Keras": "keras.layers.LeakyReLU(negative_slope=0.3); keras.activations.leaky_relu(negative_slope=0.2)",
    },
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
    value = concrete_scalar(negative_slope, "leaky_relu", "negative_slope")
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


@jax.custom_jvp
def _hard_tanh(x: jax.Array) -> jax.Array:
    return jnp.clip(x, -1, 1).astype(x.dtype)


_hard_tanh.defjvps(lambda g, ans, x: jnp.where(jnp.abs(x) <= 1, g, jnp.zeros_like(g)))


@activation(
    family="rectifier",
    formula=r"\mathrm{hard\_tanh}(x) = \max(-1, \min(x, 1))",
    derivative=r"\mathrm{hard\_tanh}'(x) = \begin{cases} 1, & |x| \le 1 \\ 0, & |x| > 1 \end{cases}",
    output_range=(-1.0, 1.0),
    monotonic=True,
    smoothness="C0",
    zero_centered=True,
    kinks=(Kink(-1.0, 1.0, (0.0, 1.0)), Kink(1.0, 1.0, (1.0, 0.0))),
    reference="Collobert (2004), Large scale machine learning, PhD thesis, Université Paris VI.",
    jax_nn="hard_tanh",
    frameworks={
        "PyTorch": "torch.nn.functional.hardtanh(min_val=-1, max_val=1); gradient 0 at ±1",
        "Keras": "keras.activations.hard_tanh",
    },
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
    kinks=(Kink(-3.0, 0.0, (0.0, 1 / 6)), Kink(3.0, 0.0, (1 / 6, 0.0))),
    reference="Howard et al. (2019), Searching for MobileNetV3, ICCV.",
    jax_nn="hard_sigmoid",
    frameworks={
        "PyTorch": "torch.nn.functional.hardsigmoid: relu6(x + 3) / 6, same form",
        "Keras": "keras.activations.hard_sigmoid: relu6(x + 3) / 6 since Keras 3; Keras 2 used clip(0.2 x + 0.5, 0, 1)",
    },
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
def _hard_sigmoid(x: jax.Array) -> jax.Array:
    return (_relu6(wide(x) + 3) / 6).astype(x.dtype)


@jax.custom_jvp
def _hard_silu(x: jax.Array) -> jax.Array:
    # x * relu6(x + 3) / 6 written so that no intermediate overflows (x * 6 would for
    # x > 5.7e37), and the rounding error of x + 3 is carried into the product.
    xc = jnp.clip(x, -3, 3)
    s = keep(xc + 3)
    s_err = (3 - s) + xc  # exact rounding error of xc + 3 (Fast2Sum, |xc| <= 3)
    ramp = (xc * s + xc * s_err) / 6
    return jnp.where(x >= 3, x, jnp.where(x <= -3, jnp.zeros_like(x), ramp))


def _hard_silu_grad(g: jax.Array, ans: jax.Array, x: jax.Array) -> jax.Array:
    # (2x + 3) / 6 has one rounding; the autodiff sum (x + 3)/6 + x/6 cancels near x = -3/2.
    xc = jnp.clip(x, -3, 3)
    slope = jnp.where(x >= 3, 1.0, jnp.where(x <= -3, 0.0, (2 * xc + 3) / 6))
    return g * slope.astype(g.dtype)


_hard_silu.defjvps(_hard_silu_grad)


@activation(
    family="rectifier",
    formula=r"\mathrm{hard\_silu}(x) = x \cdot \frac{\mathrm{relu6}(x + 3)}{6}",
    derivative=r"\mathrm{hard\_silu}'(x) = \begin{cases} 0, & x \le -3 \\ \frac{2x + 3}{6}, & -3 < x < 3 \\ 1, & x \ge 3 \end{cases}",
    output_range=(-0.375, _INF),
    monotonic=False,
    smoothness="C0",
    zero_centered=False,
    kinks=(Kink(-3.0, 0.0, (0.0, -0.5)), Kink(3.0, 1.0, (1.5, 1.0))),
    reference="Howard et al. (2019), Searching for MobileNetV3, ICCV.",
    aliases=("hard_swish",),
    jax_nn="hard_silu",
    frameworks={
        "PyTorch": "torch.nn.functional.hardswish",
        "Keras": "keras.activations.hard_silu / hard_swish",
    },
    ulp_f32=2.0,
    speed_note=(
        "jax.nn computes x * relu6(x + 3) / 6; flaxact clips x first (so x * (x + 3) cannot "
        "overflow) and carries the rounding error of x + 3 into the product, a handful of "
        "extra operations per element on a function that is otherwise memory-bound."
    ),
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
    Computed as ``x (x + 3) / 6`` on :math:`(-3, 3)` (``x`` outside), in float32 for
    half-precision input and rounded once; unlike the literal ``x * relu6(x + 3) / 6`` it
    does not overflow for :math:`x > 5.7 \\times 10^{37}`, and its derivative
    :math:`(2x + 3)/6` is evaluated directly rather than as a cancelling sum. Gradient at the kinks, as in jax.nn: 0 at :math:`x = -3`, 1 at
    :math:`x = 3` (the one-sided derivatives are :math:`-1/2 \\mid 0` and
    :math:`3/2 \\mid 1`; the function is not monotonic on :math:`[-3, -3/2]`).

    References
    ----------
    .. [1] A. Howard et al., "Searching for MobileNetV3", ICCV 2019.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.hard_silu([-4.0, -1.5, 0.0, 1.5, 4.0])
    Array([ 0.   , -0.375,  0.   ,  1.125,  4.   ], dtype=float32)
    >>> flaxact.hard_swish is flaxact.hard_silu
    True
    """
    x = float_input(x, "hard_silu")
    return _hard_silu(wide(x)).astype(x.dtype)


hard_swish = hard_silu


@activation(
    family="rectifier",
    formula=r"\mathrm{identity}(x) = x",
    derivative=r"\mathrm{identity}'(x) = 1",
    output_range=(-_INF, _INF),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=True,
    reference="The linear activation, used for regression outputs.",
    jax_nn="identity",
    frameworks={"PyTorch": "torch.nn.Identity", "Keras": "keras.activations.linear"},
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


@jax.custom_jvp
def _sparse_sigmoid(x: jax.Array) -> jax.Array:
    return (0.5 * jnp.clip(x + 1, 0, 2)).astype(x.dtype)


def _sparse_sigmoid_grad(g: jax.Array, ans: jax.Array, x: jax.Array) -> jax.Array:
    inside = jnp.where(jnp.abs(x) < 1, 0.5, 0.0)
    # jax.nn's clip has gradient 1/2 at each bound, giving 1/4 at x = ±1.
    return g * jnp.where(jnp.abs(x) == 1, 0.25, inside).astype(g.dtype)


_sparse_sigmoid.defjvps(_sparse_sigmoid_grad)


@activation(
    family="rectifier",
    formula=r"\mathrm{sparse\_sigmoid}(x) = \begin{cases} 0, & x \le -1 \\ \frac{x + 1}{2}, & -1 < x < 1 \\ 1, & x \ge 1 \end{cases}",
    derivative=r"\mathrm{sparse\_sigmoid}'(x) = \begin{cases} 1/2, & |x| < 1 \\ 0, & |x| > 1 \end{cases}",
    output_range=(0.0, 1.0),
    monotonic=True,
    smoothness="C0",
    zero_centered=False,
    kinks=(Kink(-1.0, 0.25, (0.0, 0.5)), Kink(1.0, 0.25, (0.5, 0.0))),
    reference="Martins & Astudillo (2016), From softmax to sparsemax, ICML; Blondel et al. (2020), Learning with Fenchel-Young losses, JMLR.",
    jax_nn="sparse_sigmoid",
    frameworks={"PyTorch": "no built-in", "Keras": "keras.activations.sparse_sigmoid"},
    ulp_f32=0.5,
    speed_note=(
        "The same clip as jax.nn's, under a custom_jvp that fixes the gradient at the "
        "kinks x = ±1 (jax.nn's follows from jnp.clip's own rule there); the backward "
        "pass selects its slope rather than differentiating the clip."
    ),
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
    return _sparse_sigmoid(wide(x)).astype(x.dtype)


# Each kernel is traced once per shape and dtype, as jax.nn jits its functions: a model
# that applies an activation in every layer then traces it once, not once per layer
# (compile time of a deep model is measured against jax.nn's by benchmarks/cost.py).
_relu = jax.jit(_relu)
_relu6 = jax.jit(_relu6)
_hard_tanh = jax.jit(_hard_tanh)
_hard_silu = jax.jit(_hard_silu)
_sparse_sigmoid = jax.jit(_sparse_sigmoid)
