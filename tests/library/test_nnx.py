"""Flax NNX modules, and their parity with the linen modules given the same parameters."""

from __future__ import annotations

import inspect
import os
import pathlib
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx, serialization

import flaxact
import flaxact.linen
import flaxact.nnx
from flaxact_dev.flax_testing import (
    ACTIVATIONS,
    DTYPES,
    SLOPES,
    check_close_to_ref,
    check_documented_default,
    check_float32_close,
    default_text,
    documented_parameters,
    expected_dtype,
    ffn_ref,
    leaky_ref,
    sample,
    snake_ref,
    xielu_ref,
)

KEY = jax.random.key(0)


def save_restore(model: nnx.Module, fresh: nnx.Module) -> nnx.Module:
    """Round-trip ``model``'s state through msgpack bytes into ``fresh``."""
    _, state = nnx.split(model)
    blob = serialization.msgpack_serialize(serialization.to_state_dict(nnx.to_pure_dict(state)))
    restored = serialization.msgpack_restore(blob)
    graphdef, target = nnx.split(fresh)
    nnx.replace_by_pure_dict(target, restored)
    return nnx.merge(graphdef, target)


def test_lazy_submodule_import():
    code = (
        "import sys, flaxact; assert 'flaxact.nnx' not in sys.modules; "
        "m = flaxact.nnx; assert m.PReLU.__module__ == 'flaxact.nnx'; "
        "assert 'flax.nnx' in sys.modules"
    )
    root = pathlib.Path(flaxact.__file__).parent.parent
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=root)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        _ = flaxact.no_such_name


# ----------------------------------------------------------------------------- PReLU


@pytest.mark.parametrize("slope", SLOPES)
def test_prelu_value_matches_formula(slope):
    x = sample((257,), "float32")
    layer = flaxact.nnx.PReLU(slope)
    assert layer.negative_slope.shape == ()
    assert isinstance(layer.negative_slope, nnx.Param)
    check_close_to_ref(layer(x), leaky_ref(x, np.float32(slope)), jnp.dtype(jnp.float32))


@pytest.mark.parametrize("dtype", DTYPES)
def test_prelu_dtype_matrix(dtype):
    x = sample((4, 33), dtype)
    y = flaxact.nnx.PReLU(0.1)(jnp.asarray(x))
    assert y.dtype == expected_dtype(dtype)
    check_close_to_ref(y, leaky_ref(x.astype(np.float64), np.float32(0.1)), y.dtype)


def test_prelu_dtype_and_param_dtype():
    layer = flaxact.nnx.PReLU(0.5, param_dtype=jnp.bfloat16, dtype=jnp.float16)
    assert layer.negative_slope.dtype == jnp.bfloat16
    x = sample((16,), "float32")
    y = layer(x)
    assert y.dtype == jnp.float16
    check_close_to_ref(y, leaky_ref(x.astype(np.float16), 0.5), jnp.dtype(jnp.float16))


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_prelu_per_channel_and_linen_parity(axis):
    x = sample((3, 4, 5), "float32", seed=1)
    n = x.shape[axis]
    layer = flaxact.nnx.PReLU(0.01, num_features=n, axis=axis)
    assert layer.negative_slope.shape == (n,)
    slopes = jnp.linspace(-0.5, 0.5, n)
    layer.negative_slope[...] = slopes
    shape = [1, 1, 1]
    shape[axis] = n
    y = layer(x)
    check_close_to_ref(y, leaky_ref(x, np.asarray(slopes).reshape(shape)), jnp.dtype(jnp.float32))
    linen_y = flaxact.linen.PReLU(axis=axis).apply({"params": {"negative_slope": slopes}}, x)
    np.testing.assert_array_equal(np.asarray(y), np.asarray(linen_y))


