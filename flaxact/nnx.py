"""Flax NNX modules: PReLU, LeakyReLU, the gated feed-forward block (GLU family), XIELU
and Snake.

The same modules as :mod:`flaxact.linen`, written for Flax NNX: parameters are
:class:`flax.nnx.Param` attributes created in ``__init__``, so sizes the linen modules
read from the first input (the channel count of a per-channel PReLU or Snake, the input
width of the feed-forward block) are constructor arguments here. Given the same parameter
values, each module returns exactly what its linen counterpart returns.

Importing :mod:`flaxact` does not import this module (Flax NNX adds about a second to
the import); ``import flaxact.nnx`` or the attribute ``flaxact.nnx`` loads it.
"""

from __future__ import annotations

import inspect
from typing import Any

import jax
import jax.numpy as jnp
from flax import nnx
from flax.typing import Dtype, Initializer

from ._core import param_value
from ._modules import (
    Activation,
    check_activation,
    check_axis,
    check_features,
    check_float_dtype,
    check_xielu,
    checked_channels,
    prelu,
    prepare_input,
    snake_from_param,
    softplus_inverse,
    xielu_from_params,
)
from ._rectifiers import leaky_relu
from ._smooth import silu

__all__ = ["XIELU", "GatedFeedForward", "LeakyReLU", "PReLU", "Snake"]


def _constructor_signature(cls: type) -> type:
    """Give ``cls`` its ``__init__`` signature (NNX's metaclass shows ``*args, **kwargs``)."""
    sig = inspect.signature(cls.__init__)
    cls.__signature__ = sig.replace(parameters=list(sig.parameters.values())[1:])
    return cls


def _channel_param(
    module: nnx.Module,
    owner: str,
    name: str,
    init: float,
    num_features: int | None,
    axis: int,
    dtype: Dtype | None,
    param_dtype: Dtype,
) -> None:
    """Check the arguments of a module with one learned value per channel (PReLU, Snake)
    and give it the parameter ``name``, of shape ``(num_features,)`` (``()`` when
    ``num_features`` is None) filled with ``init``, and the attributes its call reads."""
    param_value(init, owner, f"{name}_init", scalar=True)
    check_features(num_features, owner, "num_features", optional=True)
    check_axis(axis, owner, optional=False)
    check_float_dtype(dtype, owner, "dtype", optional=True)
    check_float_dtype(param_dtype, owner, "param_dtype")
    shape = () if num_features is None else (int(num_features),)
    setattr(module, name, nnx.Param(jnp.full(shape, init, param_dtype)))
    module.num_features = num_features
    module.axis = int(axis)
    module.dtype = dtype
    module.param_dtype = param_dtype


def _channel_input(module: nnx.Module, inputs: Any, owner: str) -> tuple[jax.Array, int | None]:
    """The input as a float array and its channel axis (None for a shared parameter),
    checked against the module's ``num_features``."""
    x = prepare_input(inputs, module.dtype, owner)
    return x, checked_channels(x, module.axis, module.num_features, owner)


