"""ELU, CELU, SELU, xIELU: parameters, their validation and gradients, beyond the registry-wide
contract."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import flaxact
from flaxact._exponential import SELU_ALPHA, SELU_SCALE
from flaxact_dev.oracle import VALUE


def test_selu_constants_are_the_papers_fixed_point():
    # Klambauer et al.: lambda and alpha solve mean 0 / variance 1 for N(0, 1) input
    with mp.workdps(30):
        lam, alpha = mp.mpf(SELU_SCALE), mp.mpf(SELU_ALPHA)
        phi = lambda t: mp.exp(-(t**2) / 2) / mp.sqrt(2 * mp.pi)  # noqa: E731
        f = lambda t: lam * (t if t > 0 else alpha * mp.expm1(t))  # noqa: E731
        mean = mp.quad(lambda t: f(t) * phi(t), [-mp.inf, 0, mp.inf])
        second = mp.quad(lambda t: f(t) ** 2 * phi(t), [-mp.inf, 0, mp.inf])
    assert abs(mean) < 1e-9
    assert abs(second - 1) < 1e-9


def test_celu_rejects_alpha_zero_but_accepts_negative_alpha():
    with pytest.raises(ValueError, match=r"flaxact\.celu: argument 'alpha' must be non-zero"):
        flaxact.celu(jnp.ones(3), alpha=0.0)
    with pytest.raises(ValueError, match="alpha"):
        flaxact.celu(jnp.ones(3), alpha=jnp.float32(0.0))
    y = flaxact.celu(jnp.array([-1.0]), alpha=-1.0)  # seed 001 sweeps negative alphas
    np.testing.assert_allclose(np.asarray(y), [-np.expm1(1.0)], rtol=1e-6)


def test_traced_alpha_works_under_jit_and_has_a_gradient():
    x = jnp.array([-2.0, -0.5, 1.0])
    for fn in (flaxact.elu, flaxact.celu):
        y = jax.jit(fn)(x, jnp.float32(0.5))
        np.testing.assert_allclose(np.asarray(y), np.asarray(fn(x, 0.5)), rtol=1e-7)
    # d/dalpha elu = expm1(x) for x <= 0
    g = jax.grad(lambda a: flaxact.elu(-2.0, a))(1.5)
    assert float(g) == pytest.approx(np.expm1(-2.0), rel=1e-6)
    # d/dalpha celu = expm1(z) - z e^z, z = x / alpha
    z = -2.0 / 1.5
    g = jax.grad(lambda a: flaxact.celu(-2.0, a))(1.5)
    assert float(g) == pytest.approx(np.expm1(z) - z * np.exp(z), rel=1e-5)


def test_elu_gradient_does_not_vanish_in_the_tail():
    # the derivative is e^x, a normal float32 number down to x = -87 (jax.nn's gradient was
    # exactly 0 below x = -17.3 before jax 0.12): accurate, and never less so than jax.nn's
    x = jnp.array([-20.0, -50.0, -85.0])
    want = np.exp(np.asarray(x, np.float64))
    got = np.asarray(jax.vmap(jax.grad(flaxact.elu))(x), np.float64)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    theirs = np.asarray(jax.vmap(jax.grad(jax.nn.elu))(x), np.float64)
    assert (np.abs(got - want) <= np.abs(theirs - want)).all()


def test_celu_equals_elu_at_alpha_one_and_is_c1_at_zero():
    x = jnp.linspace(-5, 5, 101)
    np.testing.assert_array_equal(np.asarray(flaxact.celu(x)), np.asarray(flaxact.elu(x)))
    for alpha in (0.25, 2.0):
        left = jax.grad(flaxact.celu)(-1e-6, alpha)
        right = jax.grad(flaxact.celu)(1e-6, alpha)
        assert float(left) == pytest.approx(float(right), abs=1e-5)


def test_tiny_inputs_are_not_flushed():
    x = jnp.float32(-2.3e-38)  # normal, but x / alpha is subnormal for alpha = 2
    assert float(flaxact.celu(x, 2.0)) == pytest.approx(-2.3e-38, rel=1e-6)


@pytest.mark.parametrize("traced", [False, True])
def test_elu_gradient_stays_normal_for_alpha_above_one(traced):
    # alpha e^x is a normal number down to x = -88.0 for alpha = 2, where e^x alone is
    # flushed to zero; a concrete alpha and a traced one take the same route
    x = jnp.array([-87.9, -60.0, -1.0, 0.0], jnp.float32)
    alpha = jnp.float32(2.0) if traced else 2.0
    grad = jax.jit(jax.vmap(jax.grad(flaxact.elu), (0, None)))(x, alpha)
    want = 2.0 * np.exp(np.asarray(x, np.float64))
    np.testing.assert_allclose(np.asarray(grad), want, rtol=1e-6)
    assert float(jax.grad(flaxact.elu)(0.0, alpha)) == 2.0  # elu'(0) = alpha, exactly


@pytest.mark.parametrize("alpha", [0.3, 1.7, 3.0])
def test_celu_accuracy_for_alpha_not_a_power_of_two(alpha):
    # x / alpha rounds; the result near 0 is formed so that the rounding reaches only the
    # small term beyond x
    x = np.linspace(-20.0, 0.0, 200_001, dtype=np.float32)
    a = float(np.float32(alpha))
    with np.errstate(invalid="ignore"):
        want = a * np.expm1(x.astype(np.float64) / a)
    got = np.asarray(jax.jit(lambda v: flaxact.celu(v, a))(x), np.float64)
    ulp = np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)
    err = np.abs(got - want) / np.where(want == 0, 1.0, ulp)
    assert err.max() <= 2.0, (err.max(), x[err.argmax()])


# --------------------------------------------------------------------------- xielu
def _mp_xielu(x, alpha_p=0.8, alpha_n=0.8, beta=0.5, eps=-1e-6):
    x, eps = mp.mpf(float(x)), mp.mpf(eps)
    if x > 0:
        return alpha_p * x * x + beta * x
    return alpha_n * (mp.expm1(min(x, eps)) - x) + beta * x


def _ulps(got, want) -> float:
    """|got - want| in float32 ULP of ``want`` (a normal number)."""
    return abs(float(got) - float(want)) / float(np.spacing(np.float32(abs(want))))


def test_xielu_values_against_mpmath():
    # the float32 neighbours of the negative root (-2.4324843), of the minimum
    # (log(3/8)), both sides of 0 and of eps, and the far tail
    root = np.float32(-2.4324843)
    x = np.array(
        [
            -100.0,
            -9.3253765,
            -3.0,
            np.nextafter(root, -3),
            root,
            np.nextafter(root, 0),
            -1.5,
            np.log(0.375),
            -0.5,
            -1e-3,
            -2e-6,
            -5e-7,
            -1e-30,
            0.0,
            1e-30,
            1e-7,
            0.5,
            3.0,
            1e10,
        ],
        np.float32,
    )
    got = np.asarray(flaxact.xielu(x))
    with mp.workdps(50):
        want = [float(_mp_xielu(v)) for v in x]
    for v, g, w in zip(x, got, want, strict=True):
        assert _ulps(g, w) <= flaxact.get("xielu").ulp_bound(), (v, g, w)


def test_xielu_near_its_root_where_the_composition_fails():
    # alpha_n (expm1(x) - x) + beta x cancels to ~1e-8 next to the root: flaxact keeps
    # the relative accuracy, the formula as written does not
    x = np.float32(-2.4324841)
    with mp.workdps(50):
        want = float(_mp_xielu(x))
    assert abs(want) < 1e-7
    assert _ulps(flaxact.xielu(x), want) <= 2.5
    written = 0.8 * (jnp.expm1(jnp.float32(x)) - x) + 0.5 * x
    assert _ulps(written, want) > 1000


def test_xielu_jumps_at_zero_and_bends_at_eps():
    a_n, b, eps = 0.8, 0.5, -1e-6
    # xielu(0) is alpha_n (e^eps - 1), the value of the clamped branch; 0 from the right
    assert float(flaxact.xielu(0.0)) == pytest.approx(a_n * np.expm1(eps), rel=1e-6)
    assert float(flaxact.xielu(1e-30)) == pytest.approx(b * 1e-30, rel=1e-6)
    grad = jax.grad(flaxact.xielu)
    assert float(grad(0.0)) == pytest.approx(b - a_n, abs=1e-7)  # the negative branch
    assert float(grad(1e-7)) == pytest.approx(b, abs=1e-6)
    assert float(grad(-5e-7)) == pytest.approx(b - a_n, abs=1e-7)
    # at eps the exponential side's derivative, just below it the same
    at_eps = a_n * np.exp(eps) + b - a_n
    assert float(grad(np.float32(eps))) == pytest.approx(at_eps, abs=1e-7)
    assert float(grad(-2e-6)) == pytest.approx(a_n * np.exp(-2e-6) + b - a_n, abs=1e-7)


def test_xielu_with_eps_zero_is_continuously_differentiable():
    grad = jax.grad(lambda v: flaxact.xielu(v, eps=0.0))
    assert float(flaxact.xielu(0.0, eps=0.0)) == 0.0
    assert float(grad(-1e-7)) == pytest.approx(0.5, abs=1e-6)
    assert float(grad(0.0)) == pytest.approx(0.5, abs=1e-7)
    assert float(grad(1e-7)) == pytest.approx(0.5, abs=1e-6)


@pytest.mark.parametrize("x", [-30.0, -2.5, -0.75, -0.01, -5e-7, 0.0, 0.3, 4.0])
def test_xielu_parameter_gradients_against_mpmath(x):
    params = {"alpha_p": 0.8, "alpha_n": 0.9, "beta": 0.4, "eps": -1e-6}
    names = list(params)
    fn = jax.jit(lambda v, *p: flaxact.xielu(v, *p))
    got = jax.grad(fn, argnums=(1, 2, 3, 4))(jnp.float32(x), *map(jnp.float32, params.values()))
    for name, g in zip(names, got, strict=True):
        # each derivative of the float32 parameters, from the mpmath definition
        p32 = {k: float(np.float32(v)) for k, v in params.items()}

        def of(value, name=name, p32=p32):
            return _mp_xielu(x, **{**p32, name: value})

        with mp.workdps(40):
            want = float(mp.diff(of, mp.mpf(p32[name])))
        assert float(g) == pytest.approx(want, rel=2e-6, abs=1e-12), (name, x)


def test_xielu_traced_parameters_agree_with_concrete_ones():
    x = jnp.asarray(np.concatenate([np.linspace(-12, 6, 3001), [-1e30, 1e30]]), jnp.float32)
    for a_p, a_n in ((0.8, 0.8), (1.6, 0.6), (0.4, 1.6)):
        const = np.asarray(flaxact.xielu(x, a_p, a_n), np.float64)
        traced = np.asarray(jax.jit(flaxact.xielu)(x, jnp.float32(a_p), jnp.float32(a_n)))
        # the traced form keeps 1e-7 absolute near the root, a few ULP elsewhere
        np.testing.assert_allclose(traced, const, rtol=1e-6, atol=2e-7)
        g_const = jax.vmap(jax.grad(lambda v, a_p=a_p, a_n=a_n: flaxact.xielu(v, a_p, a_n)))(x)
        g_traced = jax.jit(jax.vmap(jax.grad(flaxact.xielu), (0, None, None)))(
            x, jnp.float32(a_p), jnp.float32(a_n)
        )
        # near the minimum the slope alpha_n e^x + beta - alpha_n cancels: the concrete form
        # takes alpha_n e^x as the value's B e^t, and beta - alpha_n differs in its rounding
        np.testing.assert_allclose(np.asarray(g_traced), np.asarray(g_const), rtol=1e-6, atol=2e-7)


@pytest.mark.parametrize(
    "params",
    [
        {"alpha_n": 0.4},
        {"alpha_n": 0.5},
        {"beta": -0.5},
        {"beta": 0.0},
        {"alpha_n": 0.51},
        {"alpha_n": 3.0, "beta": 0.1},
        {"alpha_p": 0.0},
        {"alpha_p": -0.3},
    ],
)
def test_xielu_other_concrete_parameters(params):
    # without a root (alpha_n <= beta, beta <= 0), a root far away (alpha_n near beta),
    # a negative curvature: the same forms, to a few ULP, or to the rounding of the
    # parameters (against the size of the terms) where the terms cancel
    x = np.concatenate([np.linspace(-60, 10, 70001), [-1e4, -3e38]]).astype(np.float32)
    got = np.asarray(jax.jit(lambda v: flaxact.xielu(v, **params))(x), np.float64)
    p = {"alpha_p": 0.8, "alpha_n": 0.8, "beta": 0.5, "eps": -1e-6, **params}
    x64 = x.astype(np.float64)
    want = VALUE["xielu"](x64, **p)
    with np.errstate(over="ignore"):
        g = np.expm1(np.minimum(x64, p["eps"])) - x64
        terms = np.where(x > 0, abs(p["alpha_p"]) * x64 * x64, abs(p["alpha_n"] * g))
    terms = terms + abs(p["beta"] * x64)
    held = np.abs(want) <= np.finfo(np.float32).max
    np.testing.assert_array_equal(got[~held], np.sign(want[~held]) * np.inf)
    err = np.abs(got - want)[held] / (8 * np.abs(want[held]) + terms[held])
    assert err.max() <= 2**-24, (err.max(), x[held][np.argmax(err)])
    g = jax.vmap(jax.grad(lambda v: flaxact.xielu(v, **params)))(jnp.asarray(x))
    assert np.isfinite(np.asarray(g)[np.abs(x) < 1e30]).all()


def test_xielu_limits_at_infinity():
    x = jnp.array([-jnp.inf, jnp.inf])
    np.testing.assert_array_equal(np.asarray(flaxact.xielu(x)), [np.inf, np.inf])
    g = jax.vmap(jax.grad(flaxact.xielu))(x)
    np.testing.assert_allclose(np.asarray(g), [-0.3, np.inf])
    # traced alpha_n == beta: the branch tends to -alpha_n (not 0 * inf)
    y = jax.jit(flaxact.xielu)(x, jnp.float32(0.8), jnp.float32(0.5), jnp.float32(0.5))
    np.testing.assert_array_equal(np.asarray(y), [-0.5, np.inf])
    assert float(flaxact.xielu(-jnp.inf, alpha_n=0.5)) == -0.5
    assert float(flaxact.xielu(-jnp.inf, alpha_n=0.4)) == -np.inf


def test_xielu_per_channel_parameters_broadcast():
    x = jnp.asarray(sample_grid := np.linspace(-4, 4, 12, dtype=np.float32).reshape(4, 3))
    alpha_n = jnp.array([0.6, 0.8, 1.6])
    got = flaxact.xielu(x, alpha_n=alpha_n)
    for k in range(3):
        np.testing.assert_allclose(
            np.asarray(got[:, k]),
            np.asarray(flaxact.xielu(sample_grid[:, k], alpha_n=float(alpha_n[k]))),
            rtol=1e-6,
            atol=2e-7,
        )
    g = jax.grad(lambda a: flaxact.xielu(x, alpha_n=a).sum())(alpha_n)
    assert g.shape == (3,)
    with pytest.raises(ValueError, match=r"flaxact\.xielu: the parameters .* do not broadcast"):
        flaxact.xielu(x, alpha_n=jnp.ones(4))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"alpha_p": True},
            TypeError,
            r"flaxact\.xielu: argument 'alpha_p' must be a real number; got bool",
        ),
        (
            {"alpha_n": float("nan")},
            ValueError,
            r"flaxact\.xielu: argument 'alpha_n' must be finite",
        ),
        ({"beta": np.inf}, ValueError, r"flaxact\.xielu: argument 'beta' must be finite"),
        ({"eps": 1e-6}, ValueError, r"flaxact\.xielu: argument 'eps' must be <= 0"),
        ({"eps": 1j}, TypeError, r"flaxact\.xielu: argument 'eps' must be a real number"),
        (
            {"alpha_p": "0.8"},
            TypeError,
            r"flaxact\.xielu: argument 'alpha_p' must be a real number",
        ),
        ({"alpha_n": np.array([0.5, np.nan])}, ValueError, r"argument 'alpha_n' must be finite"),
    ],
)
def test_xielu_bad_parameters(kwargs, error, message):
    with pytest.raises(error, match=message):
        flaxact.xielu(jnp.ones(3), **kwargs)


def test_xielu_polynomial_is_what_its_comment_says():
    from flaxact._exponential import _XIELU_HI, _XIELU_LO, _XIELU_Q

    t = np.linspace(_XIELU_LO, _XIELU_HI, 401)
    got = np.polynomial.polynomial.polyval(t, np.asarray(_XIELU_Q, np.float64))
    with mp.workdps(40):
        want = [float((mp.expm1(v) - v) / v**2) if v else 0.5 for v in map(mp.mpf, t)]
    assert np.max(np.abs(got / np.asarray(want) - 1)) < 1.6e-8
