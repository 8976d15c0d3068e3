"""Flax linen modules: PReLU, LeakyReLU, GatedFeedForward, XIELU, Snake.

References are the formulas evaluated in numpy float64 from the same parameters.
"""

from __future__ import annotations

import dataclasses
import inspect
import types

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import serialization

import flaxact
import flaxact.linen
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
from flaxact_dev.testing import ulp_error

KEY = jax.random.key(0)


# ----------------------------------------------------------------------------- PReLU


def test_seed_001_prelu_helper_runs_unchanged():
    # The helper of seed 001, verbatim, with `nn.PReLU` resolving to flaxact.PReLU.
    nn = types.SimpleNamespace(PReLU=flaxact.PReLU)
    key = jax.random.PRNGKey(123)

    def prelu(alpha=0.01):
        prelu = nn.PReLU(param_dtype=jnp.float32, negative_slope_init=alpha)

        def call(x):
            variables = prelu.init(key, x)
            return prelu.apply(variables, x)

        return call

    x = np.linspace(-10, 10, 100, dtype=np.float32)
    alphas = [-1.0, -0.1, -0.01, 0.01, 0.1, 1.0]
    for alpha in alphas:
        y = prelu(alpha)(x)
        assert y.dtype == jnp.float32
        assert y.shape == x.shape
        # the float32 slope times x, rounded once, is the float64 formula rounded to float32
        ref = leaky_ref(x, np.float32(alpha)).astype(np.float32)
        np.testing.assert_array_equal(np.asarray(y), ref)
        np.testing.assert_allclose(np.asarray(y), leaky_ref(x, alpha), rtol=2e-7, atol=0)


def test_seed_001_leaky_relu_called_unbound():
    x = np.linspace(-10, 10, 100, dtype=np.float32)
    y = flaxact.LeakyReLU()(x)
    np.testing.assert_array_equal(np.asarray(y), leaky_ref(x, np.float32(0.01)).astype(np.float32))


def test_prelu_matches_flax_api_and_param_tree():
    x = jnp.linspace(-3.0, 3.0, 7)
    ours = flaxact.PReLU(jnp.float32, 0.3).init(KEY, x)  # positional order as Flax
    theirs = nn.PReLU(jnp.float32, 0.3).init(KEY, x)
    assert jax.tree.structure(ours) == jax.tree.structure(theirs)
    assert ours["params"]["negative_slope"].shape == ()
    assert ours["params"]["negative_slope"].dtype == jnp.float32
    np.testing.assert_array_equal(
        ours["params"]["negative_slope"], theirs["params"]["negative_slope"]
    )
    np.testing.assert_array_equal(flaxact.PReLU().apply(theirs, x), nn.PReLU().apply(theirs, x))
    assert flaxact.PReLU is flaxact.linen.PReLU


@pytest.mark.parametrize("slope", SLOPES)
def test_prelu_value_matches_formula(slope):
    x = sample((257,), "float32")
    layer = flaxact.PReLU(negative_slope_init=slope)
    variables = layer.init(KEY, x)
    assert float(variables["params"]["negative_slope"]) == np.float32(slope)
    y = layer.apply(variables, x)
    check_close_to_ref(y, leaky_ref(x, np.float32(slope)), jnp.dtype(jnp.float32))


@pytest.mark.parametrize("dtype", DTYPES)
def test_prelu_dtype_matrix(dtype):
    x = sample((4, 33), dtype)
    layer = flaxact.PReLU(negative_slope_init=0.1)
    variables = layer.init(KEY, jnp.asarray(x))
    y = layer.apply(variables, jnp.asarray(x))
    assert y.dtype == expected_dtype(dtype)
    ref = leaky_ref(x.astype(np.float64), np.float32(0.1))
    check_close_to_ref(y, ref, y.dtype)
    assert variables["params"]["negative_slope"].dtype == jnp.float32


def test_prelu_integer_input_is_not_truncated_like_flax():
    x = jnp.array([-40, -3, 0, 5], jnp.int32)
    y = flaxact.PReLU(negative_slope_init=0.25).apply(
        {"params": {"negative_slope": jnp.float32(0.25)}}, x
    )
    np.testing.assert_array_equal(np.asarray(y), [-10.0, -0.75, 0.0, 5.0])


def test_prelu_half_precision_uses_unrounded_slope():
    # 0.3 is not a bfloat16 value; the product is rounded once from float32.
    x = jnp.asarray(np.arange(-64, 0, dtype=np.float32), jnp.bfloat16)
    variables = {"params": {"negative_slope": jnp.float32(0.3)}}
    y = flaxact.PReLU().apply(variables, x)
    assert y.dtype == jnp.bfloat16
    ref = np.float64(np.float32(0.3)) * np.asarray(x, np.float64)
    err, _ = ulp_error(np.asarray(y, np.float64), ref, "bfloat16")
    assert float(err.max()) <= 0.5 + 1e-9