@_constructor_signature
class PReLU(nnx.Module):
    r"""Parametric rectified linear unit: leaky ReLU with a learned negative slope (NNX).

    .. math::

        \mathrm{PReLU}(x) = \begin{cases} x, & x \ge 0 \\ a\,x, & x < 0 \end{cases}

    where :math:`a` is the :class:`~flax.nnx.Param` ``negative_slope``: one scalar
    shared by every element (the default, as :class:`flax.nnx.PReLU`), or, when
    ``num_features`` is given, one value per channel along ``axis``.

    Parameters
    ----------
    negative_slope_init : float, default 0.01
        Initial value of every slope.
    num_features : int or None, default None
        ``None``: a single slope of shape ``()``. An int: that many slopes, shape
        ``(num_features,)``, one per channel along ``axis``; the input's size along
        ``axis`` must equal it. (NNX creates parameters in ``__init__``, before any
        input is seen, hence the count, as in :class:`flax.nnx.BatchNorm`; the linen
        module reads it from the input.
    axis : int, default -1
        The channel axis of the input when ``num_features`` is set (``-1``:
        channels-last, as ``nnx.Conv`` output; ``1``: channels-first, PyTorch's
        layout). Negative values count from the end. Unused otherwise.
    dtype : dtype or None, default None
        Dtype of the computation and the output. ``None``: the input's dtype
        (float32 for integer or bool input).
    param_dtype : dtype, default float32
        Dtype of ``negative_slope`` (a floating type).
    rngs : flax.nnx.Rngs or None, default None
        Accepted for a uniform constructor; the initialisation is deterministic.

    See Also
    --------
    LeakyReLU : The same function with a fixed slope.
    flaxact.linen.PReLU : The Flax linen version.
    flaxact.leaky_relu : The function it computes.

    Notes
    -----
    ``PReLU(num_features=C, axis=a)`` here equals ``flaxact.linen.PReLU(axis=a)`` on
    input with ``C`` channels. The slope is cast to the input's dtype; integer and
    bool input is promoted to float first (Flax's own PReLU casts the slope to the
    integer dtype and returns ``max(x, 0)``), and bfloat16/float16 input is computed
    in float32 and rounded once. The gradient at :math:`x = 0` is 1.

    Frameworks differ in the initial slope and the slope count: Flax 0.01 shared;
    PyTorch ``nn.PReLU`` 0.25, ``num_parameters`` slopes along dimension 1; Keras
    ``PReLU`` zeros, one per element unless ``shared_axes`` is given.

    References
    ----------
    .. [1] K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers:
       surpassing human-level performance on ImageNet classification", ICCV 2015.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact.nnx
    >>> layer = flaxact.nnx.PReLU(0.5, num_features=3)
    >>> layer.negative_slope.shape
    (3,)
    >>> layer(jnp.array([[-4.0, 4.0, -1.0], [-2.0, 2.0, 1.0]]))
    Array([[-2. ,  4. , -0.5],
           [-1. ,  2. ,  1. ]], dtype=float32)
    >>> flaxact.nnx.PReLU(0.25)(jnp.array([-4, 0, 3]))
    Array([-1.,  0.,  3.], dtype=float32)
    """

    def __init__(
        self,
        negative_slope_init: float = 0.01,
        *,
        num_features: int | None = None,
        axis: int = -1,
        dtype: Dtype | None = None,
        param_dtype: Dtype = jnp.float32,
        rngs: nnx.Rngs | None = None,
    ) -> None:
        del rngs  # deterministic initialisation
        _channel_param(
            self,
            "nnx.PReLU",
            "negative_slope",
            negative_slope_init,
            num_features,
            axis,
            dtype,
            param_dtype,
        )

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply PReLU to ``inputs``."""
        x, axis = _channel_input(self, inputs, "nnx.PReLU")
        return prelu(x, self.negative_slope[...], axis)


@_constructor_signature
class LeakyReLU(nnx.Module):
    r"""Leaky rectified linear unit with a fixed negative slope, as an NNX module.

    .. math::

        \mathrm{LeakyReLU}(x) = \begin{cases} x, & x \ge 0 \\ \alpha\,x, & x < 0 \end{cases}

    Parameters
    ----------
    negative_slope : float, default 0.01
        The slope :math:`\alpha` for negative input; a finite real number. Stored as a
        plain attribute (not a parameter), so it is not trained.

    See Also
    --------
    PReLU : The same function with a learned slope.
    flaxact.linen.LeakyReLU : The Flax linen version.

    Notes
    -----
    Computes :func:`flaxact.leaky_relu` (integer input promoted to float, half
    precision computed in float32 and rounded once, gradient 1 at 0). Default slopes
    differ: 0.01 here, in jax.nn, Flax and PyTorch; 0.3 for Keras' ``LeakyReLU``
    layer.

    References
    ----------
    .. [1] A. L. Maas, A. Y. Hannun and A. Y. Ng, "Rectifier nonlinearities improve
       neural network acoustic models", ICML 2013.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact.nnx
    >>> flaxact.nnx.LeakyReLU(0.25)(jnp.array([-2.0, 0.0, 2.0]))
    Array([-0.5,  0. ,  2. ], dtype=float32)
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        param_value(negative_slope, "nnx.LeakyReLU", "negative_slope", scalar=True)
        self.negative_slope = negative_slope

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the leaky ReLU to ``inputs``."""
        return leaky_relu(prepare_input(inputs, None, "nnx.LeakyReLU"), self.negative_slope)


#: Flax's ``Linear`` / ``Dense`` defaults.
_DEFAULT_KERNEL_INIT = nnx.initializers.lecun_normal()
_DEFAULT_BIAS_INIT = nnx.initializers.zeros_init()


def _to_first_dtype(
    args: tuple[Any, ...], /, *, dtype: Any = None, inexact: bool = True
) -> tuple[Any, ...]:
    """``promote_dtype`` for ``nnx.Linear``: cast kernel and bias to the input's dtype."""
    del inexact
    dtype = args[0].dtype if dtype is None else dtype
    return tuple(None if a is None else jnp.asarray(a, dtype) for a in args)