@pytest.mark.parametrize("dtype", DTYPES)
def test_prelu_linen_parity_dtypes(dtype):
    x = jnp.asarray(sample((6, 7), dtype))
    layer = flaxact.nnx.PReLU(0.3)
    linen_y = flaxact.linen.PReLU().apply(
        {"params": {"negative_slope": layer.negative_slope[...]}}, x
    )
    y = layer(x)
    assert y.dtype == linen_y.dtype
    np.testing.assert_array_equal(np.asarray(y, np.float64), np.asarray(linen_y, np.float64))


def test_prelu_gradient_reaches_slope():
    layer = flaxact.nnx.PReLU(0.2, num_features=2)
    x = jnp.array([[-3.0, 1.0], [-1.0, -5.0], [0.0, 2.0]])
    grads = nnx.grad(lambda m: jnp.sum(m(x)))(layer)
    np.testing.assert_array_equal(np.asarray(grads.negative_slope[...]), [-4.0, -5.0])


def test_prelu_jit_and_training_step():
    layer = flaxact.nnx.PReLU(0.2, num_features=3)
    x = sample((5, 3), "float32")

    @nnx.jit
    def step(m, v):
        loss, grads = nnx.value_and_grad(lambda mm: jnp.sum(mm(v)))(m)
        m.negative_slope[...] = m.negative_slope[...] - 0.1 * grads.negative_slope[...]
        return loss

    eager = flaxact.nnx.PReLU(0.2, num_features=3)(x)
    np.testing.assert_array_equal(
        np.asarray(nnx.jit(lambda m, v: m(v))(layer, x)), np.asarray(eager)
    )
    step(layer, x)
    expected = 0.2 - 0.1 * np.minimum(x, 0).sum(axis=0)
    np.testing.assert_allclose(np.asarray(layer.negative_slope[...]), expected, rtol=1e-6)


def test_prelu_save_restore_round_trip():
    layer = flaxact.nnx.PReLU(0.2, num_features=4)
    layer.negative_slope[...] = jnp.array([0.1, -0.2, 0.3, 0.7])
    restored = save_restore(layer, flaxact.nnx.PReLU(num_features=4))
    np.testing.assert_array_equal(restored.negative_slope[...], layer.negative_slope[...])
    x = sample((3, 4), "float32")
    np.testing.assert_array_equal(np.asarray(restored(x)), np.asarray(layer(x)))


def test_prelu_takes_every_argument_of_flax_nnx_prelu():
    """A drop-in: every constructor argument of flax.nnx.PReLU is accepted by name."""
    theirs = set(inspect.signature(nnx.PReLU.__init__).parameters) - {"self"}
    assert theirs <= set(inspect.signature(flaxact.nnx.PReLU).parameters)


def test_prelu_negative_slope_metadata_reaches_the_parameter():
    layer = flaxact.nnx.PReLU(0.25, negative_slope_metadata={"tag": "slope"})
    flax_layer = nnx.PReLU(0.25, negative_slope_metadata={"tag": "slope"})
    assert layer.negative_slope.get_metadata()["tag"] == "slope"
    assert flax_layer.negative_slope.get_metadata()["tag"] == "slope"


def test_prelu_promote_dtype_is_used_where_dtype_is_set():
    calls = []

    def promote(args, *, dtype=None):
        calls.append((len(args), dtype))
        return tuple(jnp.asarray(a, dtype) for a in args)

    x = jnp.linspace(-3.0, 3.0, 7)
    layer = flaxact.nnx.PReLU(0.1, dtype=jnp.bfloat16, promote_dtype=promote)
    y = layer(x)
    assert calls == [(2, jnp.bfloat16)]
    assert y.dtype == jnp.bfloat16
    # with Flax's own promotion (both cast to bfloat16), Flax's result exactly
    flax_promote = nnx.nn.dtypes.promote_dtype
    ours = flaxact.nnx.PReLU(0.1, dtype=jnp.bfloat16, promote_dtype=flax_promote)(x)
    np.testing.assert_array_equal(
        np.asarray(ours), np.asarray(nnx.PReLU(0.1, dtype=jnp.bfloat16)(x))
    )
    # without dtype it is not called (the input keeps its dtype), as in Flax
    calls.clear()
    assert flaxact.nnx.PReLU(0.1, promote_dtype=promote)(x).dtype == jnp.float32
    assert calls == []
    # the default (None): the slope stays float32 and the bfloat16 product is rounded once
    default = flaxact.nnx.PReLU(0.1, dtype=jnp.bfloat16)(x)
    want = np.asarray(x, np.float32)
    want = np.where(want >= 0, want, np.float32(0.1) * want)
    np.testing.assert_array_equal(np.asarray(default), np.asarray(jnp.asarray(want, jnp.bfloat16)))