def test_prelu_param_dtype_and_dtype_fields():
    x = sample((16,), "float32")
    layer = flaxact.PReLU(param_dtype=jnp.bfloat16, negative_slope_init=0.5, dtype=jnp.float16)
    variables = layer.init(KEY, x)
    assert variables["params"]["negative_slope"].dtype == jnp.bfloat16
    y = layer.apply(variables, x)
    assert y.dtype == jnp.float16
    check_close_to_ref(y, leaky_ref(x.astype(np.float16), 0.5), jnp.dtype(jnp.float16))


def test_prelu_gradient_reaches_slope():
    x = jnp.array([-3.0, -1.0, 0.0, 2.0])
    layer = flaxact.PReLU(negative_slope_init=0.2)
    variables = layer.init(KEY, x)

    def loss(params):
        return jnp.sum(layer.apply({"params": params}, x))

    grads = jax.grad(loss)(variables["params"])
    # d/da sum(where(x >= 0, x, a x)) = sum of the negative inputs
    assert float(grads["negative_slope"]) == -4.0
    gx = jax.grad(lambda v: jnp.sum(layer.apply(variables, v)))(x)
    np.testing.assert_array_equal(np.asarray(gx), np.float32([0.2, 0.2, 1.0, 1.0]))


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_prelu_per_channel_axis(axis):
    x = sample((3, 4, 5), "float32", seed=1)
    layer = flaxact.PReLU(negative_slope_init=0.01, axis=axis)
    variables = layer.init(KEY, x)
    n = x.shape[axis]
    assert variables["params"]["negative_slope"].shape == (n,)
    np.testing.assert_array_equal(
        variables["params"]["negative_slope"], np.full(n, 0.01, np.float32)
    )
    slopes = np.linspace(-0.5, 0.5, n).astype(np.float32)
    y = layer.apply({"params": {"negative_slope": jnp.asarray(slopes)}}, x)
    shape = [1, 1, 1]
    shape[axis] = n
    ref = leaky_ref(x, slopes.reshape(shape))
    check_close_to_ref(y, ref, jnp.dtype(jnp.float32))
    # gradient per channel: the sum of that channel's negative inputs
    g = jax.grad(lambda s: jnp.sum(layer.apply({"params": {"negative_slope": s}}, x)))(
        jnp.asarray(slopes)
    )
    other = tuple(a for a in range(3) if a != axis % 3)
    np.testing.assert_allclose(np.asarray(g), np.minimum(x, 0).sum(axis=other), rtol=1e-6)


def test_prelu_per_channel_channels_first_like_pytorch():
    # PyTorch's nn.PReLU(num_parameters=C) puts the slopes on dimension 1 of NCHW input.
    x = -np.ones((2, 3, 2, 2), np.float32)
    slopes = jnp.array([0.25, 0.5, 0.75])
    y = flaxact.PReLU(axis=1).apply({"params": {"negative_slope": slopes}}, x)
    np.testing.assert_array_equal(np.asarray(y[0, :, 0, 0]), [-0.25, -0.5, -0.75])
    np.testing.assert_array_equal(np.asarray(y[1, 2]), np.full((2, 2), -0.75, np.float32))


@pytest.mark.parametrize("axis", [None, -1])
def test_prelu_jit(axis):
    x = sample((6, 8), "float32")
    layer = flaxact.PReLU(negative_slope_init=0.2, axis=axis)
    variables = jax.jit(layer.init)(KEY, x)
    np.testing.assert_array_equal(
        np.asarray(jax.jit(layer.apply)(variables, x)), np.asarray(layer.apply(variables, x))
    )


def test_prelu_save_restore_round_trip():
    x = sample((5, 6), "float32")
    layer = flaxact.PReLU(axis=-1)
    variables = layer.init(KEY, x)
    trained = jax.tree.map(
        lambda p: p + jnp.arange(p.size, dtype=p.dtype).reshape(p.shape), variables
    )
    blob = serialization.to_bytes(trained)
    restored = serialization.from_bytes(layer.init(jax.random.key(1), x), blob)
    np.testing.assert_array_equal(
        restored["params"]["negative_slope"], trained["params"]["negative_slope"]
    )
    np.testing.assert_array_equal(layer.apply(restored, x), layer.apply(trained, x))


def test_prelu_inside_a_model():
    class MLP(nn.Module):
        @nn.compact
        def __call__(self, x):
            x = nn.Dense(4)(x)
            x = flaxact.PReLU(axis=-1)(x)
            return nn.Dense(1)(x)

    x = jnp.ones((2, 3))
    variables = MLP().init(KEY, x)
    assert variables["params"]["PReLU_0"]["negative_slope"].shape == (4,)
    grads = jax.grad(lambda p: jnp.sum(MLP().apply({"params": p}, x) ** 2))(variables["params"])
    assert jax.tree.structure(grads) == jax.tree.structure(variables["params"])


