"""Behaviour every public activation shares: dtypes, bad input, array-likes, empty arrays, jit, vmap."""

from __future__ import annotations

import contextlib
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import flaxact

RECORDS = flaxact.records()
#: Arguments without defaults, other than the input.
REQUIRED = {"one_hot": {"num_classes": 4}}


def _fn(rec):
    return functools.partial(rec.example_fn, **REQUIRED.get(rec.name, {}))


def _jax_fn(rec):
    return functools.partial(getattr(jax.nn, rec.jax_nn), **REQUIRED.get(rec.name, {}))


def _sample(rec, dtype=jnp.float32):
    if rec.name == "one_hot":  # indices: float ones are deprecated (see the dtype test)
        return jnp.array([[0, 1], [2, 3], [1, 0]], dtype=jnp.int32)
    base = np.array([[-2.5, -1.0, 0.5, 2.0], [0.25, -0.75, 1.5, -3.0], [4.0, 0.0, -0.5, 1.0]])
    if rec.name == "log1mexp":
        base = np.abs(base) + 0.125
    return jnp.asarray(base, dtype)


INPUT_DTYPES = ["float32", "bfloat16", "float16", "int32", "bool"]


@pytest.mark.parametrize("dtype", INPUT_DTYPES)
@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_output_dtype_matches_jax_nn(rec, dtype):
    if rec.name == "one_hot" and dtype not in ("int32",):
        x = (
            _sample(rec, jnp.int32).astype(dtype)
            if dtype != "bool"
            else _sample(rec, jnp.int32) > 0
        )
    else:
        x = _sample(rec).astype(dtype)
    float_indices = rec.name == "one_hot" and jnp.issubdtype(x.dtype, jnp.floating)
    with (
        pytest.warns(DeprecationWarning, match="integer-typed")
        if float_indices
        else contextlib.nullcontext()
    ):
        ours = _fn(rec)(x)
    ours = ours[0] if isinstance(ours, tuple) else ours
    if rec.jax_nn is None:
        want = jnp.dtype(dtype) if jnp.issubdtype(dtype, jnp.floating) else jnp.result_type(float)
        assert ours.dtype == want
        return
    try:
        with np.errstate(all="ignore"):
            theirs = _jax_fn(rec)(x)
    except (TypeError, ValueError):
        # jax.nn rejects this input; flaxact promotes integers and bools to float instead
        assert jnp.issubdtype(ours.dtype, jnp.floating), ours.dtype
        return
    theirs = theirs[0] if isinstance(theirs, tuple) else theirs
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape


@pytest.mark.parametrize("rec", [r for r in RECORDS if r.name != "one_hot"], ids=lambda r: r.name)
def test_complex_input_is_rejected_naming_the_function(rec):
    x = jnp.array([1.0 + 1.0j, 2.0, -1.0, 0.5j])
    with pytest.raises(TypeError, match=rf"flaxact\.{rec.name}: argument '\w+' has complex dtype"):
        _fn(rec)(x)


def test_one_hot_rejects_complex_indices():
    with pytest.raises(TypeError, match=r"flaxact\.one_hot: argument 'x'"):
        flaxact.one_hot(jnp.array([1 + 0j]), 3)


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_lists_and_scalars_work_like_arrays(rec):
    x = _sample(rec)
    want = _fn(rec)(x)
    got = _fn(rec)(np.asarray(x).tolist())
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    if rec.elementwise:
        scalar = float(x[0, 2])
        out = _fn(rec)(scalar)
        assert out.shape == ()
        # XLA may vectorise a division differently for a scalar: allow one rounding
        assert float(out) == pytest.approx(float(want[0, 2]), rel=2.5e-7)


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_empty_arrays_give_empty_results(rec):
    x = jnp.zeros((0, 4), jnp.int32 if rec.name == "one_hot" else jnp.float32)
    out = _fn(rec)(x)
    out = out[0] if isinstance(out, tuple) else out
    if rec.jax_nn is not None:
        theirs = _jax_fn(rec)(x)
        theirs = theirs[0] if isinstance(theirs, tuple) else theirs
        assert out.shape == theirs.shape
    else:
        assert out.size == 0


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_jit_and_vmap_agree_with_eager(rec):
    x = _sample(rec)
    fn = _fn(rec)
    eager = np.asarray(fn(x))
    np.testing.assert_allclose(np.asarray(jax.jit(fn)(x)), eager, rtol=2e-7, atol=0)
    rows = np.stack([np.asarray(fn(row)) for row in x])
    np.testing.assert_allclose(np.asarray(jax.vmap(fn)(x)), rows, rtol=2e-7, atol=0)


@pytest.mark.parametrize("rec", [r for r in RECORDS if r.name != "one_hot"], ids=lambda r: r.name)
def test_input_is_not_mutated_and_grad_runs(rec):
    x = np.asarray(_sample(rec))
    before = x.copy()

    def loss(v):
        out = _fn(rec)(v)
        out = out[0] if isinstance(out, tuple) else out
        return jnp.sum(out)

    g = jax.grad(loss)(jnp.asarray(x))
    assert np.isfinite(np.asarray(g)).all()
    np.testing.assert_array_equal(x, before)