def test_prelu_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"flaxact\.nnx\.PReLU: argument 'inputs' has 3 channel\(s\) along axis -1 .* num_features=4",
    ):
        flaxact.nnx.PReLU(num_features=4)(jnp.ones((2, 3)))
    with pytest.raises(
        ValueError,
        match=r"flaxact\.nnx\.PReLU: argument 'num_features' must be a positive int; got 0",
    ):
        flaxact.nnx.PReLU(num_features=0)
    with pytest.raises(TypeError, match=r"argument 'axis' must be an int; got None"):
        flaxact.nnx.PReLU(num_features=2, axis=None)
    with pytest.raises(ValueError, match=r"flaxact\.nnx\.PReLU: argument 'axis'=3 is out of range"):
        flaxact.nnx.PReLU(num_features=2, axis=3)(jnp.ones((2, 2)))
    with pytest.raises(TypeError, match=r"argument 'negative_slope_init' must be a real number"):
        flaxact.nnx.PReLU("0.1")
    with pytest.raises(TypeError, match=r"argument 'param_dtype' must be a floating dtype"):
        flaxact.nnx.PReLU(param_dtype=jnp.int32)
    with pytest.raises(TypeError, match=r"flaxact\.nnx\.PReLU: argument 'inputs' has complex"):
        flaxact.nnx.PReLU()(jnp.ones(2, jnp.complex64))
    with pytest.raises(TypeError, match=r"flaxact\.nnx\.PReLU: argument 'promote_dtype' must be"):
        flaxact.nnx.PReLU(promote_dtype="float32")
    with pytest.raises(
        TypeError, match=r"flaxact\.nnx\.PReLU: argument 'negative_slope_metadata' must be a"
    ):
        flaxact.nnx.PReLU(negative_slope_metadata=[("tag", 1)])


# ----------------------------------------------------------------------------- LeakyReLU


@pytest.mark.parametrize("dtype", DTYPES)
def test_leaky_relu_value_dtype_and_linen_parity(dtype):
    x = jnp.asarray(sample((50,), dtype))
    y = flaxact.nnx.LeakyReLU(0.2)(x)
    assert y.dtype == expected_dtype(dtype)
    check_close_to_ref(y, leaky_ref(np.asarray(x, np.float64), np.float32(0.2)), y.dtype)
    np.testing.assert_array_equal(
        np.asarray(y, np.float64), np.asarray(flaxact.linen.LeakyReLU(0.2)(x), np.float64)
    )


def test_leaky_relu_no_params_default_and_jit():
    layer = flaxact.nnx.LeakyReLU()
    assert layer.negative_slope == 0.01
    assert jax.tree.leaves(nnx.state(layer, nnx.Param)) == []
    x = sample((9,), "float32")
    np.testing.assert_array_equal(
        np.asarray(nnx.jit(lambda m, v: m(v))(layer, x)), np.asarray(layer(x))
    )
    assert float(jax.grad(lambda v: layer(v))(0.0)) == 1.0


def test_leaky_relu_bad_slope():
    with pytest.raises(
        TypeError, match=r"flaxact\.nnx\.LeakyReLU: argument 'negative_slope' must be a real number"
    ):
        flaxact.nnx.LeakyReLU("0.1")
    with pytest.raises(
        ValueError, match=r"flaxact\.nnx\.LeakyReLU: argument 'negative_slope' must be finite"
    ):
        flaxact.nnx.LeakyReLU(float("nan"))


