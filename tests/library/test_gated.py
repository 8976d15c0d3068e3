"""glu, swiglu, geglu and reglu against float64 references, jax.nn and the bad-input contract."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
from jax.test_util import check_grads
from scipy import special as sp

import flaxact

RNG = np.random.default_rng(7)
X = (RNG.standard_normal((64, 8)) * 4).astype(np.float32)
HALF_BITS = {jnp.dtype(jnp.bfloat16): 7, jnp.dtype(jnp.float16): 10}


def _gelu_exact(b):
    return b * 0.5 * sp.erfc(-b / np.sqrt(2.0))


def _gelu_tanh(b):
    return 0.5 * b * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (b + 0.044715 * b**3)))


#: float64 references: the gate's activation applied to the SECOND half.
GATES = {
    "glu": sp.expit,
    "swiglu": lambda b: b * sp.expit(b),
    "geglu": _gelu_exact,
    "reglu": lambda b: np.maximum(b, 0.0),
}
NAMES = sorted(GATES)


def ref(name, x, axis=-1, gate=None):
    x = np.asarray(x, np.float64)
    a, b = np.split(x, 2, axis=axis)
    return a * (gate or GATES[name])(b)


def fn(name):
    return flaxact.get(name).fn


def ulp_err(y, expected, bits):
    y = np.asarray(y, np.float64)
    expected = np.asarray(expected, np.float64)
    keep = np.abs(expected) > 1e-3
    _, e = np.frexp(expected[keep])
    return float(np.max(np.abs(y[keep] - expected[keep]) / np.ldexp(1.0, e - 1 - bits)))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("axis", [-1, 1, 0])
def test_values_match_float64_reference(name, axis):
    x = X if axis != 0 else X[:, :3]
    y = fn(name)(x, axis)
    expected = ref(name, x, axis)
    assert y.shape == expected.shape
    assert ulp_err(y, expected, 23) <= flaxact.get(name).ulp_bound()


def test_first_half_is_linear_second_half_is_gated():
    # a = [2, 3], b = [0, 100]: sigmoid(0) = 1/2 and sigmoid(100) = 1
    np.testing.assert_array_equal(flaxact.glu([2.0, 3.0, 0.0, 100.0]), [1.0, 3.0])
    # PyTorch's F.glu uses the same order: F.glu(tensor([2., 3., 0., 100.])) == [1., 3.]
    np.testing.assert_array_equal(flaxact.reglu([2.0, 3.0, -1.0, 1.0]), [0.0, 3.0])
    np.testing.assert_array_equal(flaxact.swiglu([5.0, 0.0]), [0.0])  # silu(0) = 0


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("axis", [-1, 0])
def test_gate_first_layouts_are_the_halves_swapped(name, axis):
    """The recipe the docstrings give for weights packed gate-first (Megatron-LM, vLLM:
    ``act(x1) * x2``): rolling ``x`` by half the axis gives the same result."""
    x1, x2 = np.split(X.astype(np.float64), 2, axis=axis)
    gate_first = GATES[name](x1) * x2
    swapped = jnp.roll(X, X.shape[axis] // 2, axis)
    np.testing.assert_allclose(fn(name)(swapped, axis), gate_first, rtol=1e-5, atol=1e-6)
    # without the swap the halves' roles differ: the recipe is needed
    assert not np.allclose(fn(name)(X, axis), gate_first, rtol=1e-3)


def test_glu_matches_jax_nn():
    np.testing.assert_allclose(flaxact.glu(X), jax.nn.glu(X), rtol=1e-6)
    np.testing.assert_allclose(flaxact.glu(X, 0), jax.nn.glu(X, 0), rtol=1e-6)


def test_variants_are_glu_with_their_gate():
    np.testing.assert_allclose(
        flaxact.swiglu(X), flaxact.glu(X, activation=flaxact.silu), rtol=1e-6
    )
    np.testing.assert_allclose(flaxact.reglu(X), flaxact.glu(X, activation=flaxact.relu), rtol=0)
    np.testing.assert_allclose(
        flaxact.geglu(X),
        flaxact.glu(X, activation=lambda b: flaxact.gelu(b, approximate=False)),
        rtol=1e-6,
    )


def test_geglu_forms():
    exact = ref("geglu", X)
    approx = ref("geglu", X, gate=_gelu_tanh)
    np.testing.assert_allclose(flaxact.geglu(X), exact, rtol=1e-5, atol=1e-6)
    # the tanh form is the composition's own arithmetic (XLA's tanh is the cheaper): the
    # gate (1 + tanh)/2 has an absolute error of about 2^-23 |b| (its docstring's bound),
    # and so the product 2^-23 |a b|, beside the relative error of the rest
    ours = np.abs(np.asarray(flaxact.geglu(X, approximate=True), np.float64) - approx)
    a, b = np.split(np.asarray(X, np.float64), 2, axis=-1)
    bound = 2.0**-22 * np.abs(a * b) + 1e-5 * np.abs(approx) + 1e-12
    worst = np.argmax(ours / bound)
    assert (ours <= bound).all(), (a.flat[worst], b.flat[worst], ours.flat[worst])
    # the forms differ visibly, so the default is really the exact one
    assert np.max(np.abs(exact - approx)) > 1e-4


def test_geglu_mpmath_point():
    mp.mp.dps = 30
    a, b = 1.5, -0.75
    exact = a * b * mp.ncdf(b)
    assert float(flaxact.geglu(jnp.array([a, b]))[0]) == pytest.approx(float(exact), rel=3e-7)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [jnp.bfloat16, jnp.float16])
def test_half_precision_computed_wide_rounded_once(name, dtype):
    x = jnp.asarray(X, dtype)
    y = fn(name)(x)
    assert y.dtype == jnp.dtype(dtype)
    assert ulp_err(y, ref(name, np.asarray(x, np.float64)), HALF_BITS[jnp.dtype(dtype)]) <= 1.0


@pytest.mark.parametrize("name", NAMES)
def test_dtypes_follow_jax_nn(name):
    for dtype in [jnp.float32, jnp.bfloat16, jnp.float16, jnp.int32, jnp.bool_]:
        x = jnp.ones((2, 4), dtype)
        y = fn(name)(x)
        assert y.dtype == (jnp.float32 if dtype in (jnp.int32, jnp.bool_) else jnp.dtype(dtype))
        if name == "glu" and jnp.issubdtype(dtype, jnp.floating):  # jax.nn.glu rejects ints
            assert y.dtype == jax.nn.glu(x).dtype
    np.testing.assert_allclose(fn(name)([1, 2, 3, -4]), fn(name)(jnp.array([1.0, 2.0, 3.0, -4.0])))


@pytest.mark.parametrize("name", NAMES)
def test_odd_axis_is_a_value_error_naming_axis_and_size(name):
    with pytest.raises(
        ValueError, match=rf"flaxact\.{name}: axis 1 of argument 'x' has odd size 3"
    ):
        fn(name)(jnp.ones((4, 3)))
    with pytest.raises(
        ValueError, match=rf"flaxact\.{name}: axis 0 of argument 'x' has odd size 5"
    ):
        fn(name)(jnp.ones((5, 2)), 0)
    with pytest.raises(ValueError, match=rf"flaxact\.{name}: argument 'axis'=2 is out of range"):
        fn(name)(jnp.ones((4, 2)), 2)
    with pytest.raises(ValueError, match=rf"flaxact\.{name}: argument 'x' must have at least one"):
        fn(name)(1.0)
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument 'axis' must be an int"):
        fn(name)(jnp.ones(4), 1.0)
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument 'x' has complex dtype"):
        fn(name)(jnp.ones(4, jnp.complex64))


def test_jax_nn_glu_odd_axis_is_a_bare_assert():
    """The behaviour we replace: jax.nn raises AssertionError, which -O would strip."""
    with pytest.raises(AssertionError):
        jax.nn.glu(jnp.ones(3))


def test_glu_activation_must_be_callable():
    with pytest.raises(TypeError, match=r"flaxact\.glu: argument 'activation' must be callable"):
        flaxact.glu(jnp.ones(4), activation="sigmoid")


@pytest.mark.parametrize("name", NAMES)
def test_empty_and_jit_vmap(name):
    f = fn(name)
    assert f(jnp.zeros((0, 4))).shape == (0, 2)
    assert f(jnp.zeros((3, 0))).shape == (3, 0)
    y = f(X)
    np.testing.assert_allclose(jax.jit(f, static_argnums=1)(X, -1), y, rtol=1e-6)
    np.testing.assert_allclose(jax.vmap(f)(X), y, rtol=1e-6)
    xt = jnp.asarray(X.T)
    np.testing.assert_allclose(jax.vmap(f, in_axes=1, out_axes=1)(xt), f(xt, 0), rtol=1e-6)


@pytest.mark.parametrize("name", ["glu", "swiglu", "geglu"])
def test_gradients_check_grads(name):
    x = jnp.array([[0.5, -1.25, 2.0, 0.75], [3.0, 1.5, -0.5, -2.0]])
    with jax.enable_x64(True):
        check_grads(fn(name), (x.astype(jnp.float64),), order=2, modes=("fwd", "rev"))


@pytest.mark.parametrize("name", NAMES)
def test_gradient_closed_form(name):
    x = jnp.asarray(X[:4])
    g = np.asarray(jax.grad(lambda v: jnp.sum(fn(name)(v)))(x), np.float64)
    a, b = np.split(np.asarray(x, np.float64), 2, axis=-1)
    gate = GATES[name](b)
    eps = 1e-6
    dgate = (GATES[name](b + eps) - GATES[name](b - eps)) / (2 * eps)
    np.testing.assert_allclose(g[:, :4], gate, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(g[:, 4:], a * dgate, rtol=1e-4, atol=1e-5)


def test_reglu_gradient_at_the_kink_is_zero():
    g = jax.grad(lambda v: jnp.sum(flaxact.reglu(v)))(jnp.array([2.0, 0.0]))
    np.testing.assert_array_equal(g, [0.0, 0.0])  # relu'(0) = 0, as jax.nn
    g = jax.grad(lambda v: jnp.sum(jax.nn.glu(v)))(jnp.array([2.0, 0.0]))
    np.testing.assert_allclose(g, [0.5, 0.5])


@pytest.mark.parametrize("name", ["glu", "swiglu", "geglu", "reglu"])
def test_gradients_finite_at_extremes(name):
    a = jnp.array([[1.0, -1.0, 0.5], [0.25, 1.0, -1.0]])
    b = jnp.array([[3e38, -3e38, 0.0], [5.0, -1e30, 1e30]])
    x = jnp.concatenate([a, b], axis=1)
    g = jax.grad(lambda v: jnp.sum(fn(name)(v)))(x)
    assert np.all(np.isfinite(np.asarray(g))), (name, g)


def test_input_not_mutated():
    x = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    before = x.copy()
    for name in NAMES:
        fn(name)(x)
    np.testing.assert_array_equal(x, before)


# ---------------------------------------------------------------- clamped_swiglu


def _clamped_ref(x, alpha=1.702, limit=7.0):
    a, b = np.split(np.asarray(x, np.float64), 2, axis=-1)
    b_c = np.minimum(b, limit)
    return (np.clip(a, -limit, limit) + 1) * b_c * sp.expit(alpha * b_c)


@pytest.mark.parametrize("params", [{}, {"limit": 3.0}, {"alpha": 1.0, "limit": 10.0}])
def test_clamped_swiglu_matches_float64_reference(params):
    x = np.concatenate([X, (X * 3)[:, ::-1]], axis=-1)  # values past both clamps
    y = flaxact.clamped_swiglu(x, **params)
    assert ulp_err(y, _clamped_ref(x, **params), 23) <= flaxact.get("clamped_swiglu").ulp_bound()
    for dtype in (jnp.bfloat16, jnp.float16):
        xh = jnp.asarray(x, dtype)
        yh = flaxact.clamped_swiglu(xh, **params)
        assert yh.dtype == jnp.dtype(dtype)
        assert (
            ulp_err(
                yh, _clamped_ref(np.asarray(xh, np.float64), **params), HALF_BITS[jnp.dtype(dtype)]
            )
            <= 1.0
        )


def test_clamped_swiglu_feeds_gpt_oss_interleaved_columns():
    """GPT-OSS's reference: gate = h[..., ::2] clamped above, linear = h[..., 1::2]
    clamped both ways, (linear + 1) * gate * sigmoid(alpha * gate); reordering the
    columns as the docstring says gives the same numbers."""
    h = (RNG.standard_normal((16, 12)) * 6).astype(np.float32)
    gate, linear = np.minimum(h[:, ::2].astype(np.float64), 7.0), np.clip(h[:, 1::2], -7.0, 7.0)
    want = (linear + 1) * gate * sp.expit(1.702 * gate)
    got = flaxact.clamped_swiglu(jnp.concatenate([h[:, 1::2], h[:, ::2]], axis=-1))
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-6)


def test_clamped_swiglu_gradient_passes_at_the_clamp_and_stops_beyond():
    limit = 7.0

    def grads(a, b):
        return jax.grad(lambda v: flaxact.clamped_swiglu(v)[0])(jnp.array([a, b]))

    s = sp.expit(1.702 * limit)
    slope = s + 1.702 * limit * s * (1 - s)  # d/db of b sigmoid(1.702 b) at b = 7
    np.testing.assert_allclose(grads(1.0, limit), [limit * s, 2 * slope], rtol=1e-6)
    np.testing.assert_allclose(grads(1.0, limit + 0.5), [limit * s, 0.0], rtol=1e-6)
    np.testing.assert_allclose(grads(limit, 1.0)[0], sp.expit(1.702), rtol=1e-6)  # at a == limit
    np.testing.assert_allclose(grads(-limit - 1, 1.0)[0], 0.0)  # below -limit
    np.testing.assert_allclose(grads(limit + 1, 1.0)[0], 0.0)


def test_clamped_swiglu_traced_parameters_and_their_gradients():
    x = jnp.array([[0.5, -1.25, 2.0, 0.75], [3.0, 1.5, -0.5, 9.0]])
    f = jax.jit(lambda v, al, li: flaxact.clamped_swiglu(v, alpha=al, limit=li))
    np.testing.assert_allclose(f(x, 1.702, 7.0), flaxact.clamped_swiglu(x), rtol=1e-6)
    np.testing.assert_allclose(f(x, 1.0, 2.0), _clamped_ref(x, 1.0, 2.0), rtol=1e-6)
    with jax.enable_x64(True):
        x64 = x.astype(jnp.float64)
        check_grads(
            lambda al: flaxact.clamped_swiglu(x64, alpha=al),
            (jnp.float64(1.3),),
            order=1,
            modes=("fwd", "rev"),
        )
        check_grads(
            lambda v: flaxact.clamped_swiglu(v, limit=20.0), (x64,), order=2, modes=("fwd", "rev")
        )


def test_clamped_swiglu_bad_parameters_name_the_argument():
    x = jnp.ones(4)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(
            ValueError, match=r"flaxact\.clamped_swiglu: argument 'limit' must be > 0"
        ):
            flaxact.clamped_swiglu(x, limit=bad)
    with pytest.raises(
        ValueError, match=r"flaxact\.clamped_swiglu: argument 'alpha' must be finite"
    ):
        flaxact.clamped_swiglu(x, alpha=float("inf"))
    with pytest.raises(
        ValueError, match=r"flaxact\.clamped_swiglu: axis 0 of argument 'x' has odd size 3"
    ):
        flaxact.clamped_swiglu(jnp.ones(3))
    with pytest.raises(TypeError):
        flaxact.clamped_swiglu(x, -1, 1.0)  # alpha and limit are keyword-only
    assert float(flaxact.clamped_swiglu(x, limit=float("inf"))[0]) == pytest.approx(
        2 * sp.expit(1.702)
    )
