"""Flax linen modules: PReLU, LeakyReLU, the gated feed-forward block (GLU family), XIELU
and Snake.

``flaxact.PReLU`` is a drop-in for :class:`flax.linen.PReLU` (same fields, same
parameter name and shape), with an optional per-channel slope and without Flax's
wrong result on integer input. The same modules for Flax NNX are in
:mod:`flaxact.nnx`.
"""

from __future__ import annotations

import functools
from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp
from flax.typing import Dtype, Initializer

from ._core import param_value
from ._modules import (
    Activation,
    channel_axis,
    check_activation,
    check_axis,
    check_features,
    check_float_dtype,
    check_xielu,
    prelu,
    prepare_input,
    snake_from_param,
    softplus_inverse,
    xielu_from_params,
)
from ._rectifiers import leaky_relu
from ._smooth import silu

__all__ = ["XIELU", "GatedFeedForward", "LeakyReLU", "PReLU", "Snake"]


def _channel_param(
    module: nn.Module, name: str, init: float, inputs: Any, owner: str
) -> tuple[jax.Array, jax.Array, int | None]:
    """The input as a float array, the module's parameter ``name`` (one value per channel
    along ``module.axis``, or a scalar when it is None, filled with ``init``) and the
    normalised channel axis."""
    x = prepare_input(inputs, module.dtype, owner)
    axis = None if module.axis is None else channel_axis(x, module.axis, owner)
    shape = () if axis is None else (x.shape[axis],)
    value = module.param(name, lambda _key, shape: jnp.full(shape, init, module.param_dtype), shape)
    return x, value, axis


class PReLU(nn.Module):
    r"""Parametric rectified linear unit: leaky ReLU with a learned negative slope.

    .. math::

        \mathrm{PReLU}(x) = \begin{cases} x, & x \ge 0 \\ a\,x, & x < 0 \end{cases}

    where :math:`a` is the parameter ``negative_slope``: one scalar shared by every
    element (the default, as :class:`flax.linen.PReLU`), or one value per channel along
    ``axis``.

    Parameters
    ----------
    param_dtype : dtype, default float32
        Dtype of the ``negative_slope`` parameter (a floating type).
    negative_slope_init : float, default 0.01
        Initial value of every slope.
    axis : int or None, default None
        ``None``: a single slope of shape ``()``. An int: one slope per channel along
        that axis of the input, of shape ``(inputs.shape[axis],)``; negative values
        count from the end (``-1`` for channels-last data such as ``nn.Conv``
        output).
    dtype : dtype or None, default None
        Dtype of the computation and the output. ``None``: the input's dtype
        (float32 for integer or bool input).
    parent, name : optional
        Set by Flax: the enclosing module and this module's name in the parameter tree.

    See Also
    --------
    LeakyReLU : The same function with a fixed slope.
    flaxact.leaky_relu : The function it computes.
    flaxact.nnx.PReLU : The Flax NNX version.

    Notes
    -----
    The slope is cast to the input's dtype, as in Flax. Integer and bool input is first
    promoted to float (Flax casts the slope to the integer dtype, so ``0.01`` becomes
    ``0`` and ``PReLU`` silently returns ``max(x, 0)``). bfloat16 and float16 input
    is multiplied by the float32 slope in float32 and rounded once, so the slope is not
    first rounded to the narrow type. The gradient at :math:`x = 0` is 1 with respect
    to ``x`` and 0 with respect to :math:`a`, as for :func:`flaxact.leaky_relu`.

    Frameworks differ in the initial slope and in how many slopes there are:
    Flax initialises to 0.01 with one shared slope; PyTorch's ``nn.PReLU`` to 0.25,
    with ``num_parameters`` slopes along dimension 1 (channels-first); Keras'
    ``PReLU`` layer to zeros (``alpha_initializer``), with one slope per element
    unless ``shared_axes`` names axes to share over. ``PReLU(axis=1)`` here matches
    PyTorch's per-channel layout, ``PReLU(axis=-1)`` Keras' with
    ``shared_axes`` = every axis but the last.

    References
    ----------
    .. [1] K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers:
       surpassing human-level performance on ImageNet classification", ICCV 2015.

    Examples
    --------
    >>> import jax
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> layer = flaxact.PReLU(negative_slope_init=0.25)
    >>> x = jnp.array([-2.0, 0.0, 3.0])
    >>> variables = layer.init(jax.random.key(0), x)
    >>> variables["params"]["negative_slope"]
    Array(0.25, dtype=float32)
    >>> layer.apply(variables, x)
    Array([-0.5,  0. ,  3. ], dtype=float32)

    Integer input is promoted to float (``flax.linen.PReLU`` returns ``[0, 0, 3]``):

    >>> layer.apply(variables, jnp.array([-4, 0, 3]))
    Array([-1.,  0.,  3.], dtype=float32)

    One slope per channel along the last axis:

    >>> per_channel = flaxact.PReLU(negative_slope_init=0.5, axis=-1)
    >>> x = jnp.array([[-4.0, 4.0, -1.0], [-2.0, 2.0, 1.0]])
    >>> variables = per_channel.init(jax.random.key(0), x)
    >>> variables["params"]["negative_slope"].shape
    (3,)
    >>> per_channel.apply(variables, x)
    Array([[-2. ,  4. , -0.5],
           [-1. ,  2. ,  1. ]], dtype=float32)
    """

    param_dtype: Dtype = jnp.float32
    negative_slope_init: float = 0.01
    axis: int | None = None
    dtype: Dtype | None = None

    def __post_init__(self) -> None:
        check_float_dtype(self.param_dtype, "linen.PReLU", "param_dtype")
        param_value(self.negative_slope_init, "linen.PReLU", "negative_slope_init", scalar=True)
        check_axis(self.axis, "linen.PReLU")
        check_float_dtype(self.dtype, "linen.PReLU", "dtype", optional=True)
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs: Any) -> jax.Array:
        """Apply PReLU to ``inputs`` (any shape; at least one dimension when ``axis`` is set)."""
        x, negative_slope, axis = _channel_param(
            self, "negative_slope", self.negative_slope_init, inputs, "linen.PReLU"
        )
        return prelu(x, negative_slope, axis)