@_constructor_signature
class GatedFeedForward(nnx.Module):
    r"""Gated feed-forward block of a transformer (the GLU family of Shazeer, 2020), NNX.

    .. math::

        \mathrm{FFN}(x) = \bigl(f(x W) \otimes x V\bigr)\, W_2

    (plus biases when ``use_bias``), where :math:`f` is ``activation``:
    :func:`flaxact.sigmoid` gives GLU, :func:`flaxact.silu` SwiGLU (the default),
    :func:`flaxact.gelu` GeGLU and :func:`flaxact.relu` ReGLU. The projections are
    :class:`flax.nnx.Linear` attributes ``W``, ``V`` and ``W2``, with the same
    parameter layout as :class:`flaxact.linen.GatedFeedForward`.

    Parameters
    ----------
    in_features : int
        Width of the input's last axis.
    hidden_features : int
        Width of the hidden layer (the paper's :math:`d_{ff}`).
    out_features : int or None, default None
        Width of the output; ``None``: ``in_features``.
    activation : callable, default flaxact.silu
        The gate activation :math:`f`.
    use_bias : bool, default False
        Add a bias after each projection.
    dtype : dtype or None, default None
        Dtype of the computation and output; ``None``: the input's dtype (float32 for
        integer or bool input). The parameters are cast to it.
    param_dtype : dtype, default float32
        Dtype of the parameters.
    kernel_init : initializer, default lecun_normal()
        Initializer of the kernels.
    bias_init : initializer, default zeros
        Initializer of the biases.
    rngs : flax.nnx.Rngs
        Random streams for the kernel initialisers.

    See Also
    --------
    flaxact.linen.GatedFeedForward : The Flax linen version.
    flaxact.swiglu : The gate on a split axis, without projections.

    Notes
    -----
    See :class:`flaxact.linen.GatedFeedForward`: separate :math:`W` and :math:`V`,
    and computation in the input's dtype (bfloat16 input gives bfloat16 output).

    References
    ----------
    .. [1] N. Shazeer, "GLU variants improve Transformer", arXiv:2002.05202, 2020.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from flax import nnx
    >>> import flaxact
    >>> import flaxact.nnx
    >>> block = flaxact.nnx.GatedFeedForward(2, 3, activation=flaxact.relu,
    ...                                      kernel_init=nnx.initializers.ones,
    ...                                      rngs=nnx.Rngs(0))
    >>> block.W.kernel.shape, block.V.kernel.shape, block.W2.kernel.shape
    ((2, 3), (2, 3), (3, 2))
    >>> block(jnp.array([[1.0, 2.0]]))
    Array([[27., 27.]], dtype=float32)
    """

    def __init__(
        self,
        in_features: int,
        hidden_features: int,
        out_features: int | None = None,
        *,
        activation: Activation = silu,
        use_bias: bool = False,
        dtype: Dtype | None = None,
        param_dtype: Dtype = jnp.float32,
        kernel_init: Initializer = _DEFAULT_KERNEL_INIT,
        bias_init: Initializer = _DEFAULT_BIAS_INIT,
        rngs: nnx.Rngs,
    ) -> None:
        owner = "nnx.GatedFeedForward"
        check_features(in_features, owner, "in_features")
        check_features(hidden_features, owner, "hidden_features")
        check_features(out_features, owner, "out_features", optional=True)
        check_activation(activation, owner)
        check_float_dtype(dtype, owner, "dtype", optional=True)
        check_float_dtype(param_dtype, owner, "param_dtype")
        out_features = in_features if out_features is None else out_features

        def linear(n_in: int, n_out: int) -> nnx.Linear:
            return nnx.Linear(
                n_in,
                n_out,
                use_bias=use_bias,
                dtype=dtype,
                param_dtype=param_dtype,
                kernel_init=kernel_init,
                bias_init=bias_init,
                promote_dtype=_to_first_dtype,
                rngs=rngs,
            )

        self.W = linear(in_features, hidden_features)
        self.V = linear(in_features, hidden_features)
        self.W2 = linear(hidden_features, out_features)
        self.activation = activation
        self.in_features = in_features
        self.dtype = dtype

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply the block to ``inputs`` of shape ``(..., in_features)``."""
        x = prepare_input(inputs, self.dtype, "nnx.GatedFeedForward")
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"flaxact.nnx.GatedFeedForward: argument 'inputs' must have "
                f"in_features={self.in_features} on its last axis; got shape {x.shape}"
            )
        hidden = self.activation(self.W(x)) * self.V(x)
        return self.W2(hidden.astype(x.dtype))


@_constructor_signature
class XIELU(nnx.Module):
    r"""The xIELU activation with learned :math:`\alpha_p` and :math:`\alpha_n` (NNX).

    .. math::

        \mathrm{XIELU}(x) = \begin{cases} \alpha_p x^2 + \beta x, & x > 0 \\
        \alpha_n \left(e^{\min(x, \epsilon)} - 1 - x\right) + \beta x, & x \le 0
        \end{cases}, \quad \alpha_p = \mathrm{softplus}(a_p), \
        \alpha_n = \beta + \mathrm{softplus}(a_n)

    The :class:`~flax.nnx.Param` attributes ``alpha_p`` and ``alpha_n`` hold :math:`a_p`
    and :math:`a_n`, as transformers' ``XIELUActivation`` does; :math:`\beta` and
    :math:`\epsilon` are plain attributes, not trained.

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
    dtype : dtype or None, default None
        Dtype of the computation and the output. ``None``: the input's dtype (float32
        for integer or bool input).
    param_dtype : dtype, default float32
        Dtype of the two parameters (a floating type).
    rngs : flax.nnx.Rngs or None, default None
        Accepted for a uniform constructor; the initialisation is deterministic.

    See Also
    --------
    flaxact.linen.XIELU : The Flax linen version.
    flaxact.xielu : The function.

    Notes
    -----
    Given the same parameter values it returns exactly what
    :class:`flaxact.linen.XIELU` returns; see there for dtypes and gradients.

    References
    ----------
    .. [1] A. H. Huang and I. Schlag, "Deriving activation functions using integration",
       arXiv:2411.13010, 2024.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import numpy as np
    >>> import flaxact
    >>> import flaxact.nnx
    >>> layer = flaxact.nnx.XIELU()
    >>> round(float(flaxact.softplus(layer.alpha_p[...])), 6)  # alpha_p starts at 0.8
    0.8
    >>> np.asarray(layer(jnp.array([-2.0, -1.0, 1.0, 2.0]))).round(4)
    array([-0.0917, -0.2057,  1.3   ,  4.2   ], dtype=float32)
    """

    def __init__(
        self,
        alpha_p_init: float = 0.8,
        alpha_n_init: float = 0.8,
        *,
        beta: float = 0.5,
        eps: float = -1e-6,
        dtype: Dtype | None = None,
        param_dtype: Dtype = jnp.float32,
        rngs: nnx.Rngs | None = None,
    ) -> None:
        del rngs  # deterministic initialisation
        check_xielu(alpha_p_init, alpha_n_init, beta, eps, "nnx.XIELU")
        check_float_dtype(dtype, "nnx.XIELU", "dtype", optional=True)
        check_float_dtype(param_dtype, "nnx.XIELU", "param_dtype")
        self.alpha_p = nnx.Param(jnp.asarray(softplus_inverse(alpha_p_init), param_dtype))
        self.alpha_n = nnx.Param(jnp.asarray(softplus_inverse(alpha_n_init - beta), param_dtype))
        self.beta = float(beta)
        self.eps = float(eps)
        self.dtype = dtype
        self.param_dtype = param_dtype

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply xIELU to ``inputs``."""
        x = prepare_input(inputs, self.dtype, "nnx.XIELU")
        return xielu_from_params(x, self.alpha_p[...], self.alpha_n[...], self.beta, self.eps)