# ----------------------------------------------------------------------------- GatedFeedForward


def linen_params_of(block: flaxact.nnx.GatedFeedForward) -> dict:
    """The nnx block's parameters in linen's layout."""
    return {"params": nnx.to_pure_dict(nnx.state(block, nnx.Param))}


@pytest.mark.parametrize("variant", list(ACTIVATIONS))
@pytest.mark.parametrize("use_bias", [False, True])
def test_gated_ffn_formula_and_linen_parity(variant, use_bias):
    fname, act64 = ACTIVATIONS[variant]
    act = getattr(flaxact, fname)
    block = flaxact.nnx.GatedFeedForward(
        8,
        16,
        activation=act,
        use_bias=use_bias,
        bias_init=nnx.initializers.normal(0.5),
        rngs=nnx.Rngs(0),
    )
    x = jax.random.normal(jax.random.key(3), (2, 5, 8))
    with jax.default_matmul_precision("highest"):  # no TF32 on GPU for the comparison
        y = block(x)
    variables = linen_params_of(block)
    np.testing.assert_allclose(
        np.asarray(y), ffn_ref(x, variables["params"], act64, use_bias), rtol=2e-5, atol=2e-5
    )
    linen_block = flaxact.linen.GatedFeedForward(16, activation=act, use_bias=use_bias)
    assert jax.tree.map(jnp.shape, linen_block.init(KEY, x)) == jax.tree.map(jnp.shape, variables)
    with jax.default_matmul_precision("highest"):
        linen_y = linen_block.apply(variables, x)
    np.testing.assert_array_equal(np.asarray(linen_y), np.asarray(y))


def test_gated_ffn_layout_and_out_features():
    block = flaxact.nnx.GatedFeedForward(5, 6, 3, use_bias=True, rngs=nnx.Rngs(0))
    shapes = jax.tree.map(jnp.shape, linen_params_of(block)["params"])
    assert shapes == {
        "W": {"kernel": (5, 6), "bias": (6,)},
        "V": {"kernel": (5, 6), "bias": (6,)},
        "W2": {"kernel": (6, 3), "bias": (3,)},
    }
    assert isinstance(block.W.kernel, nnx.Param)
    assert block(jnp.ones((4, 5))).shape == (4, 3)
    assert flaxact.nnx.GatedFeedForward(5, 6, rngs=nnx.Rngs(0))(jnp.ones((4, 5))).shape == (4, 5)
    assert flaxact.nnx.GatedFeedForward(5, 6, rngs=nnx.Rngs(0)).activation is flaxact.silu


@pytest.mark.parametrize("dtype", DTYPES)
def test_gated_ffn_dtype_matrix_and_parity(dtype):
    block = flaxact.nnx.GatedFeedForward(4, 8, rngs=nnx.Rngs(1))
    x = jnp.asarray(sample((3, 4), dtype))
    y = block(x)
    assert y.dtype == expected_dtype(dtype)
    linen_y = flaxact.linen.GatedFeedForward(8).apply(linen_params_of(block), x)
    assert linen_y.dtype == y.dtype
    np.testing.assert_array_equal(np.asarray(y, np.float64), np.asarray(linen_y, np.float64))


def test_gated_ffn_dtype_and_param_dtype():
    block = flaxact.nnx.GatedFeedForward(
        4, 8, dtype=jnp.bfloat16, param_dtype=jnp.float16, rngs=nnx.Rngs(0)
    )
    assert block.W.kernel.dtype == jnp.float16
    assert block(jnp.ones((2, 4))).dtype == jnp.bfloat16


