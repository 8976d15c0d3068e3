"""softplus, silu/swish, mish, gelu, squareplus, sparse_plus, log1mexp, snake: parameters and edge
cases."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import flaxact

X = jnp.linspace(-12.0, 12.0, 241)


def test_swish_with_beta_one_is_silu_bit_for_bit():
    np.testing.assert_array_equal(np.asarray(flaxact.swish(X)), np.asarray(flaxact.silu(X)))
    np.testing.assert_array_equal(np.asarray(flaxact.swish(X, 1.0)), np.asarray(flaxact.silu(X)))


def test_swish_beta_limits_and_traced_beta():
    np.testing.assert_allclose(np.asarray(flaxact.swish(X, 0.0)), np.asarray(X) / 2, rtol=1e-7)
    big = np.asarray(flaxact.swish(X, 50.0))
    np.testing.assert_allclose(
        big[np.abs(np.asarray(X)) > 1],
        np.maximum(np.asarray(X), 0)[np.abs(np.asarray(X)) > 1],
        atol=1e-6,
    )
    traced = jax.jit(flaxact.swish)(X, jnp.float32(2.0))
    np.testing.assert_allclose(np.asarray(traced), np.asarray(flaxact.swish(X, 2.0)), rtol=3e-7)


def test_swish_beta_gradient_for_a_learnable_slope():
    x, beta = 1.5, 0.75
    with mp.workdps(30):
        want = mp.diff(lambda b: mp.mpf(x) / (1 + mp.exp(-b * x)), beta)
    got = jax.grad(lambda b: flaxact.swish(x, b))(jnp.float32(beta))
    assert float(got) == pytest.approx(float(want), rel=1e-6)


def test_gelu_forms_and_their_names():
    exact = np.asarray(flaxact.gelu(X, approximate=False))
    for name in ("none", "erf"):
        np.testing.assert_array_equal(np.asarray(flaxact.gelu(X, approximate=name)), exact)
    np.testing.assert_array_equal(
        np.asarray(flaxact.gelu(X, approximate="tanh")), np.asarray(flaxact.gelu(X))
    )
    # the tanh form is within 4.7e-4 of the exact one; x sigmoid(1.702 x) within 2.1e-2
    assert np.max(np.abs(np.asarray(flaxact.gelu(X)) - exact)) < 4.8e-4
    assert np.max(np.abs(np.asarray(flaxact.gelu(X, approximate="sigmoid")) - exact)) < 2.1e-2
    np.testing.assert_array_equal(
        np.asarray(flaxact.gelu(X, approximate="sigmoid")), np.asarray(flaxact.swish(X, 1.702))
    )


@pytest.mark.parametrize("bad", ["exact", 1, None, "TANH"])
def test_gelu_rejects_unknown_forms(bad):
    with pytest.raises(ValueError, match=r"flaxact\.gelu: argument 'approximate'"):
        flaxact.gelu(X, approximate=bad)


def test_gelu_tanh_negative_tail_no_cancellation_in_the_precise_form():
    # 0.5 x (1 + tanh(u)) cancels: the default (jax.nn's form, for its speed) is off by
    # thousands of ULP at x = -5, as jax.nn is; flaxact.precise.gelu is not
    x = -5.0
    with mp.workdps(60):
        u = mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)
        want = float(x / 2 * (1 + mp.tanh(u)))
    assert float(flaxact.precise.gelu(jnp.float32(x))) == pytest.approx(want, rel=4 * 2**-23)
    for fn in (flaxact.gelu, jax.nn.gelu):
        assert float(fn(jnp.float32(x))) != pytest.approx(want, rel=100 * 2**-23)


def test_gelu_erf_polynomials_are_what_the_fit_script_gives():
    from flaxact import _smooth
    from tools import fit_gelu_erf as fit

    fits = fit.fits()
    # float32 coefficients; another BLAS may round a refit term one float32 step apart
    np.testing.assert_allclose(_smooth._G_W, fits["G_W"], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(_smooth._P_S, fits["P_S"], rtol=1e-6, atol=1e-7)
    assert (fit.T_LO, fit.T_HI) == (_smooth._ERF_INNER, _smooth._ERF_OUTER)


def test_gelu_erf_is_accurate_where_xla_erfc_is_not():
    # x Phi(x) through XLA's erfc is ~30 ULP off near x = -8.4 (exp of a rounded square):
    # the default is jax.nn's form (its cost), flaxact.precise's is accurate
    x = np.float32(-8.3805)
    with mp.workdps(60):
        want = float(mp.mpf(float(x)) / 2 * mp.erfc(-mp.mpf(float(x)) / mp.sqrt(2)))
    precise = float(flaxact.precise.gelu(x, approximate=False))
    assert precise == pytest.approx(want, rel=3 * 2**-23, abs=0)
    via_erfc = float(x * 0.5 * jax.lax.erfc(-x / np.float32(np.sqrt(2))))
    assert via_erfc != pytest.approx(want, rel=10 * 2**-23, abs=0)
    default = float(flaxact.gelu(x, approximate=False))
    assert default == float(jax.nn.gelu(x, approximate=False))


@pytest.mark.parametrize("form", [True, False, "sigmoid"])
def test_gelu_gradient_finite_everywhere(form):
    x = jnp.array([jnp.inf, -jnp.inf, 1e19, -1e19, 3e38, -3e38, 0.0])
    g = jax.vmap(jax.grad(lambda v: flaxact.gelu(v, approximate=form)))(x)
    np.testing.assert_array_equal(np.asarray(g), [1, 0, 1, 0, 1, 0, 0.5])


def test_squareplus_parameter_validation_and_large_input():
    with pytest.raises(ValueError, match=r"flaxact\.squareplus: argument 'b' must be >= 0"):
        flaxact.squareplus(X, b=-1.0)
    assert float(flaxact.squareplus(0.0, b=9.0)) == 1.5
    assert float(flaxact.squareplus(3e38)) == pytest.approx(3e38, rel=1e-7)
    assert float(flaxact.squareplus(-3e38)) == pytest.approx(4 / (4 * 3e38), rel=1e-6)
    np.testing.assert_allclose(
        np.asarray(flaxact.squareplus(X, b=0.0)), np.maximum(np.asarray(X), 0)
    )


def test_sparse_plus_is_its_formula_and_c1():
    x = np.linspace(-2, 2, 401, dtype=np.float32)
    want = np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1.0) ** 2 / 4))
    np.testing.assert_allclose(np.asarray(flaxact.sparse_plus(x)), want, rtol=2.5e-7)
    g = jax.vmap(jax.grad(flaxact.sparse_plus))(jnp.asarray(x))
    np.testing.assert_allclose(np.asarray(g), np.asarray(flaxact.sparse_sigmoid(x)), atol=1e-7)


def test_log1mexp_domain_edges():
    assert float(flaxact.log1mexp(0.0)) == -np.inf
    assert np.isnan(float(flaxact.log1mexp(-1.0)))
    assert float(flaxact.log1mexp(1e-30)) == pytest.approx(np.log(1e-30), rel=1e-6)
    assert float(flaxact.log1mexp(50.0)) == pytest.approx(-np.exp(-50.0), rel=1e-6)


def test_softplus_mish_silu_tails():
    assert float(flaxact.softplus(-90.0)) == 0.0 or float(flaxact.softplus(-90.0)) < 1e-38
    assert float(flaxact.silu(-90.0)) == pytest.approx(-90 * np.exp(-90.0), rel=1e-6)
    assert float(flaxact.mish(-90.0)) == pytest.approx(-90 * np.exp(-90.0), rel=1e-6)
    for fn in (flaxact.silu, flaxact.mish, flaxact.softplus):
        g = jax.vmap(jax.grad(fn))(jnp.array([jnp.inf, -jnp.inf]))
        np.testing.assert_array_equal(np.asarray(g), [1.0, 0.0])


@pytest.mark.parametrize("b", [0.25, 4.0])
def test_squareplus_constant_and_traced_b_agree(b):
    # precise: a concrete b takes the lean form (b/4)/p, a traced one the general rule with
    # d/db; the default takes one form for both (x > 0, where the sum does not cancel)
    x = jnp.asarray(np.concatenate([np.linspace(-50, 50, 1001), [-1e30, 1e30]]), jnp.float32)
    fn = flaxact.precise.squareplus
    const = np.asarray(fn(x, b), np.float64)
    traced = np.asarray(jax.jit(fn)(x, jnp.float32(b)), np.float64)
    np.testing.assert_allclose(const, traced, rtol=4 * 2**-23)
    g_const = jax.vmap(jax.grad(lambda v: fn(v, b)))(x)
    g_traced = jax.jit(jax.vmap(jax.grad(fn), (0, None)))(x, jnp.float32(b))
    np.testing.assert_allclose(np.asarray(g_const), np.asarray(g_traced), rtol=1e-6, atol=1e-37)
    pos = np.asarray(x) > 0
    default = np.asarray(flaxact.squareplus(x, b), np.float64)[pos]
    default_traced = np.asarray(jax.jit(flaxact.squareplus)(x, jnp.float32(b)), np.float64)[pos]
    np.testing.assert_allclose(default, default_traced, rtol=4 * 2**-23)


def test_log1mexp_branches_meet_at_log_2():
    # the polynomial branch (x <= ln 2) and the compensated log1p branch agree across it
    ln2 = np.float32(np.log(2.0))
    x = np.array([np.nextafter(ln2, 0), ln2, np.nextafter(ln2, 1)], np.float32)
    want = np.log(-np.expm1(-x.astype(np.float64)))
    got = np.asarray(flaxact.log1mexp(x), np.float64)
    np.testing.assert_allclose(got, want, rtol=3 * 2**-24)


# --------------------------------------------------------------------------- snake
def _mp_snake(x, alpha):
    x, alpha = mp.mpf(float(x)), mp.mpf(alpha)
    return x if alpha == 0 else x + mp.sin(alpha * x) ** 2 / alpha


@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0, 3.7, -1.3])
def test_snake_values_against_mpmath(alpha):
    x = np.array([-40.0, -7.0, -1.4909, -1.0, -0.01, 0.0, 1e-20, 0.3, 2.0, 1e4], np.float32)
    got = np.asarray(flaxact.snake(x, alpha), np.float64)
    a32 = float(np.float32(alpha))
    with mp.workdps(50):
        want = np.array([float(_mp_snake(v, a32)) for v in x])  # a32: a float
    ulp = np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)
    err = np.abs(got - want) / np.where(want == 0, 1.0, ulp)
    # a power of two keeps alpha x exact; otherwise its rounding is multiplied by |x|
    assert err.max() <= (2.5 if alpha in (1.0, 0.5, 2.0) else 6.0), (err.max(), x[err.argmax()])


def test_snake_at_alpha_zero_is_the_identity():
    x = jnp.array([-3.0, -0.5, 0.0, 2.0, 1e30, jnp.inf])
    np.testing.assert_array_equal(np.asarray(flaxact.snake(x, 0.0)), np.asarray(x))
    traced = jax.jit(flaxact.snake)(x, jnp.float32(0.0))
    np.testing.assert_array_equal(np.asarray(traced), np.asarray(x))
    for a in (0.0, jnp.float32(0.0)):
        g = jax.vmap(jax.grad(flaxact.snake), (0, None))(x[:5], a)
        np.testing.assert_array_equal(np.asarray(g), np.ones(5))


@pytest.mark.parametrize("alpha", [0.0, 1e-30, 1e-8, 1e-3, 0.5, 1.0, -2.5])
def test_snake_alpha_gradient_against_mpmath(alpha):
    # d/dalpha [sin^2(alpha x) / alpha], x^2 at alpha = 0; the formula as written is 0 / 0
    # there and loses every digit as alpha -> 0
    x = np.array([-5.0, -1.0, 0.25, 3.0], np.float32)
    got = jax.vmap(jax.grad(flaxact.snake, argnums=1), (0, None))(
        jnp.asarray(x), jnp.float32(alpha)
    )
    a32 = mp.mpf(float(np.float32(alpha)))
    with mp.workdps(60):
        want = [float(mp.diff(lambda a, v=v: _mp_snake(v, a), a32)) for v in x]
    np.testing.assert_allclose(np.asarray(got), want, rtol=2e-6, atol=1e-12)
    # and the x-gradient, 1 + sin(2 alpha x)
    gx = jax.vmap(jax.grad(flaxact.snake), (0, None))(jnp.asarray(x), jnp.float32(alpha))
    want_x = 1 + np.sin(2 * np.float64(np.float32(alpha)) * x.astype(np.float64))
    np.testing.assert_allclose(np.asarray(gx), want_x, rtol=1e-6, atol=1e-7)


def test_snake_negative_alpha_mirrors_positive():
    x = jnp.linspace(-6.0, 6.0, 241)
    np.testing.assert_allclose(
        np.asarray(flaxact.snake(x, -0.7)),
        -np.asarray(flaxact.snake(-x, 0.7)),
        rtol=1e-6,
        atol=1e-7,
    )


def test_snake_is_monotonic_with_slope_in_0_2():
    x = jnp.linspace(-20.0, 20.0, 40001)
    for alpha in (0.5, 1.0, 3.0, -1.0):
        g = np.asarray(jax.vmap(jax.grad(flaxact.snake), (0, None))(x, alpha))
        assert g.min() >= 0.0
        assert g.max() <= 2.0 * (1 + 2**-22)  # 2, to rounding
        y = np.asarray(flaxact.snake(x, alpha))
        # where the slope is 0 the values may step down within their rounding error
        assert np.all(np.diff(y) >= -3 * np.spacing(np.abs(y[1:])))


def test_snake_per_channel_alpha_traced_and_constant_agree():
    x = jnp.asarray(np.linspace(-8, 8, 60, dtype=np.float32).reshape(20, 3))
    alpha = jnp.array([0.5, 1.0, 2.0])
    per_channel = jax.jit(flaxact.snake)(x, alpha)
    for k, a in enumerate((0.5, 1.0, 2.0)):
        np.testing.assert_allclose(
            np.asarray(per_channel[:, k]),
            np.asarray(flaxact.snake(x[:, k], a)),
            rtol=4e-7,
            atol=1e-7,
        )
    g = jax.grad(lambda a: flaxact.snake(x, a).sum())(alpha)
    assert g.shape == (3,)
    with pytest.raises(ValueError, match=r"flaxact\.snake: argument 'alpha' of shape \(4,\)"):
        flaxact.snake(x, jnp.ones(4))


def test_snake_far_out_and_at_infinity():
    # alpha x beyond the float range: the ripple is below half an ULP of x
    x = jnp.array([3e38, -3e38, jnp.inf, -jnp.inf])
    np.testing.assert_array_equal(np.asarray(flaxact.snake(x, 4.0)), np.asarray(x))
    np.testing.assert_array_equal(np.asarray(flaxact.snake(x)), np.asarray(x))
    # the derivative oscillates without a limit: nan at +-inf
    g = jax.vmap(jax.grad(flaxact.snake))(x)
    assert np.isfinite(np.asarray(g[:2])).all()
    assert np.isnan(np.asarray(g[2:])).all()


@pytest.mark.parametrize(
    ("alpha", "error", "message"),
    [
        (True, TypeError, r"flaxact\.snake: argument 'alpha' must be a real number; got bool"),
        (float("nan"), ValueError, r"flaxact\.snake: argument 'alpha' must be finite"),
        (-np.inf, ValueError, r"flaxact\.snake: argument 'alpha' must be finite"),
        (1 + 2j, TypeError, r"flaxact\.snake: argument 'alpha' must be a real number"),
        ("1", TypeError, r"flaxact\.snake: argument 'alpha' must be a real number"),
    ],
)
def test_snake_bad_alpha(alpha, error, message):
    with pytest.raises(error, match=message):
        flaxact.snake(jnp.ones(3), alpha)
