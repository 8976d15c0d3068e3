"""The Flax module families, each written once for :mod:`flaxact.linen` and :mod:`flaxact.nnx`.

A :class:`Family` holds what a module's linen and NNX classes share: its learned
parameters (name, initial value, one per channel or one in all, created in
``param_dtype``), the checks of its arguments, its computation and its class docstring.
Each API's module holds only what differs between the APIs: the classes' signatures
(dataclass fields for linen, ``__init__`` for NNX), when the parameters are created
(linen: at the first call, from the input's channel count; NNX: in ``__init__``, from
``num_features``) and the projections of the feed-forward block.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._core import float_input, param_value, wide
from ._exponential import xielu_traced
from ._rectifiers import leaky_relu
from ._smooth import snake_traced, softplus

__all__ = [
    "GATED_FEED_FORWARD",
    "LEAKY_RELU",
    "PRELU",
    "SNAKE",
    "XIELU",
    "Activation",
    "Family",
    "channel_axis",
    "check_arguments",
    "checked_channels",
    "prepare_input",
]

#: Type of the gate activation of the gated feed-forward block.
Activation = Callable[[jax.Array], jax.Array]


# --------------------------------------------------------------------------- checks
def check_axis(axis: Any, owner: str, *, optional: bool = True) -> None:
    """Require an int (or ``None`` when ``optional``)."""
    if axis is None and optional:
        return
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, (bool, np.bool_)):
        allowed = "an int or None" if optional else "an int"
        raise TypeError(f"flaxact.{owner}: argument 'axis' must be {allowed}; got {axis!r}")


def check_features(value: Any, owner: str, argname: str, *, optional: bool = False) -> None:
    """Require a positive int (or ``None`` when ``optional``)."""
    if value is None and optional:
        return
    if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"flaxact.{owner}: argument '{argname}' must be a positive int; got {value!r}"
        )
    if value <= 0:
        raise ValueError(
            f"flaxact.{owner}: argument '{argname}' must be a positive int; got {value}"
        )


def check_float_dtype(dtype: Any, owner: str, argname: str, *, optional: bool = False) -> None:
    """Require a real floating dtype (or ``None`` when ``optional``)."""
    if dtype is None and optional:
        return
    try:
        dt = jnp.dtype(dtype)
    except TypeError as err:
        raise TypeError(
            f"flaxact.{owner}: argument '{argname}' must be a floating dtype; got {dtype!r}"
        ) from err
    if not jnp.issubdtype(dt, jnp.floating):
        raise TypeError(
            f"flaxact.{owner}: argument '{argname}' must be a floating dtype such as "
            f"float32 or bfloat16; got {dt}"
        )


def check_activation(fn: Any, owner: str) -> None:
    """Require a callable gate activation."""
    if not callable(fn):
        raise TypeError(
            f"flaxact.{owner}: argument 'activation' must be callable (for example "
            f"flaxact.silu); got {type(fn).__name__} {fn!r}"
        )


#: Arguments that are finite real numbers.
_REAL_ARGUMENTS = {
    "negative_slope",
    "negative_slope_init",
    "alpha_init",
    "alpha_p_init",
    "alpha_n_init",
    "beta",
    "eps",
}


def check_arguments(owner: str, args: Mapping[str, Any]) -> None:
    """Check a module's arguments in their order. An argument's name says what it must be,
    the same in every module of both APIs; names not listed here are not checked."""
    for name, value in args.items():
        if name in _REAL_ARGUMENTS:
            param_value(value, owner, name, scalar=True)
        elif name in ("dtype", "param_dtype"):
            check_float_dtype(value, owner, name, optional=name == "dtype")
        elif name.endswith("_features"):
            check_features(value, owner, name, optional=name in ("num_features", "out_features"))
        elif name == "axis":
            # None is a linen module's shared parameter; an NNX one has num_features for that
            check_axis(value, owner, optional="num_features" not in args)
        elif name == "activation":
            check_activation(value, owner)
        elif name == "promote_dtype" and value is not None and not callable(value):
            raise TypeError(
                f"flaxact.{owner}: argument 'promote_dtype' must be callable or None; got {value!r}"
            )
        elif name.endswith("_metadata") and not isinstance(value, Mapping | None):
            raise TypeError(
                f"flaxact.{owner}: argument '{name}' must be a mapping or None; "
                f"got {type(value).__name__}"
            )


def check_xielu(owner: str, args: Mapping[str, Any]) -> None:
    """Require ``alpha_p_init > 0``, ``alpha_n_init > beta`` (each initial value is a
    softplus of a parameter) and ``eps <= 0``."""
    alpha_p, alpha_n, beta, eps = (args[k] for k in ("alpha_p_init", "alpha_n_init", "beta", "eps"))
    if isinstance(alpha_p, jax.core.Tracer) or isinstance(alpha_n, jax.core.Tracer):
        return
    if not float(alpha_p) > 0:
        raise ValueError(
            f"flaxact.{owner}: argument 'alpha_p_init' must be > 0 (alpha_p is a softplus); "
            f"got {alpha_p}"
        )
    if not isinstance(beta, jax.core.Tracer) and not float(alpha_n) > float(beta):
        raise ValueError(
            f"flaxact.{owner}: argument 'alpha_n_init' must be > beta = {beta} (alpha_n is "
            f"beta plus a softplus); got {alpha_n}"
        )
    if not isinstance(eps, jax.core.Tracer) and float(eps) > 0:
        raise ValueError(f"flaxact.{owner}: argument 'eps' must be <= 0; got {eps}")


# --------------------------------------------------------------------------- input
def prepare_input(x: Any, dtype: Any, owner: str) -> jax.Array:
    """Input as a float array (int/bool promoted, complex rejected), cast to ``dtype`` if set."""
    x = float_input(x, owner, "inputs")
    return x if dtype is None else x.astype(dtype)


def channel_axis(x: jax.Array, axis: int, owner: str) -> int:
    """Normalise ``axis`` for ``x`` (negative values count from the end)."""
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"flaxact.{owner}: argument 'axis'={axis} is out of range for an input of "
            f"{x.ndim} dimension(s) (shape {x.shape})"
        )
    return int(axis) % x.ndim


def checked_channels(x: jax.Array, axis: int, num_features: int | None, owner: str) -> int | None:
    """The normalised channel axis of ``x`` for a layer built with ``num_features``
    channels (None when it has one scalar parameter), checking the count matches."""
    if num_features is None:
        return None
    pos = channel_axis(x, axis, owner)
    if x.shape[pos] != num_features:
        raise ValueError(
            f"flaxact.{owner}: argument 'inputs' has {x.shape[pos]} channel(s) along "
            f"axis {axis} (shape {x.shape}); this layer was built with "
            f"num_features={num_features}"
        )
    return pos


def softplus_inverse(value: float) -> float:
    """The ``a`` with ``softplus(a) = value`` (``value > 0``), as
    ``value + log(-expm1(-value))``, which holds for large values too."""
    value = float(value)
    return value + math.log(-math.expm1(-value))


# --------------------------------------------------------------------------- docstrings
#: Entries of the arguments several families have, for both APIs or one; ``{params}``
#: stands for the family's parameter names.
_SHARED_PARAMETERS = r"""
dtype : dtype or None
    Dtype of the computation and the output. ``None``: the input's dtype (float32
    for integer or bool input).