def test_gated_ffn_gradient_jit_and_save_restore():
    block = flaxact.nnx.GatedFeedForward(4, 8, use_bias=True, rngs=nnx.Rngs(0))
    x = jax.random.normal(jax.random.key(2), (3, 4))
    grads = nnx.grad(lambda m: jnp.sum(m(x) ** 2))(block)
    for leaf in jax.tree.leaves(grads):
        assert np.all(np.isfinite(leaf))
        assert np.any(np.asarray(leaf) != 0)
    y = block(x)
    np.testing.assert_allclose(
        np.asarray(nnx.jit(lambda m, v: m(v))(block, x)), np.asarray(y), rtol=1e-6, atol=1e-6
    )
    fresh = flaxact.nnx.GatedFeedForward(4, 8, use_bias=True, rngs=nnx.Rngs(7))
    assert not np.array_equal(fresh.W.kernel[...], block.W.kernel[...])
    restored = save_restore(block, fresh)
    np.testing.assert_array_equal(np.asarray(restored(x)), np.asarray(y))


def test_gated_ffn_bad_arguments():
    rngs = nnx.Rngs(0)
    with pytest.raises(
        ValueError,
        match=r"flaxact\.nnx\.GatedFeedForward: argument 'hidden_features' must be a positive int; got 0",
    ):
        flaxact.nnx.GatedFeedForward(4, 0, rngs=rngs)
    with pytest.raises(ValueError, match=r"argument 'in_features' must be a positive int; got -1"):
        flaxact.nnx.GatedFeedForward(-1, 4, rngs=rngs)
    with pytest.raises(ValueError, match=r"argument 'out_features' must be a positive int; got 0"):
        flaxact.nnx.GatedFeedForward(4, 4, 0, rngs=rngs)
    with pytest.raises(TypeError, match=r"argument 'activation' must be callable"):
        flaxact.nnx.GatedFeedForward(4, 4, activation=None, rngs=rngs)
    block = flaxact.nnx.GatedFeedForward(4, 4, rngs=rngs)
    with pytest.raises(
        ValueError,
        match=r"argument 'inputs' must have in_features=4 on its last axis; got shape \(2, 3\)",
    ):
        block(jnp.ones((2, 3)))
    with pytest.raises(
        TypeError, match=r"flaxact\.nnx\.GatedFeedForward: argument 'inputs' has complex"
    ):
        block(jnp.ones((2, 4), jnp.complex64))


# ----------------------------------------------------------------------------- XIELU


def test_xielu_initial_parameters_and_linen_parity():
    layer = flaxact.nnx.XIELU()
    assert isinstance(layer.alpha_p, nnx.Param)
    assert layer.alpha_p.shape == ()
    assert float(flaxact.softplus(layer.alpha_p[...])) == pytest.approx(0.8, rel=2**-23)
    assert 0.5 + float(flaxact.softplus(layer.alpha_n[...])) == pytest.approx(0.8, rel=2**-23)
    x = jnp.asarray(sample((200,), "float32"))
    linen_params = flaxact.linen.XIELU().init(KEY, x)["params"]
    np.testing.assert_array_equal(layer.alpha_p[...], linen_params["alpha_p"])
    np.testing.assert_array_equal(layer.alpha_n[...], linen_params["alpha_n"])
    layer.alpha_p[...], layer.alpha_n[...] = jnp.float32(1.2), jnp.float32(-0.7)
    y = layer(x)
    check_float32_close(y, xielu_ref(x, 1.2, -0.7))
    linen_y = flaxact.linen.XIELU().apply(
        {"params": {"alpha_p": jnp.float32(1.2), "alpha_n": jnp.float32(-0.7)}}, x
    )
    np.testing.assert_array_equal(np.asarray(y), np.asarray(linen_y))


@pytest.mark.parametrize("dtype", DTYPES)
def test_xielu_dtype_matrix_and_linen_parity(dtype):
    x = jnp.asarray(sample((6, 7), dtype))
    layer = flaxact.nnx.XIELU(1.1, 0.9, beta=0.3, eps=-1e-5)
    y = layer(x)
    assert y.dtype == expected_dtype(dtype)
    params = {"alpha_p": layer.alpha_p[...], "alpha_n": layer.alpha_n[...]}
    linen_y = flaxact.linen.XIELU(beta=0.3, eps=-1e-5).apply({"params": params}, x)
    np.testing.assert_array_equal(np.asarray(y, np.float64), np.asarray(linen_y, np.float64))


