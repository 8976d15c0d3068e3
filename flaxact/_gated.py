"""Gated linear units: split an axis in two halves and gate the first with the second.

``glu(x) = a * act(b)`` where ``a`` is the first half of ``x`` along ``axis`` (the linear
part) and ``b`` the second half (the gate, which goes through the activation). The
order is jax.nn's and PyTorch's ``F.glu``'s; the GLU-variant names follow Shazeer (2020):
sigmoid gives GLU, SiLU gives SwiGLU, GELU gives GeGLU and ReLU gives ReGLU. These
functions act on an already projected input; the two-projection feed-forward block
lives in :mod:`flaxact.linen` and :mod:`flaxact.nnx`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from . import _kernels as K
from ._core import check_axis_even, float_input, param_value, rounded, wide
from ._rectifiers import relu
from ._registry import activation
from ._sigmoidal import sigmoid
from ._smooth import GELU_GATES, _swish_impl, gelu_form

__all__ = ["clamped_swiglu", "geglu", "glu", "reglu", "swiglu"]

_INF = float("inf")

_SPLIT = r"\quad [a, b] = \mathrm{split}(x)"


def _gated(x: ArrayLike, axis: int, gate: Callable[[jax.Array], Any], name: str) -> jax.Array:
    """``a * gate(b)`` for the two halves of ``x`` along ``axis``, computed wide, rounded once."""
    x = float_input(x, name)
    axis = check_axis_even(x, axis, name)
    a, b = jnp.split(x, 2, axis=axis)
    return rounded(lambda u, v: u * gate(v), a, b)


@activation(
    family="gated",
    formula=r"\mathrm{glu}(x) = a \odot \sigma(b)," + _SPLIT,
    derivative=r"\frac{\partial\, \mathrm{glu}}{\partial a} = \sigma(b), \quad "
    r"\frac{\partial\, \mathrm{glu}}{\partial b} = a \odot \sigma(b)\,(1 - \sigma(b))",
    output_range=(-_INF, _INF),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=None,
    elementwise=False,
    jax_nn="glu",
    ulp_f32=3.0,
)
def glu(
    x: ArrayLike, axis: int = -1, activation: Callable[[jax.Array], Any] = sigmoid
) -> jax.Array:
    """Gated linear unit: the first half of an axis times the activated second half.

    Parameters
    ----------
    x : array_like
        Input; its size along ``axis`` must be even. Integer and bool input is
        promoted to float.
    axis : int, default -1
        The axis split into the linear half ``a`` (first) and the gate ``b``
        (second).
    activation : callable, default sigmoid
        The gate's activation. :func:`sigmoid` gives the original GLU; :func:`swiglu`,
        :func:`geglu` and :func:`reglu` are this function with ``silu``, ``gelu`` and
        ``relu``. For bfloat16/float16 input it receives the gate in float32.

    Returns
    -------
    jax.Array
        ``a * activation(b)``: the shape of ``x`` with ``axis`` halved, and the float
        dtype of ``x``.

    Raises
    ------
    ValueError
        If the size of ``axis`` is odd or ``axis`` is out of range (jax.nn raises a bare
        ``AssertionError`` for an odd size).
    TypeError
        If ``activation`` is not callable, or ``x`` is complex.

    See Also
    --------
    swiglu, geglu, reglu : The GLU variants of Shazeer (2020).
    sigmoid : The default gate.

    Notes
    -----
    The first half ``a`` is the linear part and the second half ``b`` goes through the
    activation, as in jax.nn.glu, PyTorch's ``F.glu`` and Keras' ``glu``. Some SwiGLU
    implementations (Megatron-LM's fused SwiGLU, vLLM's ``SiluAndMul``, xFormers' fused
    SwiGLU and many LLaMA-style ports of a packed projection) apply the activation to the
    *first* half instead, ``act(x1) * x2``; to use weights trained that way, swap the
    halves first, ``jnp.roll(x, x.shape[axis] // 2, axis)``, or reorder the projection's
    output columns once when loading them.

    Half-precision input is computed in float32 (the gate's activation included) and
    rounded once. The gradient with respect to ``a`` is :math:`\\sigma(b)` and with
    respect to ``b`` is :math:`a\\,\\sigma'(b)`; both are finite for all finite input.

    References
    ----------
    .. [1] Y. N. Dauphin, A. Fan, M. Auli and D. Grangier, "Language modeling with
       gated convolutional networks", ICML 2017.
    .. [2] N. Shazeer, "GLU variants improve Transformer", arXiv:2002.05202, 2020.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> flaxact.glu([2.0, -4.0, 0.0, 0.0])
    Array([ 1., -2.], dtype=float32)
    >>> flaxact.glu(jnp.array([[3.0], [0.0]]), axis=0)
    Array([[1.5]], dtype=float32)
    >>> flaxact.glu([2.0, -4.0, 1.0, 3.0], activation=flaxact.relu)
    Array([  2., -12.], dtype=float32)
    """
    if not callable(activation):
        raise TypeError(
            "flaxact.glu: argument 'activation' must be callable (e.g. flaxact.sigmoid); "
            f"got {type(activation).__name__}"
        )
    return _gated(x, axis, activation, "glu")


@activation(
    family="gated",
    formula=r"\mathrm{swiglu}(x) = a \odot \mathrm{silu}(b) = a \odot b\,\sigma(b)," + _SPLIT,
    derivative=r"\frac{\partial\, \mathrm{swiglu}}{\partial a} = b\,\sigma(b), \quad "
    r"\frac{\partial\, \mathrm{swiglu}}{\partial b} = a \odot \sigma(b)\,\big(1 + b\,(1 - "
    r"\sigma(b))\big)",
    output_range=(-_INF, _INF),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=None,
    elementwise=False,
    ulp_f32=3.0,
)
def swiglu(x: ArrayLike, axis: int = -1) -> jax.Array:
    """SwiGLU: the first half of an axis times SiLU (swish) of the second half.

    Parameters
    ----------
    x : array_like
        Input; its size along ``axis`` must be even. Integer and bool input is
        promoted to float.
    axis : int, default -1
        The axis split into the linear half ``a`` (first) and the gate ``b`` (second).

    Returns
    -------
    jax.Array
        ``a * silu(b)``, with ``axis`` halved and the float dtype of ``x``.

    Raises
    ------
    ValueError
        If the size of ``axis`` is odd or ``axis`` is out of range.

    See Also
    --------
    glu : The same with any gate activation (``glu(x, axis, silu)``).
    silu : The gate's activation.
    flaxact.linen.GatedFeedForward : The two-projection block of Shazeer (2020).

    Notes
    -----
    The first half ``a`` is the linear part and the second half ``b`` goes through the
    activation, as in jax.nn.glu, PyTorch's ``F.glu`` and Keras' ``glu``. Some SwiGLU
    implementations (Megatron-LM's fused SwiGLU, vLLM's ``SiluAndMul``, xFormers' fused
    SwiGLU and many LLaMA-style ports of a packed projection) apply the activation to the
    *first* half instead, ``act(x1) * x2``; to use weights trained that way, swap the
    halves first, ``jnp.roll(x, x.shape[axis] // 2, axis)``, or reorder the projection's
    output columns once when loading them.

    Half-precision input is computed in float32 and rounded once. The SiLU gate has
    ``flaxact.silu``'s value and finite gradients (also at :math:`\\pm\\infty`). Under
    differentiation its value and slope are formed from :math:`\\sigma(b)` alone, as in
    ``a * jax.nn.silu(b)``: the product needs the gate's value twice, and XLA then keeps
    one array between the forward and backward passes instead of two, at the cost of
    the composition's accuracy in the gradient.

    References
    ----------
    .. [1] N. Shazeer, "GLU variants improve Transformer", arXiv:2002.05202, 2020.
    .. [2] P. Ramachandran, B. Zoph and Q. V. Le, "Searching for activation
       functions", arXiv:1710.05941, 2017.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> flaxact.swiglu([3.0, 5.0, 0.0, 0.0])
    Array([0., 0.], dtype=float32)
    >>> [round(v, 4) for v in flaxact.swiglu([1.0, 2.0, 1.0, -1.0]).tolist()]
    [0.7311, -0.5379]

    A projection packed gate-first (Megatron-LM, vLLM: ``silu(x1) * x2``), with its
    halves swapped:

    >>> import jax
    >>> x = jnp.array([1.0, -1.0, 2.0, 3.0])  # [gate | linear]
    >>> gate_first = jax.nn.silu(x[:2]) * x[2:]
    >>> bool(jnp.allclose(flaxact.swiglu(jnp.roll(x, 2)), gate_first))
    True
    """
    return _gated(x, axis, _SWIGLU_GATE, "swiglu")


@activation(
    family="gated",
    formula=r"\mathrm{geglu}(x) = a \odot \mathrm{gelu}(b) = a \odot b\,\Phi(b)," + _SPLIT,
    derivative=r"\frac{\partial\, \mathrm{geglu}}{\partial a} = b\,\Phi(b), \quad "
    r"\frac{\partial\, \mathrm{geglu}}{\partial b} = a \odot \big(\Phi(b) + b\,\varphi(b)\big)",
    output_range=(-_INF, _INF),
    monotonic=None,
    smoothness="Cinf",
    zero_centered=None,
    elementwise=False,
    ulp_f32={"": 11.5, "approximate=False": 11.5, "approximate=True": 7.8},
    example_params={"approximate": (False, True)},
)
def geglu(x: ArrayLike, axis: int = -1, approximate: Any = False) -> jax.Array:
    """GeGLU: the first half of an axis times GELU of the second half.

    Parameters
    ----------
    x : array_like
        Input; its size along ``axis`` must be even. Integer and bool input is
        promoted to float.
    axis : int, default -1
        The axis split into the linear half ``a`` (first) and the gate ``b`` (second).
    approximate : bool or str, default False
        Which GELU gates: passed to :func:`gelu` unchanged (``False`` is the exact
        :math:`b\\,\\Phi(b)` with the normal CDF :math:`\\Phi`; ``True`` the tanh form).

    Returns
    -------
    jax.Array
        ``a * gelu(b, approximate)``, with ``axis`` halved and the float dtype of ``x``.

    Raises
    ------
    ValueError
        If the size of ``axis`` is odd or ``axis`` is out of range.

    See Also
    --------
    glu : The same with any gate activation.
    gelu : The gate's activation and its forms.

    Notes
    -----
    The first half ``a`` is the linear part and the second half ``b`` goes through the
    activation, as in jax.nn.glu, PyTorch's ``F.glu`` and Keras' ``glu``. Some SwiGLU
    implementations (Megatron-LM's fused SwiGLU, vLLM's ``SiluAndMul``, xFormers' fused
    SwiGLU and many LLaMA-style ports of a packed projection) apply the activation to the
    *first* half instead, ``act(x1) * x2``; to use weights trained that way, swap the
    halves first, ``jnp.roll(x, x.shape[axis] // 2, axis)``, or reorder the projection's
    output columns once when loading them.

    **Default form.** ``geglu`` defaults to the exact (erf) GELU, as PyTorch's
    ``F.gelu`` and diffusers' GEGLU do, whereas ``flaxact.gelu`` and ``jax.nn.gelu``
    default to the tanh approximation. Shazeer (2020) defines GeGLU with GELU by
    reference to Hendrycks and Gimpel without fixing the form; T5 v1.1 checkpoints
    (``gated-gelu`` in Hugging Face) were trained with the tanh form, so pass
    ``approximate=True`` to reproduce them. Half-precision input is computed in
    float32 and rounded once. The float32 error is that of the gate plus the
    rounding of the product.

    Differentiated, the tanh and sigmoid forms build the gate's value and slope from
    its logistic alone, as :func:`swiglu` does and for the same reason (one array kept
    for the backward pass, not two). The tanh form takes that logistic as
    :math:`(1 + \tanh u)/2`, as ``jax.nn.gelu`` does, for its value too, since XLA's
    tanh is the cheaper on the CPU (the division form was the slower with jax 0.12): its
    gate has jax.nn's accuracy, an absolute error up
    to about :math:`2^{-23} |b|`, and is 0 below :math:`b \approx -4.87`, as jax.nn's
    is. The erf form differentiates as :func:`gelu`.

    References
    ----------
    .. [1] N. Shazeer, "GLU variants improve Transformer", arXiv:2002.05202, 2020.
    .. [2] D. Hendrycks and K. Gimpel, "Gaussian error linear units (GELUs)",
       arXiv:1606.08415, 2016.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.geglu([2.0, 5.0, 0.0, 0.0])
    Array([0., 0.], dtype=float32)
    >>> [round(v, 4) for v in flaxact.geglu([1.0, 2.0, 1.0, -1.0]).tolist()]
    [0.8413, -0.3173]
    """
    return _gated(x, axis, GELU_GATES[gelu_form(approximate, "geglu")], "geglu")


@activation(
    family="gated",
    formula=r"\mathrm{reglu}(x) = a \odot \max(b, 0)," + _SPLIT,
    derivative=r"\frac{\partial\, \mathrm{reglu}}{\partial a} = \max(b, 0), \quad "
    r"\frac{\partial\, \mathrm{reglu}}{\partial b} = a \odot [b > 0]",
    output_range=(-_INF, _INF),
    monotonic=None,
    smoothness="C0",
    zero_centered=None,
    elementwise=False,
    ulp_f32=0.5,
)
def reglu(x: ArrayLike, axis: int = -1) -> jax.Array:
    """ReGLU: the first half of an axis times ReLU of the second half.

    Parameters
    ----------
    x : array_like
        Input; its size along ``axis`` must be even. Integer and bool input is
        promoted to float.
    axis : int, default -1
        The axis split into the linear half ``a`` (first) and the gate ``b`` (second).

    Returns
    -------
    jax.Array
        ``a * relu(b)``, with ``axis`` halved and the float dtype of ``x``.

    Raises
    ------
    ValueError
        If the size of ``axis`` is odd or ``axis`` is out of range.

    See Also
    --------
    glu : The same with any gate activation.
    relu : The gate's activation.

    Notes
    -----
    The first half ``a`` is the linear part and the second half ``b`` goes through the
    activation, as in jax.nn.glu, PyTorch's ``F.glu`` and Keras' ``glu``. Some SwiGLU
    implementations (Megatron-LM's fused SwiGLU, vLLM's ``SiluAndMul``, xFormers' fused
    SwiGLU and many LLaMA-style ports of a packed projection) apply the activation to the
    *first* half instead, ``act(x1) * x2``; to use weights trained that way, swap the
    halves first, ``jnp.roll(x, x.shape[axis] // 2, axis)``, or reorder the projection's
    output columns once when loading them.

    The gate has a kink at :math:`b = 0`; the gradient with respect to ``b`` there is
    0 (``relu'(0) = 0``, as in jax.nn). Exact up to one rounding of the product;
    half-precision input is computed in float32 and rounded once.

    References
    ----------
    .. [1] N. Shazeer, "GLU variants improve Transformer", arXiv:2002.05202, 2020.

    Examples
    --------
    >>> import jax
    >>> import flaxact
    >>> flaxact.reglu([2.0, 3.0, 1.5, -1.0])
    Array([3., 0.], dtype=float32)
    >>> jax.grad(lambda x: flaxact.reglu(x).sum())(jax.numpy.array([2.0, 0.0]))
    Array([0., 0.], dtype=float32)
    """
    return _gated(x, axis, relu, "reglu")


#: silu with the derivative rule of a gate (one array kept between kernels, see the kernel)
_SWIGLU_GATE = jax.jit(K.logistic_gate(lambda b: b, lambda b: 1.0))


def _linear_half(a: jax.Array, limit: Any) -> jax.Array:
    """``a`` clamped to ``[-limit, limit]``, plus 1: clamped_swiglu's linear half.

    where, not jnp.clip / minimum: the gradient passes at ``a == ±limit`` (and the gate's
    at ``b == limit``), as with PyTorch's clamp in the reference implementation; min's is
    1/2 there.
    """
    return jnp.where(a > limit, limit, jnp.where(a < -limit, -limit, a)).astype(a.dtype) + 1


def _clamped_swiglu(a: jax.Array, b: jax.Array, alpha: Any, limit: Any) -> jax.Array:
    b_c = jnp.where(b > limit, limit, b).astype(b.dtype)  # see _linear_half
    return _linear_half(a, limit) * _swish_impl(b_c, alpha, precise=False, name="clamped_swiglu")


@functools.partial(jax.jit, static_argnums=(2, 3))
def _clamped_swiglu_const(a: jax.Array, b: jax.Array, alpha: float, limit: float) -> jax.Array:
    """As :func:`_clamped_swiglu` for Python floats ``alpha`` and ``limit`` (constants of
    the jitted kernel, as the other parameters are), with the gate's clamp inside the gate
    kernel (its derivative rule keeps one array, see the kernel)."""
    return _linear_half(a, limit) * K.logistic_gate(
        lambda v: alpha * v, lambda v: alpha, limit=limit
    )(b)


@activation(
    family="gated",
    formula=r"\begin{aligned} \mathrm{clamped\_swiglu}(x) &= (\mathrm{clip}(a, -\ell, \ell) + 1) "
    r"\odot b_c\,\sigma(\alpha b_c), \\ b_c &= \min(b, \ell)," + _SPLIT + r" \end{aligned}",
    derivative=r"\begin{aligned} \frac{\partial}{\partial a} &= b_c\,\sigma(\alpha b_c)\,"
    r"[|a| \le \ell], \\ \frac{\partial}{\partial b} &= (a_c + 1) \odot \big(\sigma(\alpha b) + "
    r"\alpha b\,\sigma(\alpha b)\,\sigma(-\alpha b)\big)\,[b \le \ell] \end{aligned}",
    output_range=(-_INF, _INF),
    monotonic=None,
    smoothness="C0",
    zero_centered=None,
    elementwise=False,
    # the gate's bound (gelu's sigmoid form, the same kernel) plus two roundings
    ulp_f32=13.5,
    example_params={"limit": (3.0, 7.0)},
)
def clamped_swiglu(
    x: ArrayLike, axis: int = -1, *, alpha: ArrayLike = 1.702, limit: ArrayLike = 7.0
) -> jax.Array:
    """SwiGLU as in GPT-OSS: both halves clamped, a swish gate, the linear half plus 1.

    The gate is a swish with :math:`\beta` = ``alpha``, clamped from above at
    ``limit``; the linear half is clamped to ``[-limit, limit]``.

    Parameters
    ----------
    x : array_like
        Input; its size along ``axis`` must be even. Integer and bool input is
        promoted to float.
    axis : int, default -1
        The axis split into the linear half ``a`` (first) and the gate ``b`` (second),
        as in :func:`swiglu`.
    alpha : array_like, default 1.702
        :math:`\\alpha`, the gate's swish slope (1.702 makes it the sigmoid form of GELU).
    limit : array_like, default 7.0
        :math:`\\ell > 0`: the gate is clamped to at most :math:`\\ell`, the linear half to
        :math:`[-\\ell, \\ell]`.

    Returns
    -------
    jax.Array
        ``(clip(a, -limit, limit) + 1) * b_c * sigmoid(alpha * b_c)`` with
        ``b_c = min(b, limit)``: the shape of ``x`` with ``axis`` halved, and the float
        dtype of ``x``.

    Raises
    ------
    ValueError
        If the size of ``axis`` is odd or out of range, a concrete ``limit`` is not
        positive, or a concrete ``alpha`` is not finite.

    See Also
    --------
    swiglu : The unclamped SwiGLU, ``a * silu(b)``.
    gelu : ``approximate="sigmoid"`` is the gate at ``alpha=1.702``, unclamped.

    Notes
    -----
    **Feeding GPT-OSS weights.** GPT-OSS's expert projection writes gate and linear
    columns interleaved (gate ``h[..., 0::2]``, linear ``h[..., 1::2]``), where this
    function, like :func:`swiglu`, takes the linear half first and the gate second.
    Reorder once,
    ``clamped_swiglu(jnp.concatenate([h[..., 1::2], h[..., 0::2]], axis=-1))``, or
    better, permute the projection's output columns when the checkpoint is loaded so
    that no gather runs at every step.

    The clamps bound the activations of a mixture-of-experts layer trained in low
    precision; gradients pass through a clamp at its bound (``b == limit``), as with
    PyTorch's ``clamp`` in the reference code, and are 0 beyond it, so the function
    is continuous but its gradient jumps there. Half-precision input is computed in
    float32 and rounded once. The gate has the value and finite gradients of
    :func:`flaxact.swish` with ``beta=alpha``; differentiated, it is built from its
    sigmoid alone, as in :func:`swiglu` (one array kept for the backward pass).

    References
    ----------
    .. [1] OpenAI, "gpt-oss-120b & gpt-oss-20b model card", arXiv:2508.10925, 2025.

    Examples
    --------
    >>> import flaxact
    >>> [round(v, 4) for v in flaxact.clamped_swiglu([1.0, 9.0, 2.0, 9.0]).tolist()]
    [3.8713, 55.9996]
    >>> [round(v, 4) for v in flaxact.clamped_swiglu([1.0, 9.0, 2.0, 9.0], limit=3.0).tolist()]
    [3.8713, 11.9277]
    """
    x = float_input(x, "clamped_swiglu")
    axis = check_axis_even(x, axis, "clamped_swiglu")
    alpha_v = param_value(alpha, "clamped_swiglu", "alpha", strict=False)
    limit_v = param_value(limit, "clamped_swiglu", "limit", strict=False)
    if alpha_v is not None and not math.isfinite(alpha_v):
        raise ValueError(
            f"flaxact.clamped_swiglu: argument 'alpha' must be finite; got {alpha_v!r}"
        )
    if limit_v is not None and not limit_v > 0:
        raise ValueError(f"flaxact.clamped_swiglu: argument 'limit' must be > 0; got {limit_v!r}")
    if alpha_v is not None and limit_v is not None:
        halves = jnp.split(x, 2, axis=axis)
        return rounded(lambda u, v: _clamped_swiglu_const(u, v, alpha_v, limit_v), *halves)
    a, b = jnp.split(wide(x), 2, axis=axis)
    al = alpha_v if alpha_v is not None else float_input(alpha, "clamped_swiglu", "alpha")
    li = limit_v if limit_v is not None else float_input(limit, "clamped_swiglu", "limit")
    li = li.astype(a.dtype) if isinstance(li, jax.Array) else li
    return _clamped_swiglu(a, b, al, li).astype(x.dtype)