param_dtype : dtype
    Dtype of {params} (a floating type).
"""
_API_PARAMETERS = {
    "linen": r"""
axis : int or None
    The channel axis of the input, with one {params} per channel, of shape
    ``(inputs.shape[axis],)``: ``-1`` for channels-last data such as ``nn.Conv``
    output, ``1`` for PyTorch's channels-first layout; negative values count from the
    end. ``None``: a single {params} of shape ``()``.
parent, name : optional
    Set by Flax: the enclosing module and this module's name in the parameter tree.
""",
    "nnx": r"""
num_features : int or None
    The number of channels: {params} has shape ``(num_features,)``, one value per
    channel along ``axis``, and the input's size along ``axis`` must equal it. (NNX
    creates parameters in ``__init__``, before any input is seen, hence the count, as
    in :class:`flax.nnx.BatchNorm`; the linen module reads it from the input.)
    ``None``: a single {params} of shape ``()`` for every element.
axis : int
    The channel axis of the input when ``num_features`` is set: ``-1`` for
    channels-last data such as ``nnx.Conv`` output, ``1`` for PyTorch's channels-first
    layout; negative values count from the end. Unused otherwise.
rngs : flax.nnx.Rngs or None
    Accepted for a uniform constructor; the initialisation is deterministic.
""",
}
_TITLE = {"linen": "linen", "nnx": "NNX"}
_SECTION = re.compile(r"^(\w[\w ]*)\n-+\n", re.MULTILINE)


def _entries(section: str) -> dict[str, str]:
    """The entries of a numpydoc Parameters section by argument name (``parent, name``
    under both names)."""
    entries = re.split(r"\n(?=\S)", section.strip())
    return {n: e.strip() for e in entries for n in e.split(" : ")[0].split(", ")}


def _default_text(value: Any) -> str:
    return value.__name__ if isinstance(value, type) else repr(value)


# --------------------------------------------------------------------------- families
@dataclasses.dataclass(frozen=True)
class Family:
    """A module family: what its linen and NNX classes share.

    Attributes
    ----------
    name : str
        The class name in both APIs.
    doc : str
        The class docstring of both APIs without their examples. Its Parameters section
        lists the family's own arguments, without defaults; :meth:`docstring` lists a
        class's arguments in its signature's order, adds the defaults from it and the
        entries of shared arguments, the other API's class to See Also and the API's
        examples.
    examples : mapping
        The Examples section of each API (``"linen"``, ``"nnx"``).
    function : callable
        ``function(module, x, **parts)``: the output for the prepared input ``x``, given
        the module (for its fixed arguments) and its learned parts by name (parameters,
        laid along the channel axis; the feed-forward block's projections).
    params : mapping
        The learned parameters: name -> their initial value from the arguments.
    per_channel : bool
        The parameters have one value per channel along ``axis`` (when set).
    check : callable or None
        Checks across arguments, ``check(owner, args)``, after :func:`check_arguments`.
    """

    name: str
    doc: str
    examples: Mapping[str, str]
    function: Callable[..., jax.Array]
    params: Mapping[str, Callable[[Mapping[str, Any]], float]] = dataclasses.field(
        default_factory=dict
    )
    per_channel: bool = False
    check: Callable[[str, Mapping[str, Any]], None] | None = None

    def check_arguments(self, owner: str, args: Mapping[str, Any]) -> None:
        """Raise if the module's arguments are wrong, naming the module and the argument."""
        check_arguments(owner, args)
        if self.check is not None:
            self.check(owner, args)

    def initial(self, name: str, args: Mapping[str, Any], shape: tuple[int, ...]) -> jax.Array:
        """The initial value of the parameter ``name``, of ``shape`` and ``param_dtype``."""
        return jnp.full(shape, self.params[name](args), args["param_dtype"])

    def compute(
        self, module: Any, x: jax.Array, axis: int | None = None, **parts: Any
    ) -> jax.Array:
        """The output for the prepared input ``x``; the parameters among ``parts`` are laid
        along ``axis`` (normalised; None for parameters of shape ``()``)."""
        if axis is not None:
            for name in self.params:
                parts[name] = jnp.reshape(parts[name], (-1,) + (1,) * (x.ndim - 1 - axis))
        return self.function(module, x, **parts)

    def docstring(self, api: str, signature: inspect.Signature) -> str:
        """The class docstring of the ``api`` module (``"linen"`` or ``"nnx"``) whose
        constructor has ``signature``."""
        head, *rest = _SECTION.split(inspect.cleandoc(self.doc))
        sections = {title: body.strip() for title, body in zip(rest[::2], rest[1::2], strict=True)}
        params = " and ".join(f"``{p}``" for p in self.params)
        shared = _entries((_SHARED_PARAMETERS + _API_PARAMETERS[api]).replace("{params}", params))
        available = {**shared, **_entries(sections["Parameters"])}
        entries: dict[str, str] = {}  # entry as written -> as shown
        for name, param in signature.parameters.items():
            entry = available[name]
            first, _, description = entry.partition("\n")
            stated = "default" in first or "optional" in first
            if param.default is not param.empty and not stated:
                first += f", default {_default_text(param.default)}"
            entries.setdefault(entry, f"{first}\n{description}")  # once for "parent, name"
        sections["Parameters"] = "\n".join(entries.values())
        other = "nnx" if api == "linen" else "linen"
        sections["See Also"] += f"\nflaxact.{other}.{self.name} : The Flax {_TITLE[other]} version."
        sections["Examples"] = inspect.cleandoc(self.examples[api])
        body = "".join(
            f"\n\n{title}\n{'-' * len(title)}\n{text}" for title, text in sections.items()
        )
        return f"{head.strip()}{body}\n"  # closing quotes on a line of their own


def _xielu(module: Any, x: jax.Array, alpha_p: jax.Array, alpha_n: jax.Array) -> jax.Array:
    """xIELU from the parameters, which hold ``a_p`` and ``a_n`` (the softplus inverses),
    cast to the computation's dtype (float32 for bfloat16/float16 input, whose result is
    rounded once)."""
    xw = wide(x)
    a_p, a_n = (jnp.asarray(a, xw.dtype) for a in (alpha_p, alpha_n))
    beta = module.beta
    return xielu_traced(xw, softplus(a_p), beta + softplus(a_n), beta, module.eps).astype(x.dtype)


def _snake(module: Any, x: jax.Array, alpha: jax.Array) -> jax.Array:
    """snake, computed as :func:`_xielu` is."""
    xw = wide(x)
    return snake_traced(xw, jnp.asarray(alpha, xw.dtype)).astype(x.dtype)


def _gated(module: Any, x: jax.Array, W: Callable, V: Callable, W2: Callable) -> jax.Array:
    """The feed-forward block from its projections, the hidden layer in ``x``'s dtype."""
    return W2((module.activation(W(x)) * V(x)).astype(x.dtype))


PRELU = Family(
    name="PReLU",
    params={"negative_slope": lambda args: args["negative_slope_init"]},
    per_channel=True,
    # the slope is cast to x's dtype, or to float32 for bfloat16/float16 input, whose
    # product is then rounded once to the input's dtype (see flaxact.leaky_relu)
    function=lambda module, x, negative_slope: leaky_relu(x, negative_slope),
    doc=r"""
    Parametric rectified linear unit: leaky ReLU with a learned negative slope.

    .. math::

        \mathrm{PReLU}(x) = \begin{cases} x, & x \ge 0 \\ a\,x, & x < 0 \end{cases}

    where :math:`a` is the parameter ``negative_slope``: one scalar shared by every
    element (the default, as :class:`flax.linen.PReLU` and :class:`flax.nnx.PReLU`), or
    one value per channel along ``axis``.

    Parameters
    ----------
    negative_slope_init : float
        Initial value of every slope.
    promote_dtype : callable or None
        With ``dtype`` set, ``promote_dtype((inputs, negative_slope), dtype=dtype)``
        gives the input and the slope the module computes with, as in
        :class:`flax.nnx.PReLU` (Flax's default, ``flax.nnx.nn.dtypes.promote_dtype``,
        casts both to ``dtype``). ``None``: the input cast to ``dtype``, and a bfloat16
        or float16 product formed with the float32 slope and rounded once.
    negative_slope_metadata : mapping or None
        Metadata of the ``negative_slope`` parameter (``nnx.Param(value, **metadata)``),
        such as its sharding, as in :class:`flax.nnx.PReLU`.

    See Also
    --------
    LeakyReLU : The same function with a fixed slope.
    flaxact.leaky_relu : The function it computes.

    Notes
    -----
    The slope is cast to the input's dtype, as in Flax. Integer and bool input is first
    promoted to float (Flax casts the slope to the integer dtype, so ``0.01`` becomes
    ``0`` and ``PReLU`` silently returns ``max(x, 0)``). bfloat16 and float16 input
    is multiplied by the float32 slope in float32 and rounded once, so the slope is not
    first rounded to the narrow type. The gradient at :math:`x = 0` is 1 with respect
    to ``x`` and 0 with respect to :math:`a`, as for :func:`flaxact.leaky_relu`.
    ``flaxact.nnx.PReLU(num_features=C, axis=a)`` equals ``flaxact.linen.PReLU(axis=a)``
    on input with ``C`` channels.

    Frameworks differ in the initial slope and in how many slopes there are:
    Flax initialises to 0.01 with one shared slope; PyTorch's ``nn.PReLU`` to 0.25,
    with ``num_parameters`` slopes along dimension 1 (channels-first); Keras'
    ``PReLU`` layer to zeros (``alpha_initializer``), with one slope per element
    unless ``shared_axes`` names axes to share over. Per-channel slopes along axis 1
    here match PyTorch's layout, along axis -1 Keras' with ``shared_axes`` = every
    axis but the last.

    References
    ----------
    .. [1] K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers:
       surpassing human-level performance on ImageNet classification", ICCV 2015.
    """,
    examples={
        "linen": """
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
        """,
        "nnx": """
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
        """,
    },
)

LEAKY_RELU = Family(
    name="LeakyReLU",
    function=lambda module, x: leaky_relu(x, module.negative_slope),
    doc=r"""
    Leaky rectified linear unit with a fixed negative slope.

    .. math::

        \mathrm{LeakyReLU}(x) = \begin{cases} x, & x \ge 0 \\ \alpha\,x, & x < 0 \end{cases}

    The module has no parameters, so the linen module, like the NNX one, can be called
    directly, without ``init`` and ``apply``: ``LeakyReLU()(x)``. Inside another
    module it behaves like any submodule.

    Parameters
    ----------
    negative_slope : float
        The slope :math:`\alpha` for negative input; a finite real number. It is an
        attribute of the module, not a parameter, so it is not trained.

    See Also
    --------
    PReLU : The same function with a learned slope.
    flaxact.leaky_relu : The function it computes.

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
    """,
    examples={
        "linen": """
        >>> import jax.numpy as jnp
        >>> import flaxact
        >>> flaxact.LeakyReLU(negative_slope=0.25)(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.5,  0. ,  2. ], dtype=float32)
        """,
        "nnx": """
        >>> import jax.numpy as jnp
        >>> import flaxact.nnx
        >>> flaxact.nnx.LeakyReLU(0.25)(jnp.array([-2.0, 0.0, 2.0]))
        Array([-0.5,  0. ,  2. ], dtype=float32)
        """,
    },
)

GATED_FEED_FORWARD = Family(
    name="GatedFeedForward",
    function=_gated,
    doc=r"""
    Gated feed-forward block of a transformer (the GLU family of Shazeer, 2020).

    .. math::

        \mathrm{FFN}(x) = \bigl(f(x W) \otimes x V\bigr)\, W_2

    (plus biases when ``use_bias``), where :math:`f` is ``activation`` and
    :math:`\otimes` the element-wise product. The gate activation names the variant:
    :func:`flaxact.sigmoid` gives GLU, :func:`flaxact.silu` SwiGLU (the default),
    :func:`flaxact.gelu` GeGLU and :func:`flaxact.relu` ReGLU.

    The three projections are submodules named ``W`` (input → hidden, through the
    activation), ``V`` (input → hidden, linear) and ``W2`` (hidden → output):
    :class:`flax.linen.Dense` in linen, so ``params["W"]["kernel"]`` is the paper's
    :math:`W`, and :class:`flax.nnx.Linear` in NNX (``block.W.kernel``), with the
    same parameter layout.

    Parameters
    ----------
    in_features : int
        Width of the input's last axis.
    hidden_features : int
        Width of the hidden layer (the paper's :math:`d_{ff}`); a positive int.
    out_features : int or None
        Width of the output; ``None`` keeps the input's width (its last dimension).
    activation : callable, default flaxact.silu
        The gate activation :math:`f`, applied element-wise to :math:`xW`.
    use_bias : bool
        Add a bias after each projection (the paper has none).
    dtype : dtype or None
        Dtype of the computation and the output; the parameters are cast to it.
        ``None``: the input's dtype (float32 for integer or bool input).
    param_dtype : dtype
        Dtype of the parameters.
    kernel_init : initializer, default lecun_normal()
        Initializer of the three kernels (Flax ``Dense``'s default).
    bias_init : initializer, default zeros
        Initializer of the biases.
    rngs : flax.nnx.Rngs
        Random streams for the kernel initialisers.

    See Also
    --------
    flaxact.swiglu : The gate on a split axis, without projections.
    flaxact.glu : The sigmoid-gated split.

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
    """,
    examples={
        "linen": """
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
        """,
        "nnx": """
        >>> import jax.numpy as jnp
        >>> from flax import nnx
        >>> import flaxact
        >>> import flaxact.nnx
        >>> block = flaxact.nnx.GatedFeedForward(2, 3, activation=flaxact.relu,
        ...                                      kernel_init=nnx.initializers.ones,
        ...                                      rngs=nnx.Rngs(0))
        >>> block.W.kernel.shape, block.V.kernel.shape, block.W2.kernel.shape
        ((2, 3), (2, 3), (3, 2))

        Each hidden unit is ``relu(1 + 2) * (1 + 2) = 9``, and each output ``3 * 9``:

        >>> block(jnp.array([[1.0, 2.0]]))
        Array([[27., 27.]], dtype=float32)
        """,
    },
)

XIELU = Family(
    name="XIELU",
    params={
        "alpha_p": lambda args: softplus_inverse(args["alpha_p_init"]),
        "alpha_n": lambda args: softplus_inverse(args["alpha_n_init"] - args["beta"]),
    },
    function=_xielu,
    check=check_xielu,
    doc=r"""
    The xIELU activation with learned :math:`\alpha_p` and :math:`\alpha_n` (Apertus).

    .. math::

        \mathrm{XIELU}(x) = \begin{cases} \alpha_p x^2 + \beta x, & x > 0 \\
        \alpha_n \left(e^{\min(x, \epsilon)} - 1 - x\right) + \beta x, & x \le 0
        \end{cases}, \quad \alpha_p = \mathrm{softplus}(a_p), \
        \alpha_n = \beta + \mathrm{softplus}(a_n)

    The parameters ``alpha_p`` and ``alpha_n`` hold :math:`a_p` and :math:`a_n`, the
    softplus-inverse values, as transformers' ``XIELUActivation`` names and stores them:
    :math:`\alpha_p > 0` and :math:`\alpha_n > \beta` whatever the training does.
    :math:`\beta` and :math:`\epsilon` are fixed attributes, not trained.

    Parameters
    ----------
    alpha_p_init : float
        Initial :math:`\alpha_p` (> 0).
    alpha_n_init : float
        Initial :math:`\alpha_n` (> ``beta``).
    beta : float
        The fixed slope at 0, :math:`\beta`.
    eps : float
        The fixed clamp of the exponential, :math:`\epsilon \le 0`.

    See Also
    --------
    flaxact.xielu : The function, with the parameters given directly.

    Notes
    -----
    Each parameter is a scalar (transformers' has shape ``(1,)``: reshape when loading
    its checkpoints), of ``param_dtype`` float32 by default as in other Flax modules
    (transformers' module defaults to bfloat16). The parameters are cast to the
    computation's dtype, float32 for bfloat16 and float16 input, whose result is
    rounded once. Gradients reach both through the softplus. With learned (traced)
    parameters the function takes its general form: see :func:`flaxact.xielu` for its
    accuracy near the root of the negative branch. Given the same parameter values,
    the linen and NNX modules return the same output.

    References
    ----------
    .. [1] A. H. Huang and I. Schlag, "Deriving activation functions using integration",
       arXiv:2411.13010, 2024.
    """,
    examples={
        "linen": """
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
        """,
        "nnx": """
        >>> import jax.numpy as jnp
        >>> import numpy as np
        >>> import flaxact
        >>> import flaxact.nnx
        >>> layer = flaxact.nnx.XIELU()
        >>> round(float(layer.alpha_p[...]), 4), round(float(layer.alpha_n[...]), 4)
        (0.2034, -1.0502)
        >>> round(float(flaxact.softplus(layer.alpha_p[...])), 6)  # alpha_p starts at 0.8
        0.8
        >>> np.asarray(layer(jnp.array([-2.0, -1.0, 1.0, 2.0]))).round(4)
        array([-0.0917, -0.2057,  1.3   ,  4.2   ], dtype=float32)
        """,
    },
)

SNAKE = Family(
    name="Snake",
    params={"alpha": lambda args: args["alpha_init"]},
    per_channel=True,
    function=_snake,
    doc=r"""
    Snake with a learned frequency per channel, as in BigVGAN and DAC.

    .. math::

        \mathrm{Snake}(x) = x + \frac{\sin^2(\alpha x)}{\alpha}

    where :math:`\alpha` is the parameter ``alpha``: one value per channel along
    ``axis`` (the last axis by default), or one scalar for the whole input.

    Parameters
    ----------
    alpha_init : float
        Initial value of every :math:`\alpha` (0 is the limit, the identity).

    See Also
    --------
    flaxact.snake : The function.

    Notes
    -----
    BigVGAN's ``Snake(in_features)`` and DAC's ``Snake1d(channels)`` hold one
    :math:`\alpha` per channel of ``(B, C, T)`` input, initialised to 1: ``axis=1``
    here, or the default ``axis=-1`` for Flax's channels-last layout.
    They divide by :math:`\alpha + 10^{-9}`; here :math:`\alpha = 0` gives the limit,
    with the gradient :math:`x^2` for :math:`\alpha`. (BigVGAN's ``alpha_logscale``
    option, :math:`\alpha = e^a`, and its ``SnakeBeta`` variant are not provided.) The
    parameter is cast to the computation's dtype, float32 for bfloat16 and float16
    input, whose result is rounded once. ``flaxact.nnx.Snake(C, axis=a)`` equals
    ``flaxact.linen.Snake(axis=a)`` on input with ``C`` channels.

    References
    ----------
    .. [1] Liu Ziyin, T. Hartwig and M. Ueda, "Neural networks fail to learn periodic
       functions and how to fix it", NeurIPS 2020.
    """,
    examples={
        "linen": """
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
        """,
        "nnx": """
        >>> import jax.numpy as jnp
        >>> import numpy as np
        >>> import flaxact.nnx
        >>> layer = flaxact.nnx.Snake(3, alpha_init=0.5)  # 3 channels
        >>> layer.alpha[...]
        Array([0.5, 0.5, 0.5], dtype=float32)
        >>> np.asarray(layer(jnp.array([[-2.0, 0.0, 2.0], [1.0, -1.0, 0.5]]))).round(4)
        array([[-0.5839,  0.    ,  3.4161],
               [ 1.4597, -0.5403,  0.6224]], dtype=float32)
        """,
    },
)