def test_xielu_gradient_jit_and_training_step():
    layer = flaxact.nnx.XIELU(param_dtype=jnp.float32)
    x = jnp.array([-3.0, -1.0, -0.25, 0.5, 2.0])
    grads = nnx.grad(lambda m: jnp.sum(m(x)))(layer)
    sig = lambda a: 1 / (1 + np.exp(-float(a)))  # noqa: E731
    x64 = np.asarray(x, np.float64)
    want_p = sig(layer.alpha_p[...]) * np.sum(np.maximum(x64, 0) ** 2)
    want_n = sig(layer.alpha_n[...]) * np.sum(np.where(x64 > 0, 0, np.expm1(x64) - x64))
    assert float(grads.alpha_p[...]) == pytest.approx(want_p, rel=1e-6)
    assert float(grads.alpha_n[...]) == pytest.approx(want_n, rel=1e-6)

    @nnx.jit
    def step(m, v):
        loss, g = nnx.value_and_grad(lambda mm: jnp.sum(mm(v)))(m)
        m.alpha_p[...] = m.alpha_p[...] - 0.1 * g.alpha_p[...]
        m.alpha_n[...] = m.alpha_n[...] - 0.1 * g.alpha_n[...]
        return loss

    before = (float(layer.alpha_p[...]), float(layer.alpha_n[...]))
    np.testing.assert_array_equal(
        np.asarray(nnx.jit(lambda m, v: m(v))(layer, x)), np.asarray(layer(x))
    )
    step(layer, x)
    assert float(layer.alpha_p[...]) == pytest.approx(before[0] - 0.1 * want_p, rel=1e-5)
    assert float(layer.alpha_n[...]) == pytest.approx(before[1] - 0.1 * want_n, rel=1e-5)


def test_xielu_bad_arguments():
    with pytest.raises(
        ValueError, match=r"flaxact\.nnx\.XIELU: argument 'alpha_p_init' must be > 0"
    ):
        flaxact.nnx.XIELU(-0.1)
    with pytest.raises(
        ValueError, match=r"flaxact\.nnx\.XIELU: argument 'alpha_n_init' must be > beta"
    ):
        flaxact.nnx.XIELU(0.8, 0.2)
    with pytest.raises(ValueError, match=r"flaxact\.nnx\.XIELU: argument 'eps' must be <= 0"):
        flaxact.nnx.XIELU(eps=0.5)
    with pytest.raises(TypeError, match=r"argument 'param_dtype' must be a floating dtype"):
        flaxact.nnx.XIELU(param_dtype=jnp.int8)
    with pytest.raises(TypeError, match=r"flaxact\.nnx\.XIELU: argument 'inputs' has complex"):
        flaxact.nnx.XIELU()(jnp.ones(2, jnp.complex64))


# ----------------------------------------------------------------------------- Snake


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_snake_per_channel_and_linen_parity(axis):
    x = sample((3, 4, 5), "float32", seed=1)
    n = x.shape[axis]
    layer = flaxact.nnx.Snake(n, axis=axis)
    assert isinstance(layer.alpha, nnx.Param)
    np.testing.assert_array_equal(layer.alpha[...], np.ones(n, np.float32))
    alpha = jnp.linspace(-1.0, 2.0, n).at[0].set(0.0)
    layer.alpha[...] = alpha
    shape = [1, 1, 1]
    shape[axis] = n
    y = layer(x)
    check_float32_close(y, snake_ref(x, np.asarray(alpha).reshape(shape)))
    linen_y = flaxact.linen.Snake(axis=axis).apply({"params": {"alpha": alpha}}, x)
    np.testing.assert_array_equal(np.asarray(y), np.asarray(linen_y))


