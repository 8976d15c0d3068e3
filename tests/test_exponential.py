"""ELU, CELU, SELU: parameters, their validation and gradients, beyond the registry-wide contract."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import flaxact
from flaxact._exponential import SELU_ALPHA, SELU_SCALE


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
    # jax.nn's gradient is exactly 0 below x = -17.3; the derivative is e^x
    x = jnp.array([-20.0, -50.0, -85.0])
    got = jax.vmap(jax.grad(flaxact.elu))(x)
    np.testing.assert_allclose(np.asarray(got), np.exp(np.asarray(x, np.float64)), rtol=1e-6)
    assert float(jax.grad(jax.nn.elu)(-20.0)) == 0.0


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