def test_prelu_bad_arguments():
    x = jnp.ones((2, 3))
    with pytest.raises(TypeError, match=r"flaxact\.linen\.PReLU: argument 'inputs' has complex"):
        flaxact.PReLU().init(KEY, jnp.ones(3, jnp.complex64))
    with pytest.raises(
        ValueError, match=r"flaxact\.linen\.PReLU: argument 'axis'=2 is out of range"
    ):
        flaxact.PReLU(axis=2).init(KEY, x)
    with pytest.raises(ValueError, match=r"argument 'axis'=0 is out of range .* 0 dimension"):
        flaxact.PReLU(axis=0).init(KEY, jnp.float32(1.0))
    with pytest.raises(
        TypeError, match=r"flaxact\.linen\.PReLU: argument 'axis' must be an int or None"
    ):
        flaxact.PReLU(axis=1.0)
    with pytest.raises(TypeError, match=r"argument 'axis' must be an int or None; got True"):
        flaxact.PReLU(axis=True)
    with pytest.raises(TypeError, match=r"argument 'negative_slope_init' must be a real number"):
        flaxact.PReLU(negative_slope_init="0.1")
    with pytest.raises(TypeError, match=r"argument 'negative_slope_init' must be a real number"):
        flaxact.PReLU(negative_slope_init=[0.1, 0.2])
    with pytest.raises(ValueError, match=r"argument 'negative_slope_init' must be finite; got nan"):
        flaxact.PReLU(negative_slope_init=float("nan"))
    with pytest.raises(
        TypeError, match=r"argument 'param_dtype' must be a floating dtype .* got int32"
    ):
        flaxact.PReLU(param_dtype=jnp.int32)
    with pytest.raises(TypeError, match=r"argument 'dtype' must be a floating dtype"):
        flaxact.PReLU(dtype="int8")


def test_prelu_does_not_mutate_input():
    x = np.array([-1.0, 2.0], np.float32)
    flaxact.PReLU().init_with_output(KEY, x)
    np.testing.assert_array_equal(x, [-1.0, 2.0])


# ----------------------------------------------------------------------------- LeakyReLU


@pytest.mark.parametrize("slope", SLOPES)
def test_leaky_relu_value_matches_formula(slope):
    x = sample((257,), "float32")
    y = flaxact.LeakyReLU(negative_slope=slope)(x)
    check_close_to_ref(y, leaky_ref(x, np.float32(slope)), jnp.dtype(jnp.float32))


@pytest.mark.parametrize("dtype", DTYPES)
def test_leaky_relu_dtype_matrix(dtype):
    x = sample((50,), dtype)
    y = flaxact.LeakyReLU(0.2)(jnp.asarray(x))
    assert y.dtype == expected_dtype(dtype)
    check_close_to_ref(y, leaky_ref(x.astype(np.float64), np.float32(0.2)), y.dtype)


def test_leaky_relu_has_no_params_and_jits():
    x = sample((10,), "float32")
    layer = flaxact.LeakyReLU(0.3)
    variables = layer.init(KEY, x)
    assert jax.tree.leaves(variables) == []
    np.testing.assert_array_equal(
        np.asarray(jax.jit(layer.apply)(variables, x)), np.asarray(layer(x))
    )
    np.testing.assert_array_equal(np.asarray(jax.jit(layer.__call__)(x)), np.asarray(layer(x)))
    grad0 = jax.grad(lambda v: layer(v))(0.0)
    assert float(grad0) == 1.0
    assert float(jax.grad(lambda v: layer(v))(-2.0)) == np.float32(0.3)


def test_leaky_relu_default_slope_is_001():
    assert flaxact.LeakyReLU().negative_slope == 0.01
    assert float(flaxact.LeakyReLU()(jnp.float32(-100.0))) == np.float32(-100.0) * np.float32(0.01)


def test_leaky_relu_bad_slope():
    with pytest.raises(
        TypeError, match=r"flaxact\.linen\.LeakyReLU: argument 'negative_slope' must be a real"
    ):
        flaxact.LeakyReLU(negative_slope="0.1")
    with pytest.raises(
        TypeError, match=r"argument 'negative_slope' must be a real number; got bool"
    ):
        flaxact.LeakyReLU(negative_slope=True)
    with pytest.raises(TypeError, match=r"argument 'negative_slope' must be a real number"):
        flaxact.LeakyReLU(negative_slope=1j)
    with pytest.raises(ValueError, match=r"argument 'negative_slope' must be finite; got inf"):
        flaxact.LeakyReLU(negative_slope=float("inf"))
    with pytest.raises(
        TypeError, match=r"flaxact\.linen\.LeakyReLU: argument 'inputs' has complex"
    ):
        flaxact.LeakyReLU()(jnp.ones(2, jnp.complex64))
    # a 0-d real array is a real number
    y = flaxact.LeakyReLU(negative_slope=np.float32(0.5))(jnp.array([-2.0]))
    np.testing.assert_array_equal(np.asarray(y), [-1.0])


