"""S-shaped activations: sigmoid, log-sigmoid, tanh and soft sign.

Each is computed from :mod:`flaxact._kernels` (an ``exp`` and a short polynomial, free
of cancellation) rather than XLA's ``logistic`` / ``tanh``, which lose more in float32
on the CPU (see the accuracy page). Gradients are defined with ``jax.custom_jvp`` in forms that stay
finite and accurate in the tails (``sigmoid(x) sigmoid(-x)`` rather than
``s (1 - s)``, which is 0 for ``x > 17``).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from . import _kernels as K
from ._core import float_input, wide
from ._registry import activation

__all__ = ["log_sigmoid", "sigmoid", "soft_sign", "tanh"]

_INF = float("inf")


@jax.custom_jvp
def _sigmoid(x: jax.Array) -> jax.Array:
    return K.sigmoid_df(x)


_sigmoid.defjvps(lambda g, ans, x: g * K.dsigmoid(x))


@activation(
    family="sigmoidal",
    formula=r"\mathrm{sigmoid}(x) = \sigma(x) = \frac{1}{1 + e^{-x}}",
    derivative=r"\sigma'(x) = \sigma(x)\,\sigma(-x)",
    output_range=(0.0, 1.0),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=False,
    reference="Verhulst (1838); the logistic unit of Rumelhart, Hinton & Williams (1986), Learning representations by back-propagating errors, Nature 323.",
    jax_nn="sigmoid",
    frameworks={
        "PyTorch": "torch.sigmoid / torch.nn.Sigmoid",
        "Keras": "keras.activations.sigmoid",
    },
    ulp_f32=2.5,
    speed_note=(
        "One exp and one division, as in jax.nn, but both branches (1/(1+e) and e/(1+e), "
        "e = exp(-|x|)) are formed and selected, and the backward pass computes e/(1+e)^2"
        " rather than jax.nn's s(1-s) from the saved output, which is cheaper but 0 "
        "beyond x = 17."
    ),
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
    Computed as :math:`1/(1+e)` for :math:`x \\ge 0` and :math:`e/(1+e)` for
    :math:`x < 0`, with :math:`e = e^{-|x|}`. What the bound has beyond the 2-ULP goal
    is the error of XLA's ``exp`` showing through a change of binade; an own exponential
    accurate enough to remove it (and compensating the rounding of :math:`1 + e`) cost
    more than the 1.25x of jax.nn's CPU time flaxact allows itself, so it stays with
    XLA's ``exp``. The gradient :math:`\\sigma(x)\\sigma(-x)` is accurate to the last
    bits over the whole range (:math:`s(1-s)` would be 0 beyond :math:`x = 17`).

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
    return _sigmoid(wide(x)).astype(x.dtype)


@jax.custom_jvp
def _log_sigmoid(x: jax.Array) -> jax.Array:
    return -K.softplus(-x)


_log_sigmoid.defjvps(lambda g, ans, x: g * K.sigmoid_neg_df(x, own=True))


@activation(
    family="sigmoidal",
    formula=r"\mathrm{log\_sigmoid}(x) = \log \sigma(x) = -\log\left(1 + e^{-x}\right)",
    derivative=r"\mathrm{log\_sigmoid}'(x) = \sigma(-x)",
    output_range=(-_INF, 0.0),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=False,
    reference="The log-likelihood of logistic regression; Cox (1958), The regression analysis of binary sequences, JRSS B 20.",
    jax_nn="log_sigmoid",
    frameworks={
        "PyTorch": "torch.nn.functional.logsigmoid",
        "Keras": "keras.activations.log_sigmoid",
    },
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
    return _log_sigmoid(wide(x)).astype(x.dtype)


def _dtanh(x: jax.Array) -> jax.Array:
    # sech^2(x) = 4 e / (1 + e)^2 with e = exp(-2|x|): no cancellation (1 - tanh^2 has it)
    _, m, scale = K.exp_neg_abs(2 * x, own=True)
    e = m * scale
    return ((4 * m) / ((1 + e) * (1 + e))) * scale


@jax.custom_jvp
def _tanh(x: jax.Array) -> jax.Array:
    return K.tanh(x)


_tanh.defjvps(lambda g, ans, x: g * _dtanh(x))


@activation(
    family="sigmoidal",
    formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    derivative=r"\tanh'(x) = 1 - \tanh^2(x) = \mathrm{sech}^2(x)",
    output_range=(-1.0, 1.0),
    monotonic=True,
    smoothness="Cinf",
    zero_centered=True,
    reference="LeCun, Bottou, Orr & Müller (1998), Efficient BackProp, in Neural Networks: Tricks of the Trade.",
    jax_nn="tanh",
    frameworks={"PyTorch": "torch.tanh / torch.nn.Tanh", "Keras": "keras.activations.tanh"},
    ulp_f32=1.6,
    speed_note=(
        "XLA's tanh, behind jax.nn's, is one rational approximation without exp (at the "
        "cost of several ULP); flaxact evaluates an odd polynomial for small |x| and (1 -"
        " e)/(1 + e) with an exp above, and selects. The backward pass evaluates 4e/(1 + "
        "e)^2 with an exp of its own, scaled so that it stays accurate where sech^2 is tiny."
    ),
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
    An odd polynomial for :math:`|x| < 0.55` and :math:`(1-e)/(1+e)`,
    :math:`e = e^{-2|x|} \\le 0.33`, above (no cancellation), where XLA's CPU ``tanh``,
    and so jax.nn's, uses a faster rational approximation that loses several ULP. The
    gradient is computed as :math:`4e/(1+e)^2`, which keeps full relative accuracy in the
    tails where :math:`1 - \\tanh^2` is 0.

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
    return _tanh(wide(x)).astype(x.dtype)


@jax.custom_jvp
def _soft_sign(x: jax.Array) -> jax.Array:
    return jnp.where(jnp.isinf(x), jnp.sign(x), x / (1 + jnp.abs(x)))


_soft_sign.defjvps(lambda g, ans, x: g / ((1 + jnp.abs(x)) * (1 + jnp.abs(x))))


@activation(
    family="sigmoidal",
    formula=r"\mathrm{soft\_sign}(x) = \frac{x}{1 + |x|}",
    derivative=r"\mathrm{soft\_sign}'(x) = \frac{1}{(1 + |x|)^2}",
    output_range=(-1.0, 1.0),
    monotonic=True,
    smoothness="C1",
    zero_centered=True,
    reference="Bergstra, Desjardins, Lamblin & Bengio (2009), Quadratic polynomials learn better image features, Université de Montréal TR 1337.",
    jax_nn="soft_sign",
    frameworks={"PyTorch": "torch.nn.functional.softsign", "Keras": "keras.activations.softsign"},
    ulp_f32=1.5,
    speed_note=(
        "x / (1 + |x|) as in jax.nn, plus a select that gives ±1 at ±inf (jax.nn: nan); at "
        "memory speed the difference is within run-to-run noise."
    ),
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
    return _soft_sign(wide(x)).astype(x.dtype)