@pytest.mark.parametrize("dtype", DTYPES)
def test_snake_dtype_matrix_and_scalar_alpha(dtype):
    x = jnp.asarray(sample((6, 7), dtype))
    layer = flaxact.nnx.Snake(None, 0.6)
    assert layer.alpha.shape == ()
    y = layer(x)
    assert y.dtype == expected_dtype(dtype)
    linen_y = flaxact.linen.Snake(axis=None).apply({"params": {"alpha": layer.alpha[...]}}, x)
    np.testing.assert_array_equal(np.asarray(y, np.float64), np.asarray(linen_y, np.float64))
    ref = snake_ref(np.asarray(x, np.float64), np.float32(0.6))
    if y.dtype == jnp.float32:
        check_float32_close(y, ref)
    else:
        check_close_to_ref(y, ref, y.dtype)


def test_snake_gradient_jit_and_save_restore():
    layer = flaxact.nnx.Snake(2, 0.0)
    x = jnp.array([[-2.0, 3.0], [0.5, -1.0]])
    grads = nnx.grad(lambda m: jnp.sum(m(x)))(layer)
    np.testing.assert_allclose(np.asarray(grads.alpha[...]), [4.25, 10.0])  # x^2 at alpha = 0
    np.testing.assert_array_equal(np.asarray(nnx.jit(lambda m, v: m(v))(layer, x)), np.asarray(x))
    layer.alpha[...] = jnp.array([0.3, -1.7])
    restored = save_restore(layer, flaxact.nnx.Snake(2))
    np.testing.assert_array_equal(restored.alpha[...], layer.alpha[...])
    np.testing.assert_array_equal(np.asarray(restored(x)), np.asarray(layer(x)))


def test_snake_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"flaxact\.nnx\.Snake: argument 'inputs' has 3 channel\(s\) along axis -1 .* num_features=4",
    ):
        flaxact.nnx.Snake(4)(jnp.ones((2, 3)))
    with pytest.raises(
        ValueError, match=r"flaxact\.nnx\.Snake: argument 'num_features' must be a positive int"
    ):
        flaxact.nnx.Snake(0)
    with pytest.raises(TypeError, match=r"argument 'axis' must be an int; got None"):
        flaxact.nnx.Snake(2, axis=None)
    with pytest.raises(ValueError, match=r"argument 'alpha_init' must be finite"):
        flaxact.nnx.Snake(2, float("inf"))
    with pytest.raises(TypeError, match=r"flaxact\.nnx\.Snake: argument 'inputs' has complex"):
        flaxact.nnx.Snake(None)(jnp.ones(2, jnp.complex64))


# ----------------------------------------------------------------------------- one definition, NNX's classes

#: Each class's constructor signature (``inspect.signature`` of the class).
SIGNATURES = {
    "PReLU": "(negative_slope_init=0.01, *, num_features=None, axis=-1, dtype=None, "
    "param_dtype=float32, promote_dtype=None, negative_slope_metadata=None, rngs=None)",
    "LeakyReLU": "(negative_slope=0.01)",
    "GatedFeedForward": "(in_features, hidden_features, out_features=None, *, activation=silu, "
    "use_bias=False, dtype=None, param_dtype=float32, kernel_init=init, bias_init=zeros, rngs)",
    "XIELU": "(alpha_p_init=0.8, alpha_n_init=0.8, *, beta=0.5, eps=-1e-06, dtype=None, "
    "param_dtype=float32, rngs=None)",
    "Snake": "(num_features, alpha_init=1.0, *, axis=-1, dtype=None, param_dtype=float32, "
    "rngs=None)",
}