# ----------------------------------------------------------------------------- GatedFeedForward


@pytest.mark.parametrize("variant", list(ACTIVATIONS))
@pytest.mark.parametrize("use_bias", [False, True])
def test_gated_ffn_matches_formula(variant, use_bias):
    fname, act64 = ACTIVATIONS[variant]
    block = flaxact.GatedFeedForward(
        hidden_features=16,
        activation=getattr(flaxact, fname),
        use_bias=use_bias,
        bias_init=nn.initializers.normal(0.5),
    )
    x = jax.random.normal(jax.random.key(3), (2, 5, 8))
    variables = block.init(KEY, x)
    with jax.default_matmul_precision("highest"):  # no TF32 on GPU for the comparison
        y = block.apply(variables, x)
    assert y.shape == (2, 5, 8)
    assert y.dtype == jnp.float32
    np.testing.assert_allclose(
        np.asarray(y), ffn_ref(x, variables["params"], act64, use_bias), rtol=2e-5, atol=2e-5
    )


def test_gated_ffn_param_layout_and_out_features():
    block = flaxact.GatedFeedForward(hidden_features=6, out_features=3, use_bias=True)
    variables = block.init(KEY, jnp.ones((4, 5)))
    shapes = jax.tree.map(jnp.shape, variables["params"])
    assert shapes == {
        "W": {"kernel": (5, 6), "bias": (6,)},
        "V": {"kernel": (5, 6), "bias": (6,)},
        "W2": {"kernel": (6, 3), "bias": (3,)},
    }
    # W and V are independently initialised
    assert not np.array_equal(
        variables["params"]["W"]["kernel"], variables["params"]["V"]["kernel"]
    )
    assert block.apply(variables, jnp.ones((4, 5))).shape == (4, 3)


def test_gated_ffn_default_activation_is_silu():
    assert flaxact.GatedFeedForward(4).activation is flaxact.silu


def test_gated_ffn_gradient_reaches_every_kernel():
    block = flaxact.GatedFeedForward(hidden_features=8, use_bias=True)
    x = jax.random.normal(jax.random.key(1), (3, 4))
    variables = block.init(KEY, x)
    grads = jax.grad(lambda p: jnp.sum(block.apply({"params": p}, x) ** 2))(variables["params"])
    for name in ("W", "V", "W2"):
        for leaf in ("kernel", "bias"):
            g = np.asarray(grads[name][leaf])
            assert np.all(np.isfinite(g))
            assert np.any(g != 0), (name, leaf)


@pytest.mark.parametrize("dtype", DTYPES)
def test_gated_ffn_dtype_matrix(dtype):
    block = flaxact.GatedFeedForward(hidden_features=8)
    x = jnp.asarray(sample((3, 4), dtype))
    variables = block.init(KEY, x)
    assert all(p.dtype == jnp.float32 for p in jax.tree.leaves(variables))
    with jax.default_matmul_precision("highest"):
        y = block.apply(variables, x)
    assert y.dtype == expected_dtype(dtype)
    ref = ffn_ref(np.asarray(x, np.float64), variables["params"], ACTIVATIONS["SwiGLU"][1])
    tol = {"float32": 1e-5, "int32": 1e-5, "bool": 1e-5, "float16": 3e-2, "bfloat16": 1e-1}[dtype]
    scale = np.abs(ref).max()
    np.testing.assert_allclose(np.asarray(y, np.float64), ref, rtol=tol, atol=tol * scale)


def test_gated_ffn_dtype_and_param_dtype_fields():
    block = flaxact.GatedFeedForward(hidden_features=8, dtype=jnp.bfloat16, param_dtype=jnp.float16)
    x = jnp.ones((2, 4), jnp.float32)
    variables = block.init(KEY, x)
    assert all(p.dtype == jnp.float16 for p in jax.tree.leaves(variables))
    assert block.apply(variables, x).dtype == jnp.bfloat16


def test_gated_ffn_jit_and_save_restore():
    block = flaxact.GatedFeedForward(hidden_features=8, activation=flaxact.gelu, use_bias=True)
    x = jax.random.normal(jax.random.key(2), (3, 4))
    variables = jax.jit(block.init)(KEY, x)
    y = block.apply(variables, x)
    np.testing.assert_allclose(
        np.asarray(jax.jit(block.apply)(variables, x)), np.asarray(y), rtol=1e-6, atol=1e-6
    )
    blob = serialization.to_bytes(variables)
    fresh = block.init(jax.random.key(9), x)
    assert not np.array_equal(fresh["params"]["W"]["kernel"], variables["params"]["W"]["kernel"])
    restored = serialization.from_bytes(fresh, blob)
    np.testing.assert_array_equal(np.asarray(block.apply(restored, x)), np.asarray(y))