@_constructor_signature
class Snake(nnx.Module):
    r"""Snake with a learned frequency per channel (NNX).

    .. math::

        \mathrm{Snake}(x) = x + \frac{\sin^2(\alpha x)}{\alpha}

    where :math:`\alpha` is the :class:`~flax.nnx.Param` ``alpha``: one value per channel
    along ``axis``, shape ``(num_features,)``, or a scalar when ``num_features`` is
    ``None``.

    Parameters
    ----------
    num_features : int or None
        The number of channels (BigVGAN's ``in_features``); the input's size along
        ``axis`` must equal it. ``None``: one scalar ``alpha`` for every element.
    alpha_init : float, default 1.0
        Initial value of every :math:`\alpha` (0 is the limit, the identity).
    axis : int, default -1
        The channel axis when ``num_features`` is set (``-1``: channels-last, as
        ``nnx.Conv`` output; ``1``: PyTorch's ``(B, C, T)``).
    dtype : dtype or None, default None
        Dtype of the computation and the output. ``None``: the input's dtype (float32
        for integer or bool input).
    param_dtype : dtype, default float32
        Dtype of ``alpha`` (a floating type).
    rngs : flax.nnx.Rngs or None, default None
        Accepted for a uniform constructor; the initialisation is deterministic.

    See Also
    --------
    flaxact.linen.Snake : The Flax linen version.
    flaxact.snake : The function.

    Notes
    -----
    ``Snake(C, axis=a)`` here equals ``flaxact.linen.Snake(axis=a)`` on input with ``C``
    channels; see there for BigVGAN's and DAC's layout and for dtypes.

    References
    ----------
    .. [1] Liu Ziyin, T. Hartwig and M. Ueda, "Neural networks fail to learn periodic
       functions and how to fix it", NeurIPS 2020.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import numpy as np
    >>> import flaxact.nnx
    >>> layer = flaxact.nnx.Snake(3, alpha_init=0.5)
    >>> layer.alpha.shape
    (3,)
    >>> np.asarray(layer(jnp.array([[-2.0, 0.0, 2.0], [1.0, -1.0, 0.5]]))).round(4)
    array([[-0.5839,  0.    ,  3.4161],
           [ 1.4597, -0.5403,  0.6224]], dtype=float32)
    """

    def __init__(
        self,
        num_features: int | None,
        alpha_init: float = 1.0,
        *,
        axis: int = -1,
        dtype: Dtype | None = None,
        param_dtype: Dtype = jnp.float32,
        rngs: nnx.Rngs | None = None,
    ) -> None:
        del rngs  # deterministic initialisation
        _channel_param(
            self, "nnx.Snake", "alpha", alpha_init, num_features, axis, dtype, param_dtype
        )

    def __call__(self, inputs: Any) -> jax.Array:
        """Apply snake to ``inputs``."""
        x, axis = _channel_input(self, inputs, "nnx.Snake")
        return snake_from_param(x, self.alpha[...], axis)
