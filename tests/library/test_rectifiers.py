"""squared_relu, the shrinkage functions and threshold: conventions of PyTorch and Keras,
parameters (concrete, traced, per channel) and their gradients, bad input.

Values, gradients, dtypes and accuracy against the oracle are asserted for every
registered function in tests/library/test_contract.py and tests/library/test_api.py."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import flaxact

X = jnp.array([-2.0, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 3.0])


def test_squared_relu_is_relu_squared_and_c1_at_zero():
    np.testing.assert_array_equal(flaxact.squared_relu(X), np.maximum(np.asarray(X), 0) ** 2)
    g = jax.vmap(jax.grad(flaxact.squared_relu))(jnp.array([-1e-3, 0.0, 1e-3, 3.0]))
    np.testing.assert_allclose(g, [0.0, 0.0, 2e-3, 6.0], rtol=1e-7)
    # integer input is promoted (jax.nn.relu keeps ints; squared_relu has no jax.nn form)
    assert flaxact.squared_relu(jnp.array([2, -3])).dtype == jnp.float32
    assert float(flaxact.squared_relu(2e19)) == np.inf  # the exact square is beyond float32


def test_squared_relu_saves_only_its_input():
    from jax._src.ad_checkpoint import saved_residuals

    res = saved_residuals(lambda v: jnp.sum(flaxact.squared_relu(v)), jnp.ones(8))
    assert sum(np.prod(r[0].shape) for r in res) <= 8


@pytest.mark.parametrize("t", [0.5, 1.0, 0.0])
def test_shrinks_follow_pytorch_and_keras(t):
    x = np.asarray(X, np.float64)
    hard = np.where(np.abs(x) > t, x, 0.0)  # torch.nn.functional.hardshrink(x, lambd=t)
    soft = np.sign(x) * np.maximum(np.abs(x) - t, 0.0)  # softshrink(x, lambd=t)
    np.testing.assert_array_equal(flaxact.hard_shrink(X, t), hard)
    np.testing.assert_array_equal(flaxact.soft_shrink(X, threshold=t), soft)


def test_shrinks_at_the_threshold_give_zero_and_zero_gradient():
    for fn in (flaxact.hard_shrink, flaxact.soft_shrink):
        for v in (0.5, -0.5):
            assert float(fn(v)) == 0.0
            assert float(jax.grad(fn)(v)) == 0.0
        for v in (0.75, -0.75):
            assert float(jax.grad(fn)(v)) == 1.0


def test_shrink_thresholds_traced_and_per_channel():
    x = jnp.array([[1.0, -1.0, 0.3], [0.2, 2.0, -0.6]])
    t = jnp.array([1.5, 0.5, 0.25])
    for fn in (flaxact.hard_shrink, flaxact.soft_shrink):
        want = np.stack(
            [np.asarray(fn(row_x, row_t)) for row_x, row_t in zip(x.T, t, strict=True)]
        ).T
        np.testing.assert_array_equal(fn(x, t), want)
        np.testing.assert_array_equal(jax.jit(fn)(x, t), want)
    # soft_shrink's gradient with respect to the threshold: -sign(x) outside the band
    g = jax.vmap(jax.grad(flaxact.soft_shrink, argnums=1))(
        jnp.array([2.0, -2.0, 0.1]), jnp.full(3, 0.5)
    )
    np.testing.assert_array_equal(g, [-1.0, 1.0, 0.0])


def test_shrinks_keep_half_precision_and_do_not_round_the_threshold_first():
    x = jnp.array([1.0, -3.0], jnp.bfloat16)
    y = flaxact.soft_shrink(x, 0.3)  # 0.3 is not a bfloat16 number: computed in float32
    assert y.dtype == jnp.bfloat16
    np.testing.assert_array_equal(
        np.asarray(y, np.float32),
        np.asarray(jnp.array([0.7, -2.7]).astype(jnp.bfloat16), np.float32),
    )


@pytest.mark.parametrize("fn", [flaxact.hard_shrink, flaxact.soft_shrink])
def test_shrink_bad_threshold_names_function_and_argument(fn):
    name = fn.__name__
    for bad in (-0.5, float("nan")):
        with pytest.raises(
            ValueError, match=rf"flaxact\.{name}: argument 'threshold' must be >= 0"
        ):
            fn(X, bad)
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument 'threshold' must be real"):
        fn(X, 1j)
    with pytest.raises(
        TypeError, match=rf"flaxact\.{name}: argument 'threshold' must be array-like"
    ):
        fn(X, "0.5")


def test_threshold_matches_keras_and_pytorch_semantics():
    x = np.asarray(X, np.float64)
    # keras.ops.threshold(x, 0.25, -1.0) and torch.nn.functional.threshold(x, 0.25, -1.0)
    np.testing.assert_array_equal(flaxact.threshold(X, 0.25, -1.0), np.where(x > 0.25, x, -1.0))
    # with threshold = default_value = 0 it is relu, gradient at 0 included
    np.testing.assert_array_equal(flaxact.threshold(X, 0.0, 0.0), flaxact.relu(X))
    assert float(jax.grad(flaxact.threshold)(0.0, 0.0, 0.0)) == float(jax.grad(jax.nn.relu)(0.0))


def test_threshold_requires_both_arguments_like_keras():
    with pytest.raises(TypeError):
        flaxact.threshold(X)  # no defaults, as keras.ops.threshold
    with pytest.raises(
        TypeError, match=r"flaxact\.threshold: argument 'default_value' has complex"
    ):
        flaxact.threshold(X, 0.0, jnp.array(1j))
    with pytest.raises(
        TypeError, match=r"flaxact\.threshold: argument 'threshold' must be array-like"
    ):
        flaxact.threshold(X, None, 0.0)


def test_threshold_gradients_reach_the_replacement_value():
    x = jnp.array([-1.0, 0.5, 2.0])
    gx, gt, gv = jax.vmap(jax.grad(flaxact.threshold, argnums=(0, 1, 2)), in_axes=(0, None, None))(
        x, 0.5, 7.0
    )
    np.testing.assert_array_equal(gx, [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(gv, [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(gt, [0.0, 0.0, 0.0])
    # per-channel arguments broadcast
    out = flaxact.threshold(
        jnp.ones((2, 3)), jnp.array([0.0, 1.0, 2.0]), jnp.array([9.0, 8.0, 7.0])
    )
    np.testing.assert_array_equal(out, [[1.0, 8.0, 7.0]] * 2)


def test_input_not_mutated():
    x = np.asarray(X).copy()
    before = x.copy()
    for fn in (flaxact.squared_relu, flaxact.hard_shrink, flaxact.soft_shrink):
        fn(x)
    flaxact.threshold(x, 0.0, 0.0)
    np.testing.assert_array_equal(x, before)