def test_gated_ffn_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"flaxact\.linen\.GatedFeedForward: argument 'hidden_features' must be a positive int; got 0",
    ):
        flaxact.GatedFeedForward(hidden_features=0)
    with pytest.raises(
        ValueError, match=r"argument 'hidden_features' must be a positive int; got -3"
    ):
        flaxact.GatedFeedForward(hidden_features=-3)
    with pytest.raises(
        TypeError,
        match=r"GatedFeedForward: argument 'hidden_features' must be a positive int; got 4.0",
    ):
        flaxact.GatedFeedForward(hidden_features=4.0)
    with pytest.raises(ValueError, match=r"argument 'out_features' must be a positive int; got 0"):
        flaxact.GatedFeedForward(hidden_features=4, out_features=0)
    with pytest.raises(TypeError, match=r"argument 'activation' must be callable"):
        flaxact.GatedFeedForward(hidden_features=4, activation="silu")
    with pytest.raises(TypeError, match=r"argument 'param_dtype' must be a floating dtype"):
        flaxact.GatedFeedForward(hidden_features=4, param_dtype=jnp.int8)
    with pytest.raises(ValueError, match=r"argument 'inputs' must have a feature axis"):
        flaxact.GatedFeedForward(hidden_features=4).init(KEY, jnp.float32(1.0))
    with pytest.raises(TypeError, match=r"GatedFeedForward: argument 'inputs' has complex"):
        flaxact.GatedFeedForward(hidden_features=4).init(KEY, jnp.ones((2, 3), jnp.complex64))


def test_modules_are_exported():
    assert {"PReLU", "LeakyReLU", "GatedFeedForward", "linen"} <= set(flaxact.__all__)
    assert flaxact.LeakyReLU is flaxact.linen.LeakyReLU
    assert flaxact.GatedFeedForward is flaxact.linen.GatedFeedForward


# ----------------------------------------------------------------------------- XIELU


def test_xielu_initial_parameters_give_alpha_08():
    x = sample((64,), "float32")
    variables = flaxact.XIELU().init(KEY, x)
    params = variables["params"]
    assert set(params) == {"alpha_p", "alpha_n"}
    assert params["alpha_p"].shape == ()
    assert params["alpha_p"].dtype == jnp.float32
    assert float(flaxact.softplus(params["alpha_p"])) == pytest.approx(0.8, rel=2**-23)
    assert 0.5 + float(flaxact.softplus(params["alpha_n"])) == pytest.approx(0.8, rel=2**-23)
    # the softplus inverses stored by transformers' XIELUActivation
    assert float(params["alpha_p"]) == pytest.approx(np.log(np.expm1(0.8)), rel=1e-6)
    assert float(params["alpha_n"]) == pytest.approx(np.log(np.expm1(0.3)), rel=1e-6)
    other = flaxact.XIELU(alpha_p_init=1.5, alpha_n_init=2.0, beta=0.25).init(KEY, x)["params"]
    assert float(flaxact.softplus(other["alpha_p"])) == pytest.approx(1.5, rel=2**-22)
    assert 0.25 + float(flaxact.softplus(other["alpha_n"])) == pytest.approx(2.0, rel=2**-22)


def test_xielu_output_is_the_function_at_its_parameters():
    x = jnp.asarray(np.concatenate([sample((300,), "float32"), [-2.4324843, -1e-6, 0.0]]))
    layer = flaxact.XIELU(beta=0.4, eps=-1e-5)
    variables = {"params": {"alpha_p": jnp.float32(0.3), "alpha_n": jnp.float32(-0.2)}}
    y = layer.apply(variables, x)
    check_float32_close(y, xielu_ref(x, 0.3, -0.2, beta=0.4, eps=-1e-5))
    # exactly flaxact.xielu with the same (traced) parameters
    alpha_p, alpha_n = flaxact.softplus(jnp.float32(0.3)), 0.4 + flaxact.softplus(jnp.float32(-0.2))
    same = jax.jit(flaxact.xielu)(x, alpha_p, alpha_n, 0.4, -1e-5)
    np.testing.assert_array_equal(np.asarray(y), np.asarray(same))