def signature_text(cls):
    sig = inspect.signature(cls).replace(return_annotation=inspect.Signature.empty)
    params = [
        p.replace(annotation=p.empty, default=default_text(p.default))
        if p.default is not p.empty
        else p.replace(annotation=p.empty)
        for p in sig.parameters.values()
    ]
    return str(sig.replace(parameters=params)).replace("'", "")


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_modules_keep_their_constructor_signatures(name):
    cls = getattr(flaxact.nnx, name)
    assert issubclass(cls, nnx.Module)
    assert cls.__module__ == "flaxact.nnx"
    assert signature_text(cls) == SIGNATURES[name]
    assert str(inspect.signature(cls)) == str(inspect.signature(cls.__init__)).replace(
        "(self, ", "("
    )


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_docstring_documents_the_signature_in_order_with_its_defaults(name):
    cls = getattr(flaxact.nnx, name)
    doc = inspect.getdoc(cls)
    heads = documented_parameters(cls)
    params = list(inspect.signature(cls).parameters.values())
    assert [h.split(" : ")[0] for h in heads] == [p.name for p in params]
    for head, p in zip(heads, params, strict=True):
        check_documented_default(head, p)
    assert f"flaxact.linen.{name} : The Flax linen version." in doc
    assert "flaxact.nnx." in doc.split("Examples\n--------\n")[1]  # NNX's own examples
    linen_doc = inspect.getdoc(getattr(flaxact.linen, name))
    assert doc.split("\n\n")[0] == linen_doc.split("\n\n")[0]  # one summary
    assert (
        doc.split("Notes\n-----\n")[1].split("Examples")[0]
        == (linen_doc.split("Notes\n-----\n")[1].split("Examples")[0])
    )


@pytest.mark.parametrize("name", ["PReLU", "LeakyReLU", "XIELU", "Snake"])
def test_shared_arguments_have_the_same_defaults_in_both_apis(name):
    ours = inspect.signature(getattr(flaxact.nnx, name)).parameters
    linen = inspect.signature(getattr(flaxact.linen, name)).parameters
    differ = {"axis"}  # linen: None or -1 (one value, or per channel); NNX: num_features
    for arg in set(ours) & set(linen) - differ:
        assert ours[arg].default == linen[arg].default, arg


def test_attributes_kept_and_state_through_split_merge():
    layer = flaxact.nnx.XIELU(1.0, 0.9, beta=np.float32(0.25), eps=-1e-4)
    assert (type(layer.beta), layer.beta, layer.eps) == (float, 0.25, -1e-4)
    assert not hasattr(layer, "alpha_p_init")  # the parameters hold the initial values
    graphdef, state = nnx.split(layer)
    assert set(nnx.to_pure_dict(state)) == {"alpha_p", "alpha_n"}
    merged = nnx.merge(graphdef, state)
    x = sample((9,), "float32")
    np.testing.assert_array_equal(np.asarray(merged(x)), np.asarray(layer(x)))
    snake = flaxact.nnx.Snake(np.int64(3), axis=np.int32(0))
    assert (snake.num_features, type(snake.axis), snake.axis) == (3, int, 0)
    block = flaxact.nnx.GatedFeedForward(3, 4, 2, rngs=nnx.Rngs(0))
    assert (block.in_features, block.hidden_features, block.out_features) == (3, 4, 2)
    assert not hasattr(block, "kernel_init")


@pytest.mark.parametrize(
    "make",
    [
        lambda: flaxact.nnx.PReLU(0.2, num_features=3),
        lambda: flaxact.nnx.Snake(3, 0.5),
        lambda: flaxact.nnx.XIELU(),
        lambda: flaxact.nnx.GatedFeedForward(3, 4, rngs=nnx.Rngs(0)),
    ],
)
def test_an_optimizer_trains_the_parameters(make):
    model = make()
    optimizer = nnx.Optimizer(model, optax.sgd(1e-3), wrt=nnx.Param)
    x = sample((5, 3), "float32")
    before = jax.tree.map(np.asarray, nnx.to_pure_dict(nnx.state(model, nnx.Param)))

    @nnx.jit
    def step(m, opt):
        loss, grads = nnx.value_and_grad(lambda mm: jnp.mean(mm(x) ** 2))(m)
        opt.update(m, grads)
        return loss

    first = step(model, optimizer)
    after = nnx.to_pure_dict(nnx.state(model, nnx.Param))
    changed = jax.tree.map(lambda a, b: not np.array_equal(a, np.asarray(b)), before, after)
    assert all(jax.tree.leaves(changed))
    assert float(step(model, optimizer)) < float(first)
