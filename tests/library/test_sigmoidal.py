"""sigmoid, log_sigmoid, tanh, soft_sign, tanh_shrink: identities, tails and limits."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
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


@pytest.mark.parametrize(
    "fn", [flaxact.sigmoid, flaxact.tanh, flaxact.soft_sign, flaxact.log_sigmoid]
)
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


# ---------------------------------------------------------------- tanh_shrink


def test_tanh_shrink_has_no_cancellation_near_zero_where_it_costs_nothing_extra():
    """x - tanh(x) is x**3/3 near 0, where the literal subtraction loses every digit.

    The precise form, and the default for half-precision input (computed in float32), keep
    them; the float32 default is the literal subtraction, at its cost: an absolute error
    within the record's bound in ULP of 1 (its ``ulp_floor``)."""
    x = jnp.array([1e-3, -2e-2, 0.3, 1e-10], jnp.float32)
    with mp.workdps(80):  # the subtraction cancels: carry the digits it loses
        want = np.array(
            [float(mp.mpf(float(v)) - mp.tanh(mp.mpf(float(v)))) for v in np.asarray(x, np.float64)]
        )
    np.testing.assert_allclose(
        np.asarray(flaxact.precise.tanh_shrink(x), np.float64), want, rtol=3e-7
    )
    naive = np.asarray(x - jnp.tanh(x), np.float64)
    assert np.max(np.abs(naive - want) / np.abs(want)) > 0.01  # what the literal form gives
    rec = flaxact.get("tanh_shrink")
    ours = np.asarray(flaxact.tanh_shrink(x), np.float64)
    assert np.max(np.abs(ours - want)) <= rec.ulp_f32 * 2.0**-23 * rec.ulp_floor
    xb = jnp.array([1e-2, -2e-2, 0.3], jnp.bfloat16)
    wantb = np.array(
        [float(mp.mpf(float(v)) - mp.tanh(mp.mpf(float(v)))) for v in np.asarray(xb, np.float64)]
    )
    np.testing.assert_allclose(np.asarray(flaxact.tanh_shrink(xb), np.float64), wantb, rtol=2**-8)


def test_tanh_shrink_gradient_is_tanh_squared():
    x = jnp.array([1e-3, -0.5, 2.0, -30.0, np.inf, -np.inf], jnp.float32)
    want = np.tanh(np.asarray(x, np.float64)) ** 2
    for fn in (flaxact.tanh_shrink, flaxact.precise.tanh_shrink):
        np.testing.assert_allclose(jax.vmap(jax.grad(fn))(x), want, rtol=1e-6)
    assert float(flaxact.tanh_shrink(np.inf)) == np.inf
    assert float(flaxact.tanh_shrink(-np.inf)) == -np.inf


def test_tanh_shrink_float64_uses_its_own_series():
    with jax.enable_x64(True):
        x = jnp.array([1e-4, 0.05, 0.5, 3.0], jnp.float64)
        with mp.workdps(80):
            want = np.array(
                [float(mp.mpf(float(v)) - mp.tanh(mp.mpf(float(v)))) for v in np.asarray(x)]
            )
        for fn in (flaxact.tanh_shrink, flaxact.precise.tanh_shrink):
            got = fn(x)
            assert got.dtype == jnp.float64
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-13)