class LeakyReLU(nn.Module):
    r"""Leaky rectified linear unit with a fixed negative slope, as a linen module.

    .. math::

        \mathrm{LeakyReLU}(x) = \begin{cases} x, & x \ge 0 \\ \alpha\,x, & x < 0 \end{cases}

    The module has no parameters, so it can be called directly, without ``init`` and
    ``apply``: ``LeakyReLU()(x)``. Inside another module it behaves like any
    submodule.

    Parameters
    ----------
    negative_slope : float, default 0.01
        The slope :math:`\alpha` for negative input; a finite real number.
    parent, name : optional
        Set by Flax: the enclosing module and this module's name in the parameter tree.

    See Also
    --------
    PReLU : The same function with a learned slope.
    flaxact.leaky_relu : The function it computes.
    flaxact.nnx.LeakyReLU : The Flax NNX version.

    Notes
    -----
    Computes :func:`flaxact.leaky_relu`: integer and bool input is promoted to float,
    half precision is computed in float32 and rounded once, and the gradient at 0 is 1.
    Default slopes differ: 0.01 here, in jax.nn, Flax and PyTorch's ``nn.LeakyReLU``;
    0.3 for Keras' ``LeakyReLU`` layer (0.2 for ``keras.activations.leaky_relu``).

    References
    ----------
    .. [1] A. L. Maas, A. Y. Hannun and A. Y. Ng, "Rectifier nonlinearities improve
       neural network acoustic models", ICML 2013.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> flaxact.LeakyReLU(negative_slope=0.25)(jnp.array([-2.0, 0.0, 2.0]))
    Array([-0.5,  0. ,  2. ], dtype=float32)
    """

    negative_slope: float = 0.01

    def __post_init__(self) -> None:
        param_value(self.negative_slope, "linen.LeakyReLU", "negative_slope", scalar=True)
        super().__post_init__()

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the leaky ReLU to ``inputs``."""
        return leaky_relu(prepare_input(inputs, None, "linen.LeakyReLU"), self.negative_slope)


class GatedFeedForward(nn.Module):
    r"""Gated feed-forward block of a transformer (the GLU family of Shazeer, 2020).

    .. math::

        \mathrm{FFN}(x) = \bigl(f(x W) \otimes x V\bigr)\, W_2

    (plus biases when ``use_bias``), where :math:`f` is ``activation`` and
    :math:`\otimes` the element-wise product. The gate activation names the variant:
    :func:`flaxact.sigmoid` gives GLU, :func:`flaxact.silu` SwiGLU (the default),
    :func:`flaxact.gelu` GeGLU and :func:`flaxact.relu` ReGLU.

    The three projections are :class:`flax.linen.Dense` submodules named ``W``
    (input → hidden, through the activation), ``V`` (input → hidden, linear) and
    ``W2`` (hidden → output), so ``params["W"]["kernel"]`` is the paper's :math:`W`.

    Parameters
    ----------
    hidden_features : int
        Width of the hidden layer (the paper's :math:`d_{ff}`); a positive int.
    out_features : int or None, default None
        Width of the output; ``None`` keeps the input's last dimension.
    activation : callable, default flaxact.silu
        The gate activation :math:`f`, applied element-wise to :math:`xW`.
    use_bias : bool, default False
        Add a bias after each projection (the paper has none).
    dtype : dtype or None, default None
        Dtype of the computation and the output; the parameters are cast to it.
        ``None``: the input's dtype (float32 for integer or bool input).
    param_dtype : dtype, default float32
        Dtype of the parameters.
    kernel_init : initializer, default lecun_normal()
        Initializer of the three kernels (Flax ``Dense``'s default).
    bias_init : initializer, default zeros
        Initializer of the biases.
    parent, name : optional
        Set by Flax: the enclosing module and this module's name in the parameter tree.

    See Also
    --------
    flaxact.swiglu : The gate on a split axis, without projections.
    flaxact.glu : The sigmoid-gated split.
    flaxact.nnx.GatedFeedForward : The Flax NNX version.

    Notes
    -----
    The input's last axis holds the features. Two separate projections :math:`W` and
    :math:`V` are used rather than one fused projection split in two, so checkpoints
    map one-to-one onto the paper's matrices. With equal parameter counts the paper
    takes :math:`d_{ff}` about 2/3 of a plain feed-forward block's hidden width.
    Unlike ``flax.linen.Dense`` with ``dtype=None``, which computes in the promoted
    type of the input and float32 parameters, bfloat16 input is computed in bfloat16
    (parameters cast to the input's dtype, as for ``PReLU``).

    References
    ----------
    .. [1] N. Shazeer, "GLU variants improve Transformer", arXiv:2002.05202, 2020.
    .. [2] Y. N. Dauphin, A. Fan, M. Auli and D. Grangier, "Language modeling with
       gated convolutional networks", ICML 2017.

    Examples
    --------
    >>> import jax
    >>> import jax.numpy as jnp
    >>> import flax.linen as nn
    >>> import flaxact
    >>> block = flaxact.GatedFeedForward(hidden_features=3, activation=flaxact.relu,
    ...                                  kernel_init=nn.initializers.ones)
    >>> x = jnp.array([[1.0, 2.0]])
    >>> variables = block.init(jax.random.key(0), x)
    >>> jax.tree.map(jnp.shape, variables["params"])
    {'V': {'kernel': (2, 3)}, 'W': {'kernel': (2, 3)}, 'W2': {'kernel': (3, 2)}}

    Each hidden unit is ``relu(1 + 2) * (1 + 2) = 9``, and each output ``3 * 9``:

    >>> block.apply(variables, x)
    Array([[27., 27.]], dtype=float32)
    """

    hidden_features: int
    out_features: int | None = None
    activation: Activation = silu
    use_bias: bool = False
    dtype: Dtype | None = None
    param_dtype: Dtype = jnp.float32
    kernel_init: Initializer = nn.initializers.lecun_normal()
    bias_init: Initializer = nn.initializers.zeros_init()

    def __post_init__(self) -> None:
        owner = "linen.GatedFeedForward"
        check_features(self.hidden_features, owner, "hidden_features")
        check_features(self.out_features, owner, "out_features", optional=True)
        check_activation(self.activation, owner)
        check_float_dtype(self.dtype, owner, "dtype", optional=True)
        check_float_dtype(self.param_dtype, owner, "param_dtype")
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the block to ``inputs`` of shape ``(..., in_features)``."""
        x = prepare_input(inputs, self.dtype, "linen.GatedFeedForward")
        if x.ndim == 0:
            raise ValueError(
                "flaxact.linen.GatedFeedForward: argument 'inputs' must have a feature "
                "axis (the last); got a scalar"
            )
        dense = functools.partial(
            nn.Dense,
            use_bias=self.use_bias,
            dtype=x.dtype,
            param_dtype=self.param_dtype,
            kernel_init=self.kernel_init,
            bias_init=self.bias_init,
        )
        out_features = x.shape[-1] if self.out_features is None else self.out_features
        gate = dense(self.hidden_features, name="W")(x)
        value = dense(self.hidden_features, name="V")(x)
        hidden = self.activation(gate) * value
        return dense(out_features, name="W2")(hidden)


class XIELU(nn.Module):
    r"""The xIELU activation with learned :math:`\alpha_p` and :math:`\alpha_n` (Apertus).

    .. math::

        \mathrm{XIELU}(x) = \begin{cases} \alpha_p x^2 + \beta x, & x > 0 \\
        \alpha_n \left(e^{\min(x, \epsilon)} - 1 - x\right) + \beta x, & x \le 0
        \end{cases}, \quad \alpha_p = \mathrm{softplus}(a_p), \
        \alpha_n = \beta + \mathrm{softplus}(a_n)

    The parameters ``alpha_p`` and ``alpha_n`` hold :math:`a_p` and :math:`a_n`, the
    softplus-inverse values, as transformers' ``XIELUActivation`` names and stores them:
    :math:`\alpha_p > 0` and :math:`\alpha_n > \beta` whatever the training does.
    :math:`\beta` and :math:`\epsilon` are fixed.

    Parameters
    ----------
    alpha_p_init : float, default 0.8
        Initial :math:`\alpha_p` (> 0).
    alpha_n_init : float, default 0.8
        Initial :math:`\alpha_n` (> ``beta``).
    beta : float, default 0.5
        The fixed slope at 0, :math:`\beta`.
    eps : float, default -1e-6
        The fixed clamp of the exponential, :math:`\epsilon \le 0`.
    param_dtype : dtype, default float32
        Dtype of the two parameters (a floating type).
    dtype : dtype or None, default None
        Dtype of the computation and the output. ``None``: the input's dtype (float32
        for integer or bool input).
    parent, name : optional
        Set by Flax: the enclosing module and this module's name in the parameter tree.

    See Also
    --------
    flaxact.xielu : The function, with the parameters given directly.
    flaxact.nnx.XIELU : The Flax NNX version.

    Notes
    -----
    Each parameter is a scalar (transformers' has shape ``(1,)``: reshape when loading
    its checkpoints), of ``param_dtype`` float32 by default as in other Flax modules
    (transformers' module defaults to bfloat16). The parameters are cast to the
    computation's dtype, float32 for bfloat16 and float16 input, whose result is
    rounded once. Gradients reach both through the softplus. With learned (traced)
    parameters the function takes its general form: see :func:`flaxact.xielu` for its
    accuracy near the root of the negative branch.

    References
    ----------
    .. [1] A. H. Huang and I. Schlag, "Deriving activation functions using integration",
       arXiv:2411.13010, 2024.

    Examples
    --------
    >>> import jax
    >>> import jax.numpy as jnp
    >>> import numpy as np
    >>> import flaxact
    >>> layer = flaxact.XIELU()
    >>> x = jnp.array([-2.0, -1.0, 1.0, 2.0])
    >>> variables = layer.init(jax.random.key(0), x)
    >>> params = variables["params"]
    >>> print({k: round(float(v), 4) for k, v in params.items()})
    {'alpha_p': 0.2034, 'alpha_n': -1.0502}
    >>> round(float(flaxact.softplus(params["alpha_p"])), 6)  # alpha_p starts at 0.8
    0.8
    >>> np.asarray(layer.apply(variables, x)).round(4)
    array([-0.0917, -0.2057,  1.3   ,  4.2   ], dtype=float32)
    """

    alpha_p_init: float = 0.8
    alpha_n_init: float = 0.8
    beta: float = 0.5
    eps: float = -1e-6
    param_dtype: Dtype = jnp.float32
    dtype: Dtype | None = None

    def __post_init__(self) -> None:
        owner = "linen.XIELU"
        check_xielu(self.alpha_p_init, self.alpha_n_init, self.beta, self.eps, owner)
        check_float_dtype(self.param_dtype, owner, "param_dtype")
        check_float_dtype(self.dtype, owner, "dtype", optional=True)
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs: Any) -> jax.Array:
        """Apply xIELU to ``inputs`` (any shape)."""
        x = prepare_input(inputs, self.dtype, "linen.XIELU")
        a_p = self.param(
            "alpha_p",
            lambda _key: jnp.asarray(softplus_inverse(self.alpha_p_init), self.param_dtype),
        )
        a_n = self.param(
            "alpha_n",
            lambda _key: jnp.asarray(
                softplus_inverse(self.alpha_n_init - self.beta), self.param_dtype
            ),
        )
        return xielu_from_params(x, a_p, a_n, self.beta, self.eps)


class Snake(nn.Module):
    r"""Snake with a learned frequency per channel, as in BigVGAN and DAC.

    .. math::

        \mathrm{Snake}(x) = x + \frac{\sin^2(\alpha x)}{\alpha}

    where :math:`\alpha` is the parameter ``alpha``: one value per channel along
    ``axis`` (the default, the last axis), or one scalar for the whole input
    (``axis=None``).

    Parameters
    ----------
    alpha_init : float, default 1.0
        Initial value of every :math:`\alpha` (0 is the limit, the identity).
    axis : int or None, default -1
        The channel axis, with ``alpha`` of shape ``(inputs.shape[axis],)``: ``-1`` for
        channels-last data such as ``nn.Conv`` output, ``1`` for PyTorch's ``(B, C,
        T)``. ``None``: a single ``alpha`` of shape ``()``.
    param_dtype : dtype, default float32
        Dtype of ``alpha`` (a floating type).
    dtype : dtype or None, default None
        Dtype of the computation and the output. ``None``: the input's dtype (float32
        for integer or bool input).
    parent, name : optional
        Set by Flax: the enclosing module and this module's name in the parameter tree.

    See Also
    --------
    flaxact.snake : The function.
    flaxact.nnx.Snake : The Flax NNX version.

    Notes
    -----
    BigVGAN's ``Snake(in_features)`` and DAC's ``Snake1d(channels)`` hold one
    :math:`\alpha` per channel of ``(B, C, T)`` input, initialised to 1:
    ``Snake(axis=1)`` here, or the default ``axis=-1`` for Flax's channels-last layout.
    They divide by :math:`\alpha + 10^{-9}`; here :math:`\alpha = 0` gives the limit,
    with the gradient :math:`x^2` for :math:`\alpha`. (BigVGAN's ``alpha_logscale``
    option, :math:`\alpha = e^a`, and its ``SnakeBeta`` variant are not provided.) The
    parameter is cast to the computation's dtype, float32 for bfloat16 and float16
    input, whose result is rounded once.

    References
    ----------
    .. [1] Liu Ziyin, T. Hartwig and M. Ueda, "Neural networks fail to learn periodic
       functions and how to fix it", NeurIPS 2020.

    Examples
    --------
    >>> import jax
    >>> import jax.numpy as jnp
    >>> import numpy as np
    >>> import flaxact
    >>> layer = flaxact.Snake(alpha_init=0.5)
    >>> x = jnp.array([[-2.0, 0.0, 2.0], [1.0, -1.0, 0.5]])  # (batch, channels)
    >>> variables = layer.init(jax.random.key(0), x)
    >>> variables["params"]["alpha"]
    Array([0.5, 0.5, 0.5], dtype=float32)
    >>> np.asarray(layer.apply(variables, x)).round(4)
    array([[-0.5839,  0.    ,  3.4161],
           [ 1.4597, -0.5403,  0.6224]], dtype=float32)
    """

    alpha_init: float = 1.0
    axis: int | None = -1
    param_dtype: Dtype = jnp.float32
    dtype: Dtype | None = None

    def __post_init__(self) -> None:
        param_value(self.alpha_init, "linen.Snake", "alpha_init", scalar=True)
        check_axis(self.axis, "linen.Snake")
        check_float_dtype(self.param_dtype, "linen.Snake", "param_dtype")
        check_float_dtype(self.dtype, "linen.Snake", "dtype", optional=True)
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs: Any) -> jax.Array:
        """Apply snake to ``inputs`` (at least one dimension when ``axis`` is set)."""
        x, alpha, axis = _channel_param(self, "alpha", self.alpha_init, inputs, "linen.Snake")
        return snake_from_param(x, alpha, axis)