def test_xielu_gradients_reach_both_parameters():
    x = jnp.array([-3.0, -0.5, -1e-7, 0.0, 0.5, 2.0])
    layer = flaxact.XIELU()
    params = layer.init(KEY, x)["params"]
    grads = jax.grad(lambda p: jnp.sum(layer.apply({"params": p}, x)))(params)
    x64 = np.asarray(x, np.float64)
    sig = lambda a: 1 / (1 + np.exp(-float(a)))  # noqa: E731  softplus' = sigmoid
    d_p = sig(params["alpha_p"]) * np.sum(np.where(x64 > 0, x64 * x64, 0.0))
    g = np.expm1(np.minimum(x64, -1e-6)) - x64
    d_n = sig(params["alpha_n"]) * np.sum(np.where(x64 > 0, 0.0, g))
    assert float(grads["alpha_p"]) == pytest.approx(d_p, rel=1e-6)
    assert float(grads["alpha_n"]) == pytest.approx(d_n, rel=1e-6)
    gx = jax.grad(lambda v: jnp.sum(layer.apply({"params": params}, v)))(x)
    np.testing.assert_allclose(
        np.asarray(gx)[[0, 3, 5]], [0.8 * np.exp(-3) - 0.3, -0.3, 3.7], rtol=1e-6
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_xielu_dtype_matrix(dtype):
    x = sample((4, 33), dtype)
    layer = flaxact.XIELU()
    variables = layer.init(KEY, jnp.asarray(x))
    y = layer.apply(variables, jnp.asarray(x))
    assert y.dtype == expected_dtype(dtype)
    p = variables["params"]
    ref = xielu_ref(x.astype(np.float64), p["alpha_p"], p["alpha_n"])
    if y.dtype == jnp.float32:
        check_float32_close(y, ref)
    else:  # computed in float32, rounded once
        check_close_to_ref(y, ref, y.dtype)


def test_xielu_param_dtype_and_dtype_fields():
    x = sample((16,), "float32")
    layer = flaxact.XIELU(param_dtype=jnp.bfloat16, dtype=jnp.float16)
    variables = layer.init(KEY, x)
    assert variables["params"]["alpha_p"].dtype == jnp.bfloat16
    y = layer.apply(variables, x)
    assert y.dtype == jnp.float16
    p = variables["params"]
    check_close_to_ref(y, xielu_ref(x.astype(np.float16), p["alpha_p"], p["alpha_n"]), y.dtype)


def test_xielu_jit_and_inside_a_model():
    class MLP(nn.Module):
        @nn.compact
        def __call__(self, v):
            return nn.Dense(1)(flaxact.XIELU()(nn.Dense(4)(v)))

    x = sample((3, 5), "float32")
    variables = jax.jit(MLP().init)(KEY, x)
    assert set(variables["params"]["XIELU_0"]) == {"alpha_p", "alpha_n"}
    np.testing.assert_array_equal(
        np.asarray(jax.jit(MLP().apply)(variables, x)), np.asarray(MLP().apply(variables, x))
    )
    grads = jax.jit(jax.grad(lambda p: jnp.sum(MLP().apply({"params": p}, x) ** 2)))(
        variables["params"]
    )
    assert all(np.isfinite(np.asarray(g)).all() for g in jax.tree.leaves(grads))
    assert float(grads["XIELU_0"]["alpha_p"]) != 0.0


def test_xielu_bad_arguments():
    with pytest.raises(
        ValueError, match=r"flaxact\.linen\.XIELU: argument 'alpha_p_init' must be > 0"
    ):
        flaxact.XIELU(alpha_p_init=0.0)
    with pytest.raises(ValueError, match=r"argument 'alpha_n_init' must be > beta = 0.5"):
        flaxact.XIELU(alpha_n_init=0.5)
    with pytest.raises(ValueError, match=r"flaxact\.linen\.XIELU: argument 'eps' must be <= 0"):
        flaxact.XIELU(eps=1e-6)
    with pytest.raises(ValueError, match=r"argument 'beta' must be finite"):
        flaxact.XIELU(beta=float("inf"))
    with pytest.raises(TypeError, match=r"argument 'alpha_p_init' must be a real number; got bool"):
        flaxact.XIELU(alpha_p_init=True)
    with pytest.raises(TypeError, match=r"argument 'param_dtype' must be a floating dtype"):
        flaxact.XIELU(param_dtype=jnp.int32)
    with pytest.raises(TypeError, match=r"flaxact\.linen\.XIELU: argument 'inputs' has complex"):
        flaxact.XIELU().init(KEY, jnp.ones(3, jnp.complex64))


# ----------------------------------------------------------------------------- Snake


def test_snake_default_is_one_alpha_per_last_axis_channel():
    x = sample((2, 7, 3), "float32")
    variables = flaxact.Snake().init(KEY, x)
    np.testing.assert_array_equal(variables["params"]["alpha"], np.ones(3, np.float32))
    y = flaxact.Snake().apply(variables, x)
    np.testing.assert_array_equal(np.asarray(y), np.asarray(flaxact.snake(x)))
    scalar = flaxact.Snake(alpha_init=0.5, axis=None).init(KEY, x)["params"]["alpha"]
    assert scalar.shape == ()
    assert float(scalar) == 0.5


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_snake_per_channel_axis(axis):
    x = sample((3, 4, 5), "float32", seed=1)
    layer = flaxact.Snake(axis=axis)
    n = x.shape[axis]
    assert layer.init(KEY, x)["params"]["alpha"].shape == (n,)
    alpha = np.linspace(-1.5, 2.0, n).astype(np.float32)
    alpha[0] = 0.0  # the limit, in one channel
    y = layer.apply({"params": {"alpha": jnp.asarray(alpha)}}, x)
    shape = [1, 1, 1]
    shape[axis] = n
    check_float32_close(y, snake_ref(x, alpha.reshape(shape)))
    # d/dalpha per channel: sum over the rest of w (2 x cos(alpha x) - w), w = sin(alpha x)/alpha
    g = jax.grad(lambda a: jnp.sum(layer.apply({"params": {"alpha": a}}, x)))(jnp.asarray(alpha))
    a64, x64 = alpha.reshape(shape).astype(np.float64), x.astype(np.float64)
    w = np.where(a64 == 0, x64, np.sin(a64 * x64) / np.where(a64 == 0, 1, a64))
    other = tuple(a for a in range(3) if a != axis % 3)
    want = np.sum(w * (2 * x64 * np.cos(a64 * x64) - w), axis=other)
    np.testing.assert_allclose(np.asarray(g), want, rtol=1e-5, atol=1e-5)


def test_snake_channels_first_like_bigvgan():
    # BigVGAN's Snake(in_features=C) on (B, C, T): one alpha per channel on axis 1
    x = np.full((2, 3, 4), -1.0, np.float32)
    alpha = jnp.array([0.5, 1.0, 2.0])
    y = flaxact.Snake(axis=1).apply({"params": {"alpha": alpha}}, x)
    for c, a in enumerate((0.5, 1.0, 2.0)):
        np.testing.assert_allclose(np.asarray(y[:, c]), -1 + np.sin(-a) ** 2 / a, rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_snake_dtype_matrix(dtype):
    x = sample((4, 33), dtype)
    layer = flaxact.Snake(alpha_init=0.7)
    variables = layer.init(KEY, jnp.asarray(x))
    y = layer.apply(variables, jnp.asarray(x))
    assert y.dtype == expected_dtype(dtype)
    ref = snake_ref(x.astype(np.float64), np.float32(0.7))
    if y.dtype == jnp.float32:
        check_float32_close(y, ref)
    else:
        check_close_to_ref(y, ref, y.dtype)
    assert variables["params"]["alpha"].dtype == jnp.float32


def test_snake_param_dtype_dtype_and_jit():
    x = sample((5, 2), "float32")
    layer = flaxact.Snake(alpha_init=1.5, param_dtype=jnp.bfloat16, dtype=jnp.float16)
    variables = jax.jit(layer.init)(KEY, x)
    assert variables["params"]["alpha"].dtype == jnp.bfloat16
    y = jax.jit(layer.apply)(variables, x)
    assert y.dtype == jnp.float16
    np.testing.assert_array_equal(np.asarray(y), np.asarray(layer.apply(variables, x)))
    check_close_to_ref(y, snake_ref(x.astype(np.float16), 1.5), y.dtype)


def test_snake_alpha_zero_is_the_identity_and_learns():
    x = jnp.array([[-2.0, 3.0], [0.5, -1.0]])
    layer = flaxact.Snake(alpha_init=0.0)
    variables = layer.init(KEY, x)
    np.testing.assert_array_equal(np.asarray(layer.apply(variables, x)), np.asarray(x))
    g = jax.grad(lambda p: jnp.sum(layer.apply({"params": p}, x)))(variables["params"])
    np.testing.assert_allclose(np.asarray(g["alpha"]), [4.25, 10.0])  # sum of x^2 per channel


def test_snake_bad_arguments():
    with pytest.raises(
        ValueError, match=r"flaxact\.linen\.Snake: argument 'alpha_init' must be finite"
    ):
        flaxact.Snake(alpha_init=float("nan"))
    with pytest.raises(TypeError, match=r"argument 'axis' must be an int or None; got True"):
        flaxact.Snake(axis=True)
    with pytest.raises(
        ValueError, match=r"flaxact\.linen\.Snake: argument 'axis'=2 is out of range"
    ):
        flaxact.Snake(axis=2).init(KEY, jnp.ones((2, 3)))
    with pytest.raises(ValueError, match=r"argument 'axis'=-1 is out of range .* 0 dimension"):
        flaxact.Snake().init(KEY, jnp.float32(1.0))
    with pytest.raises(TypeError, match=r"argument 'dtype' must be a floating dtype"):
        flaxact.Snake(dtype="int8")


def test_xielu_and_snake_modules_are_exported():
    assert flaxact.XIELU is flaxact.linen.XIELU
    assert flaxact.Snake is flaxact.linen.Snake
    assert {"XIELU", "Snake"} <= set(flaxact.__all__) & set(flaxact.linen.__all__)


# ----------------------------------------------------------------------------- one definition, linen's classes

#: Each class's fields (its constructor's arguments, with parent and name) and defaults.
SIGNATURES = {
    "PReLU": "param_dtype=float32, negative_slope_init=0.01, axis=None, dtype=None",
    "LeakyReLU": "negative_slope=0.01",
    "GatedFeedForward": (
        "hidden_features, out_features=None, activation=silu, use_bias=False, dtype=None, "
        "param_dtype=float32, kernel_init=init, bias_init=zeros"
    ),
    "XIELU": "alpha_p_init=0.8, alpha_n_init=0.8, beta=0.5, eps=-1e-06, param_dtype=float32, "
    "dtype=None",
    "Snake": "alpha_init=1.0, axis=-1, param_dtype=float32, dtype=None",
}


def signature_text(cls):
    params = list(inspect.signature(cls).parameters.values())[:-2]  # less parent, name
    return ", ".join(
        p.name if p.default is p.empty else f"{p.name}={default_text(p.default)}" for p in params
    )


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_modules_are_dataclasses_with_their_fields(name):
    cls = getattr(flaxact.linen, name)
    assert issubclass(cls, nn.Module)
    assert cls.__module__ == "flaxact.linen"
    assert cls.__name__ == name
    assert signature_text(cls) == SIGNATURES[name]
    fields = [f.name for f in dataclasses.fields(cls)]
    assert fields == [*inspect.signature(cls).parameters]
    assert fields[-2:] == ["parent", "name"]
    assert set(cls.__annotations__) == set(fields)  # annotated in the class itself


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_docstring_documents_the_signature_in_order_with_its_defaults(name):
    cls = getattr(flaxact.linen, name)
    heads = documented_parameters(cls)
    params = [p for p in inspect.signature(cls).parameters.values() if p.name != "name"]
    assert [h.split(" : ")[0] for h in heads] == [
        "parent, name" if p.name == "parent" else p.name for p in params
    ]
    for head, p in zip(heads, params, strict=True):
        if p.name == "parent":
            assert head == "parent, name : optional"
        else:
            check_documented_default(head, p)
    doc = inspect.getdoc(cls)
    sections = ("Parameters", "See Also", "Notes", "References", "Examples")
    positions = [doc.index(f"\n{t}\n{'-' * len(t)}\n") for t in sections]
    assert positions == sorted(positions)
    assert f"flaxact.nnx.{name} : The Flax NNX version." in doc
    assert "flaxact.nnx." not in doc.split("Examples\n--------\n")[1]  # linen's examples
    assert cls.__call__.__doc__


def test_learned_parameters_are_documented_where_shared():
    # the shared entries name each family's own parameters
    assert "Dtype of ``negative_slope``" in flaxact.PReLU.__doc__
    assert "Dtype of ``alpha_p`` and ``alpha_n``" in flaxact.XIELU.__doc__
    assert "one ``alpha`` per channel" in flaxact.Snake.__doc__


def test_nn_jit_and_subclasses_keep_the_checks_and_messages():
    x = sample((4, 3), "float32")
    JitPReLU = nn.jit(flaxact.PReLU)
    layer = JitPReLU(negative_slope_init=0.2, axis=-1)
    variables = layer.init(KEY, x)
    assert variables["params"]["negative_slope"].shape == (3,)
    np.testing.assert_array_equal(
        np.asarray(layer.apply(variables, x)),
        np.asarray(flaxact.PReLU(axis=-1).apply(variables, x)),
    )
    with pytest.raises(TypeError, match=r"flaxact\.linen\.PReLU: argument 'axis' must be an int"):
        JitPReLU(axis=1.5)

    class Wider(flaxact.Snake):
        extra: int = 2  # a field of the subclass, not checked

    assert Wider(alpha_init=0.5).init(KEY, x)["params"]["alpha"].shape == (3,)
    with pytest.raises(ValueError, match=r"flaxact\.linen\.Snake: argument 'alpha_init'"):
        Wider(alpha_init=float("nan"))


def test_leaky_relu_in_a_jitted_model_and_clone():
    class Model(nn.Module):
        @nn.compact
        def __call__(self, v):
            return flaxact.LeakyReLU(0.5)(nn.Dense(2)(v))

    x = jnp.ones((1, 3))
    variables = Model().init(KEY, x)
    assert set(variables["params"]) == {"Dense_0"}
    np.testing.assert_array_equal(
        np.asarray(jax.jit(Model().apply)(variables, x)), np.asarray(Model().apply(variables, x))
    )
    clone = flaxact.XIELU(beta=0.25).clone(eps=-1e-3)
    assert (clone.beta, clone.eps) == (0.25, -1e-3)
    with pytest.raises(ValueError, match=r"argument 'eps' must be <= 0"):
        clone.clone(eps=1.0)
