"""sigmoid, log_sigmoid, tanh, soft_sign: identities, tails and limits."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import flaxact


def test_identities_between_the_sigmoids():
    x = jnp.linspace(-30, 30, 601)
    s = np.asarray(flaxact.sigmoid(x), np.float64)
    np.testing.assert_allclose(s + np.asarray(flaxact.sigmoid(-x)), 1.0, rtol=2e-7)
    np.testing.assert_allclose(
        np.asarray(flaxact.log_sigmoid(x)), -np.asarray(flaxact.softplus(-x)), rtol=0, atol=0
    )
    t = np.asarray(flaxact.tanh(x / 2), np.float64)
    np.testing.assert_allclose(t, 2 * s - 1, atol=3e-7)


def test_log_sigmoid_does_not_underflow_for_large_negative_input():
    # log(sigmoid(-200)) computed naively is log(0) = -inf
    assert float(flaxact.log_sigmoid(-200.0)) == pytest.approx(-200.0, rel=1e-7)


@pytest.mark.parametrize("fn", [flaxact.sigmoid, flaxact.tanh, flaxact.soft_sign, flaxact.log_sigmoid])
def test_limits_and_gradients_at_infinity(fn):
    for v in (float("inf"), float("-inf"), 3e38, -3e38):
        assert np.isfinite(float(jax.grad(fn)(jnp.float32(v))))
    assert float(flaxact.soft_sign(jnp.inf)) == 1.0
    assert float(flaxact.soft_sign(-jnp.inf)) == -1.0
    assert float(flaxact.tanh(jnp.inf)) == 1.0


def test_tanh_gradient_keeps_relative_accuracy_in_the_tail():
    """flaxact.precise.tanh's gradient is sech^2 to 1e-6 where 1 - tanh^2 is 0; the
    default's is jax.nn's (its cost)."""
    x = jnp.array([10.0, 20.0, 40.0])
    got = np.asarray(jax.vmap(jax.grad(flaxact.precise.tanh))(x), np.float64)
    want = 1 / np.cosh(np.asarray(x, np.float64)) ** 2
    np.testing.assert_allclose(got, want, rtol=1e-6)
    # 1 - tanh(x)^2 is exactly 0 here, in jax.nn and in the default
    assert float(1 - jnp.tanh(20.0) ** 2) == 0.0
    default = np.asarray(jax.vmap(jax.grad(flaxact.tanh))(x))
    np.testing.assert_array_equal(default, np.asarray(jax.vmap(jax.grad(jax.nn.tanh))(x)))


def test_tanh_is_positional_only_like_jax_nn():
    with pytest.raises(TypeError):
        flaxact.tanh(x=1.0)
