"""softmax, softmin, sparsemax, log_softmax, logsumexp, logmeanexp, standardize and one_hot
against float64 (and exact rational) references."""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction

import jax
import jax.numpy as jnp
import ml_dtypes
import mpmath as mp
import numpy as np
import pytest
from jax.test_util import check_grads
from scipy import special as sp

import flaxact
from flaxact_dev.bench import canonical_program

RNG = np.random.default_rng(20240611)
LOGITS = (RNG.standard_normal((500, 16)) * 5).astype(np.float32)
HALF = [jnp.bfloat16, jnp.float16]
HALF_BITS = {jnp.dtype(jnp.bfloat16): 7, jnp.dtype(jnp.float16): 10}


def rel_ulp(y, ref, bits=23, floor=0.0):
    """Max relative error in units of 2**-bits (the ULP of a number in [1, 2)), relative to
    ``max(|ref|, floor)`` (a record's ``ulp_floor``: absolute error below it)."""
    y = np.asarray(y, np.float64)
    ref = np.asarray(ref, np.float64)
    keep = np.abs(ref) > 1e-30
    scale = np.maximum(np.abs(ref[keep]), floor)
    return float(np.max(np.abs(y[keep] - ref[keep]) / scale)) * 2.0**bits


def ulp_err(y, ref, bits):
    """Max error in ULP of a format with ``bits`` significand bits, measured at ``ref``."""
    y = np.asarray(y, np.float64)
    ref = np.asarray(ref, np.float64)
    keep = np.abs(ref) > 1e-4
    _, e = np.frexp(ref[keep])
    return float(np.max(np.abs(y[keep] - ref[keep]) / np.ldexp(1.0, e - 1 - bits)))


def ref_standardize(x, axis=-1, eps=1e-5):
    x = np.asarray(x, np.float64)
    mu = x.mean(axis, keepdims=True)
    return (x - mu) / np.sqrt(((x - mu) ** 2).mean(axis, keepdims=True) + eps)


# ----------------------------------------------------------------- float32 accuracy


def test_softmax_float32_accuracy_and_not_worse_than_jax_nn():
    ref = sp.softmax(LOGITS.astype(np.float64), axis=-1)
    ours = rel_ulp(flaxact.softmax(LOGITS), ref)
    assert ours <= flaxact.get("softmax").ulp_f32
    assert ours <= rel_ulp(jax.nn.softmax(LOGITS), ref)


def test_log_softmax_float32_accuracy_and_not_worse_than_jax_nn():
    ref = sp.log_softmax(LOGITS.astype(np.float64), axis=-1)
    rec = flaxact.get("log_softmax")
    ours = rel_ulp(flaxact.log_softmax(LOGITS), ref, floor=rec.ulp_floor)
    assert ours <= rec.ulp_f32
    assert ours <= rel_ulp(jax.nn.log_softmax(LOGITS), ref, floor=rec.ulp_floor)


def test_logsumexp_float32_accuracy():
    ref = sp.logsumexp(LOGITS.astype(np.float64), axis=-1)
    rec = flaxact.get("logsumexp")
    ours = rel_ulp(flaxact.logsumexp(LOGITS, axis=-1), ref, floor=rec.ulp_floor)
    assert ours <= rec.ulp_f32
    assert ours <= rel_ulp(jax.nn.logsumexp(LOGITS, axis=-1), ref, floor=rec.ulp_floor)


def test_dominant_logit_error_is_absolute_as_in_jax_nn():
    """log_softmax([0, -20])[0] = -log1p(e^-20) = -2.06e-9 rounds to 0 in jax.nn's form,
    which flaxact keeps for speed: the error there is absolute, within the record's floor."""
    mp.mp.dps = 40
    exact = float(-mp.log1p(mp.exp(-20)))
    for fn in (flaxact.log_softmax, jax.nn.log_softmax):
        assert float(fn(jnp.array([0.0, -20.0]))[0]) == 0.0
    rec = flaxact.get("log_softmax")
    assert abs(0.0 - exact) <= rec.ulp_f32 * 2.0**-23 * rec.ulp_floor
    assert float(flaxact.logsumexp(jnp.array([0.0, -20.0]))) == float(
        jax.nn.logsumexp(jnp.array([0.0, -20.0]))
    )


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_forward_is_jax_nns_program(name):
    """In float32, softmax and log_softmax compile to jax.nn's very program: XLA fuses
    jax.nn's softmax pattern into one kernel, and any extra op on the row splits it
    (measured 2-7x the time). Their gradients are checked for cost by the benchmarks
    and, for saved memory and program size, by tests/library/test_cost.py."""
    x = jnp.asarray(LOGITS)
    ours = canonical_program(flaxact.get(name).fn, x)
    assert ours == canonical_program(getattr(jax.nn, name), x)
    assert ours != canonical_program(flaxact.get("logsumexp").fn, x)  # it can fail


def test_softmax_matches_mpmath_on_wide_logits():
    mp.mp.dps = 40
    x = np.array([-87.5, -3.25, 0.0, 1.5, 30.0, 88.0], np.float32)
    den = mp.fsum(mp.exp(mp.mpf(float(v))) for v in x)
    exact = np.array([float(mp.exp(mp.mpf(float(v))) / den) for v in x])
    got = np.asarray(flaxact.softmax(x), np.float64)
    normal = exact > np.finfo(np.float32).tiny
    assert rel_ulp(got[normal], exact[normal]) <= flaxact.get("softmax").ulp_f32


@pytest.mark.parametrize("axis", [0, 1, -1, (0, 2), None])
def test_axes_match_scipy(axis):
    x = RNG.standard_normal((3, 4, 5)).astype(np.float32) * 3
    x64 = x.astype(np.float64)
    np.testing.assert_allclose(flaxact.softmax(x, axis), sp.softmax(x64, axis), rtol=2e-6)
    np.testing.assert_allclose(
        flaxact.log_softmax(x, axis), sp.log_softmax(x64, axis), rtol=2e-6, atol=1e-6
    )
    np.testing.assert_allclose(flaxact.logsumexp(x, axis), sp.logsumexp(x64, axis), rtol=2e-6)
    np.testing.assert_allclose(
        flaxact.logsumexp(x, axis, keepdims=True),
        sp.logsumexp(x64, axis, keepdims=True),
        rtol=2e-6,
    )
    np.testing.assert_allclose(
        flaxact.standardize(x, axis), ref_standardize(x64, axis), rtol=1e-5, atol=1e-6
    )


# ------------------------------------------------------------------ half precision


@pytest.mark.parametrize("dtype", HALF)
@pytest.mark.parametrize(
    ("name", "ref"),
    [
        ("softmax", lambda x: sp.softmax(x, -1)),
        ("log_softmax", lambda x: sp.log_softmax(x, -1)),
        ("logsumexp", lambda x: sp.logsumexp(x, -1)),
        ("standardize", ref_standardize),
    ],
)
def test_half_precision_computed_wide_and_rounded_once(name, ref, dtype):
    x = jnp.asarray(LOGITS, dtype)
    fn = flaxact.get(name).fn
    y = fn(x, -1) if name == "logsumexp" else fn(x)
    assert y.dtype == jnp.dtype(dtype)
    expected = ref(np.asarray(x, np.float64))
    # correctly rounded to the narrow type ± 1 ULP (computed in float32, rounded once)
    assert ulp_err(y, expected, HALF_BITS[jnp.dtype(dtype)]) <= 1.0
    theirs = getattr(jax.nn, name)(x, -1) if name == "logsumexp" else getattr(jax.nn, name)(x)
    assert theirs.dtype == y.dtype


# ------------------------------------------------------------------ masking (where)


def test_softmax_where_without_initial():
    x = jnp.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    m = jnp.array([[True, False, True], [False, False, False]])
    y = flaxact.softmax(x, where=m)
    p0, p2 = sp.softmax([1.0, 3.0])
    np.testing.assert_allclose(y[0], [p0, 0.0, p2], rtol=1e-6)
    # a fully masked row is 0 (an empty distribution), not nan — as jax.nn does
    assert np.array_equal(np.asarray(y[1]), np.zeros(3))
    np.testing.assert_allclose(y, jax.nn.softmax(x, where=m), rtol=1e-6)
    ly = flaxact.log_softmax(x, where=m)
    assert np.isneginf(np.asarray(ly[0, 1]))
    assert np.all(np.isneginf(np.asarray(ly[1])))
    np.testing.assert_allclose(ly, jax.nn.log_softmax(x, where=m), rtol=1e-6)
    lse = flaxact.logsumexp(x, axis=-1, where=m)
    np.testing.assert_allclose(lse, [sp.logsumexp([1.0, 3.0]), -np.inf], rtol=1e-6)


def test_where_broadcasts_and_rejects_bad_shapes():
    x = jnp.zeros((2, 4))
    y = flaxact.softmax(x, where=jnp.array([True, True, False, False]))
    np.testing.assert_allclose(y, [[0.5, 0.5, 0, 0]] * 2)
    with pytest.raises(ValueError, match=r"flaxact\.softmax: argument 'where' of shape \(3,\)"):
        flaxact.softmax(x, where=jnp.ones(3, bool))


def test_masked_gradients_are_zero_and_finite():
    x = jnp.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    m = jnp.array([[True, False, True], [False, False, False]])
    w = jnp.array([[0.3, -1.0, 2.0], [1.0, 2.0, 3.0]])
    for fn in (flaxact.softmax, flaxact.log_softmax):
        g = jax.grad(lambda v, fn=fn: jnp.sum(jnp.where(m, fn(v, where=m), 0.0) * w))(x)
        assert np.all(np.isfinite(g))
        assert np.all(np.asarray(g)[~np.asarray(m)] == 0)
    g = jax.grad(lambda v: jnp.sum(flaxact.logsumexp(v, axis=-1, where=m)[:1]))(x)
    np.testing.assert_allclose(
        g[0], [sp.softmax([1.0, 3.0])[0], 0, sp.softmax([1.0, 3.0])[1]], rtol=1e-6
    )
    g = jax.grad(
        lambda v: jnp.sum(jnp.where(jnp.isfinite(o := flaxact.logsumexp(v, -1, where=m)), o, 0))
    )(x)
    assert np.all(np.isfinite(g))


# ----------------------------------------------------------------- infinities / nan


def test_neg_inf_entries_give_zero_probability_and_finite_gradients():
    x = jnp.array([0.0, -jnp.inf, 1.0])
    y = flaxact.softmax(x)
    np.testing.assert_allclose(y, [sp.expit(-1.0), 0.0, sp.expit(1.0)], rtol=1e-6)
    for fn in (flaxact.softmax, flaxact.log_softmax):
        jac = jax.jacfwd(fn)(x)
        assert np.all(np.isfinite(jac)), fn.__name__
        jac = jax.jacrev(fn)(x)
        assert np.all(np.isfinite(jac[np.array([0, 2])])), fn.__name__
    g = jax.grad(flaxact.logsumexp)(x)
    np.testing.assert_allclose(g, y, rtol=1e-6)


def test_all_neg_inf_rows_follow_jax_nn():
    x = jnp.array([-jnp.inf, -jnp.inf])
    # no defined distribution: nan, as jax.nn, SciPy and PyTorch
    assert np.all(np.isnan(np.asarray(flaxact.softmax(x))))
    assert np.all(np.isnan(np.asarray(flaxact.log_softmax(x))))
    # the empty sum: logsumexp is -inf, with a zero gradient (jax.nn's is nan)
    assert float(flaxact.logsumexp(x)) == -np.inf
    assert np.array_equal(np.asarray(jax.grad(flaxact.logsumexp)(x)), [0.0, 0.0])


def test_pos_inf():
    x = jnp.array([jnp.inf, 1.0])
    assert np.all(np.isnan(np.asarray(flaxact.softmax(x))))
    assert np.all(np.isnan(np.asarray(jax.nn.softmax(x))))
    assert float(flaxact.logsumexp(x)) == np.inf


def test_large_logits_do_not_overflow():
    x = jnp.array([1e30, 1e30 - 1e24, -1e30], jnp.float32)
    y = flaxact.softmax(x)
    assert np.all(np.isfinite(y))
    assert float(jnp.sum(y)) == pytest.approx(1.0)
    assert float(flaxact.logsumexp(jnp.array([3e38, 3e38]))) == pytest.approx(3e38, rel=1e-6)


# -------------------------------------------------------------------------- logsumexp


def test_logsumexp_weights_sign_and_keepdims_match_scipy():
    a = RNG.standard_normal((4, 6)).astype(np.float32)
    b = RNG.standard_normal((4, 6)).astype(np.float32)
    res, sign = flaxact.logsumexp(a, axis=1, b=b, return_sign=True)
    ref, ref_sign = sp.logsumexp(a.astype(np.float64), axis=1, b=b, return_sign=True)
    np.testing.assert_allclose(res, ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(sign, ref_sign)
    plain = np.asarray(flaxact.logsumexp(a, axis=1, b=b))
    assert np.array_equal(np.isnan(plain), ref_sign < 0)
    # zero weights drop the entry even when it is infinite
    assert float(flaxact.logsumexp(jnp.array([jnp.inf, 0.0]), b=jnp.array([0.0, 1.0]))) == 0.0
    out = flaxact.logsumexp(a, axis=(0, 1), keepdims=True)
    assert out.shape == (1, 1)


def test_logsumexp_b_broadcast_error():
    with pytest.raises(ValueError, match=r"flaxact\.logsumexp: argument 'b'"):
        flaxact.logsumexp(jnp.ones(3), b=jnp.ones(4))


def test_logsumexp_sign_without_weights():
    res, sign = flaxact.logsumexp(
        jnp.array([[0.0, 0.0], [-jnp.inf, -jnp.inf]]), 1, return_sign=True
    )
    np.testing.assert_allclose(res, [np.log(2), -np.inf], rtol=1e-7)
    np.testing.assert_array_equal(sign, [1.0, 0.0])


# ------------------------------------------------------------------------ standardize


def test_standardize_large_mean_is_accurate():
    """jax.nn's formula ("fast", the default of both) cancels on data with a large mean;
    "stable" does not."""
    x = jnp.array([1e4, 1e4 + 1, 1e4 + 2, 1e4 + 3])
    ref = ref_standardize(np.asarray(x))
    np.testing.assert_allclose(ref, [-1.3416355, -0.4472118, 0.4472118, 1.3416355], rtol=1e-6)
    np.testing.assert_allclose(flaxact.standardize(x, algorithm="stable"), ref, rtol=1e-6)
    np.testing.assert_array_equal(flaxact.standardize(x), jax.nn.standardize(x))
    assert abs(float(flaxact.standardize(x)[0])) > 100  # the cancellation


def test_standardize_random_offsets_accuracy():
    """Means up to 1e5 against a spread of 1: "stable" is accurate to the record's bound
    (absolute, on the output's unit scale) and better than jax.nn's "stable"; the
    default is jax.nn's formula, and as accurate."""
    x = (RNG.standard_normal((200, 32)) + RNG.uniform(-1e5, 1e5, (200, 1))).astype(np.float32)
    ref = ref_standardize(x)

    def err(y):
        return float(np.max(np.abs(np.asarray(y, np.float64) - ref)))

    stable = err(flaxact.standardize(x, algorithm="stable"))
    assert stable <= flaxact.get("standardize").ulp_f32 * 2.0**-23 * 4
    assert stable < err(jax.nn.standardize(x, algorithm="stable"))
    assert err(flaxact.standardize(x)) <= err(jax.nn.standardize(x))


def test_standardize_default_accuracy_where_the_mean_is_of_the_spreads_size():
    """The default (jax.nn's formula) within the record's bound (absolute, on the output's
    unit scale) where the mean is no larger than the spread, as in layer activations."""
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((500, 64)) * 3 + rng.uniform(-3, 3, (500, 1))).astype(np.float32)
    err = np.max(np.abs(np.asarray(flaxact.standardize(x), np.float64) - ref_standardize(x)))
    assert float(err) <= flaxact.get("standardize").ulp_f32 * 2.0**-23 * 4


def test_standardize_given_statistics_and_where():
    x = jnp.array([[2.0, 6.0, 10.0], [1.0, 1.0, 4.0]])
    y = flaxact.standardize(x, mean=jnp.array([[1.0], [0.0]]), variance=4.0, epsilon=0.0)
    np.testing.assert_allclose(y, [[0.5, 2.5, 4.5], [0.5, 0.5, 2.0]])
    # variance around a given mean
    y = flaxact.standardize(x, mean=0.0, epsilon=0.0)
    np.testing.assert_allclose(
        y, np.asarray(x) / np.sqrt(np.mean(np.asarray(x) ** 2, -1, keepdims=True)), rtol=1e-6
    )
    m = jnp.array([True, True, False])
    y = flaxact.standardize(x, where=m, epsilon=0.0)
    np.testing.assert_allclose(
        y, jax.nn.standardize(x, where=m, epsilon=0.0, algorithm="stable"), rtol=1e-6
    )
    np.testing.assert_allclose(y[0, :2], [-1.0, 1.0])


def test_standardize_dtype_follows_jax_nn():
    for dtype in [jnp.float32, jnp.bfloat16, jnp.float16, jnp.int32, jnp.int8]:
        x = jnp.arange(4).astype(dtype)
        assert flaxact.standardize(x).dtype == jax.nn.standardize(x).dtype, dtype
    x = jnp.arange(4, dtype=jnp.bfloat16)
    assert flaxact.standardize(x, mean=jnp.float32(1)).dtype == jnp.float32


def test_standardize_bad_algorithm():
    with pytest.raises(
        ValueError,
        match=r"flaxact\.standardize: argument 'algorithm' must be 'stable' or 'fast'; got 'exact'",
    ):
        flaxact.standardize(jnp.ones(3), algorithm="exact")


# ---------------------------------------------------------------------------- one_hot


@pytest.mark.parametrize(
    "dtype", [jnp.uint8, jnp.int8, jnp.int16, jnp.uint16, jnp.int32, jnp.uint32]
)
def test_one_hot_narrow_index_dtypes_give_the_right_class(dtype):
    info = np.iinfo(dtype)
    values = np.arange(max(info.min, -300), min(info.max, 1000) + 1)
    idx = jnp.asarray(values.astype(dtype))
    n = 300
    y = np.asarray(flaxact.one_hot(idx, n))
    expected = (values[:, None] == np.arange(n)[None, :]).astype(np.float32)
    np.testing.assert_array_equal(y, expected)


def test_one_hot_jax_nn_wraps_around_and_we_do_not():
    theirs = np.flatnonzero(np.asarray(jax.nn.one_hot(jnp.uint8(10), 300)))
    assert theirs.tolist() == [10, 266]  # the documented jax.nn bug
    assert np.flatnonzero(np.asarray(flaxact.one_hot(jnp.uint8(10), 300))).tolist() == [10]
    assert np.asarray(flaxact.one_hot(jnp.int8(-1), 300)).sum() == 0
    assert np.flatnonzero(np.asarray(flaxact.one_hot(jnp.uint8(200), 300))).tolist() == [200]


@pytest.mark.parametrize("axis", [-1, 0, 1, -2, 2])
def test_one_hot_axis_and_out_of_range_match_jax_nn(axis):
    x = jnp.array([[0, 2, -1], [3, 1, 7]])
    np.testing.assert_array_equal(flaxact.one_hot(x, 4, axis=axis), jax.nn.one_hot(x, 4, axis=axis))


def test_one_hot_dtypes_and_inputs():
    x = jnp.array([0, 1])
    assert flaxact.one_hot(x, 3).dtype == jax.nn.one_hot(x, 3).dtype == jnp.float32
    assert flaxact.one_hot(x, 3, dtype=jnp.bfloat16).dtype == jnp.bfloat16
    assert flaxact.one_hot(x, 3, dtype=jnp.int32).dtype == jnp.int32
    np.testing.assert_array_equal(flaxact.one_hot([True, False], 2), [[0, 1], [1, 0]])
    with pytest.warns(
        DeprecationWarning, match=r"flaxact\.one_hot: argument 'x' should be integer"
    ):
        np.testing.assert_array_equal(
            flaxact.one_hot([1.0, 1.5, -1.0], 3), [[0, 1, 0], [0, 0, 0], [0, 0, 0]]
        )
    assert flaxact.one_hot(x, 0).shape == jax.nn.one_hot(x, 0).shape == (2, 0)
    assert flaxact.one_hot(jnp.zeros((0,), jnp.int32), 3).shape == (0, 3)


def test_one_hot_named_axis_matches_jax_nn():
    x = jnp.array([0, 2, 1])
    ours = jax.vmap(
        lambda i: flaxact.one_hot(i, 3, axis="c"), axis_name="c", in_axes=None, axis_size=3
    )(x)
    theirs = jax.vmap(
        lambda i: jax.nn.one_hot(i, 3, axis="c"), axis_name="c", in_axes=None, axis_size=3
    )(x)
    np.testing.assert_array_equal(ours, theirs)
    with pytest.raises(ValueError, match=r"flaxact\.one_hot: argument 'num_classes'=4"):
        jax.vmap(
            lambda i: flaxact.one_hot(i, 4, axis="c"), axis_name="c", in_axes=None, axis_size=3
        )(x)


def test_one_hot_bad_num_classes():
    x = jnp.array([0, 1])
    with pytest.raises(
        ValueError, match=r"flaxact\.one_hot: argument 'num_classes' must be non-negative; got -2"
    ):
        flaxact.one_hot(x, -2)
    with pytest.raises(
        TypeError, match=r"flaxact\.one_hot: argument 'num_classes' must be an int; got float 2\.5"
    ):
        flaxact.one_hot(x, 2.5)
    with pytest.raises(TypeError, match="argument 'num_classes' must be an int"):
        flaxact.one_hot(x, True)
    with pytest.raises(TypeError, match="argument 'num_classes' must be a concrete Python int"):
        jax.jit(flaxact.one_hot)(x, 3)
    with pytest.raises(ValueError, match=r"flaxact\.one_hot: argument 'axis'=3 is out of range"):
        flaxact.one_hot(x, 3, axis=3)
    # concrete array and numpy integers are fine; static under jit is fine
    assert flaxact.one_hot(x, np.int64(3)).shape == (2, 3)
    assert jax.jit(flaxact.one_hot, static_argnums=1)(x, 3).shape == (2, 3)


def test_one_hot_raises_and_warns_as_jax_nn_does():
    """The exception class for a traced class count and the warning for float indices
    are jax.nn's, so code written against jax.nn (and jax's own tests) behaves the same."""
    x = jnp.array([0, 1])
    for one_hot in (jax.nn.one_hot, flaxact.one_hot):
        with pytest.raises(jax.errors.ConcretizationTypeError):
            jax.jit(one_hot)(x, 3)
        with pytest.warns(DeprecationWarning, match="should be integer-typed"):
            one_hot(jnp.array([1.0, 0.0]), 3)
    with pytest.raises(
        jax.errors.ConcretizationTypeError, match=r"flaxact\.one_hot: argument 'num_classes'"
    ):
        jax.jit(flaxact.one_hot)(x, 3)
    assert issubclass(jax.errors.ConcretizationTypeError, TypeError)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # integer and bool indices do not warn
        flaxact.one_hot(x, 3)
        flaxact.one_hot(jnp.array([True, False]), 2)


def test_one_hot_complex_rejected():
    with pytest.raises(TypeError, match=r"flaxact\.one_hot: argument 'x' has complex dtype"):
        flaxact.one_hot(jnp.array([1 + 0j]), 3)


# ------------------------------------------------------ gradients, jit, vmap, dtypes


@pytest.mark.parametrize(
    "fn",
    [
        flaxact.softmax,
        flaxact.log_softmax,
        lambda x: flaxact.logsumexp(x, axis=-1),
        flaxact.standardize,
        lambda x: flaxact.logsumexp(x, axis=-1, b=jnp.array([0.5, 2.0, 1.0])),
    ],
    ids=["softmax", "log_softmax", "logsumexp", "standardize", "logsumexp_b"],
)
def test_gradients_check_grads(fn):
    x = jnp.array([[0.5, -1.25, 2.0], [3.0, 3.0, -0.75]], jnp.float32)
    with jax.enable_x64(True):
        check_grads(fn, (x.astype(jnp.float64),), order=2, modes=("fwd", "rev"))


def test_softmax_jacobian_closed_form():
    x = jnp.array([0.5, -1.25, 2.0])
    s = np.asarray(sp.softmax(np.asarray(x, np.float64)))
    expected = np.diag(s) - np.outer(s, s)
    np.testing.assert_allclose(jax.jacfwd(flaxact.softmax)(x), expected, atol=1e-7)
    np.testing.assert_allclose(jax.jacrev(flaxact.softmax)(x), expected, atol=1e-7)
    np.testing.assert_allclose(
        jax.jacrev(flaxact.log_softmax)(x), np.eye(3) - s[None, :], atol=1e-7
    )


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp", "standardize"])
def test_jit_vmap_and_dtypes(name):
    fn = flaxact.get(name).fn
    x = jnp.asarray(LOGITS[:8])
    y = fn(x, -1)
    np.testing.assert_allclose(jax.jit(fn, static_argnums=1)(x, -1), y, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(jax.vmap(lambda r: fn(r, -1))(x), y, rtol=1e-6, atol=1e-7)
    for dtype in [jnp.float32, jnp.bfloat16, jnp.float16, jnp.int32]:
        xi = jnp.arange(6).reshape(2, 3).astype(dtype)
        with warnings.catch_warnings():  # jax.nn's max(initial=-inf) on int input warns
            warnings.simplefilter("ignore", RuntimeWarning)
            theirs = getattr(jax.nn, name)(xi, -1)
        assert fn(xi, -1).dtype == theirs.dtype, (name, dtype)
    xb = jnp.array([True, False, True])
    np.testing.assert_allclose(fn(xb, -1), fn(jnp.array([1.0, 0.0, 1.0]), -1))
    np.testing.assert_allclose(fn([1, 2, 3], -1), fn(jnp.array([1.0, 2.0, 3.0]), -1))


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp", "standardize"])
def test_empty_arrays(name):
    fn = flaxact.get(name).fn
    for shape in [(0,), (0, 3), (2, 0)]:
        x = jnp.zeros(shape)
        y = fn(x, -1)
        expected = getattr(jax.nn, name)(x, -1)
        assert y.shape == expected.shape
        if name == "logsumexp" and shape == (2, 0):
            np.testing.assert_array_equal(y, [-np.inf, -np.inf])


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp", "standardize"])
def test_bad_input_messages(name):
    fn = flaxact.get(name).fn
    arg = "a" if name == "logsumexp" else "x"
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument '{arg}' has complex dtype"):
        fn(jnp.array([1.0 + 1j, 2.0]))
    with pytest.raises(ValueError, match=rf"flaxact\.{name}: argument 'axis'=2 is out of range"):
        fn(jnp.ones((2, 2)), 2)
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument 'axis' must be an int"):
        fn(jnp.ones((2, 2)), 1.0)
    with pytest.raises(ValueError, match=rf"flaxact\.{name}: argument 'axis'=\(1, -1\) repeats"):
        fn(jnp.ones((2, 2)), (1, -1))
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument '{arg}' must be array-like"):
        fn("abc")


def test_input_not_mutated():
    x = np.array([1.0, 2.0, 3.0], np.float32)
    before = x.copy()
    for fn in (flaxact.softmax, flaxact.log_softmax, flaxact.logsumexp, flaxact.standardize):
        fn(x)
    np.testing.assert_array_equal(x, before)


def test_bfloat16_dtype_info_available():
    # guard: the half-precision tests above rely on ml_dtypes' bfloat16 having 7 bits
    assert ml_dtypes.finfo(ml_dtypes.bfloat16).nmant == 7


# ------------------------------------------------------------- accurate forms (precise)


def test_precise_softmax_and_log_softmax_accuracy():
    """flaxact.precise carries the rounding of x - max along (and log_softmax sums the
    maximum's own term apart): tighter than jax.nn's form on the same logits."""
    x64 = LOGITS.astype(np.float64)
    ours = rel_ulp(flaxact.precise.softmax(LOGITS), sp.softmax(x64, axis=-1))
    assert ours <= flaxact.get("softmax").ulp_bound(precise=True)
    assert ours < rel_ulp(jax.nn.softmax(LOGITS), sp.softmax(x64, axis=-1))
    ref = sp.log_softmax(x64, axis=-1)
    ours = rel_ulp(flaxact.precise.log_softmax(LOGITS), ref)
    assert ours <= flaxact.get("log_softmax").ulp_bound(precise=True)
    assert ours < rel_ulp(jax.nn.log_softmax(LOGITS), ref)


def test_precise_dominant_logit_keeps_its_digits_mpmath():
    mp.mp.dps = 40
    exact = float(-mp.log1p(mp.exp(-20)))
    got = float(flaxact.precise.log_softmax(jnp.array([0.0, -20.0]))[0])
    assert abs(got - exact) <= 2 * np.spacing(np.float32(abs(exact)))


def test_precise_forms_keep_the_masking_and_gradient_conventions():
    x = jnp.array([[1.0, 2.0, -jnp.inf], [3.0, 0.5, 1.0]])
    m = jnp.array([[True, True, True], [False, False, False]])
    w = jnp.arange(6.0).reshape(2, 3)
    for name in ("softmax", "log_softmax"):
        ours, fast = getattr(flaxact.precise, name), getattr(flaxact, name)
        np.testing.assert_allclose(ours(x, where=m), fast(x, where=m), rtol=1e-6)
        g = jax.grad(lambda v, f=ours: jnp.sum(jnp.where(m, f(v, where=m), 0.0) * w))(x)
        assert np.isfinite(np.asarray(g)).all()
    with pytest.raises(TypeError, match=r"flaxact\.precise\.softmax: argument 'axis'"):
        flaxact.precise.softmax(x, axis=1.5)


# ------------------------------------------------------------------------- logmeanexp


def ref_logmeanexp(x, axis=-1, where=None):
    """float64: log of the mean of the exponentials of the (unmasked) entries."""
    x = np.asarray(x, np.float64)
    if where is None:
        where = np.ones(x.shape, bool)
    where = np.broadcast_to(where, x.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        return sp.logsumexp(np.where(where, x, -np.inf), axis=axis) - np.log(np.sum(where, axis))


@pytest.mark.parametrize("rows", ["logits", "wide", "narrow_spread"])
def test_logmeanexp_float32_accuracy_and_not_worse_than_jax_nn(rows):
    """Rows of 16 logits, of 32000 (the sum's rounding grows with the row), and of
    nearly equal entries (where jax.nn's log(sum) - log(n) cancels)."""
    rng = np.random.default_rng(2)
    x = {
        "logits": LOGITS,
        "wide": (rng.standard_normal((16, 32000)) * 2).astype(np.float32),
        "narrow_spread": (rng.standard_normal((64, 1024)) * 0.01).astype(np.float32),
    }[rows]
    rec = flaxact.get("logmeanexp")
    ref = ref_logmeanexp(x)
    ours = rel_ulp(flaxact.logmeanexp(x, axis=-1), ref, floor=rec.ulp_floor)
    assert ours <= rec.ulp_f32
    assert ours <= rel_ulp(jax.nn.logmeanexp(x, axis=-1), ref, floor=rec.ulp_floor)


def test_logmeanexp_divides_before_the_log_where_jax_nn_cancels():
    """Rows of equal entries have the entry as their mean: exact here (log(n / n) = 0),
    where jax.nn's log(sum) - log(n) keeps the rounding of both logarithms."""
    c = RNG.uniform(-3, 3, (400, 1)).astype(np.float32)
    for n in (7, 100, 1000):
        x = np.repeat(c, n, axis=1)
        np.testing.assert_array_equal(flaxact.logmeanexp(x, axis=1), c[:, 0])
        theirs = np.asarray(jax.nn.logmeanexp(x, axis=1))
        assert np.any(theirs != c[:, 0]), n  # the cancellation this avoids


def test_logmeanexp_matches_mpmath():
    mp.mp.dps = 40
    rec = flaxact.get("logmeanexp")
    rows = [[-87.5, -3.25, 0.0, 1.5, 30.0, 88.0], [1e-3, -1e-3, 2e-3, 0.0], [-50.0, -50.5, -51.0]]
    for row in rows:
        x = np.array(row, np.float32)
        exact = float(mp.log(mp.fsum(mp.exp(mp.mpf(float(v))) for v in x) / len(x)))
        got = float(flaxact.logmeanexp(x))
        assert abs(got - exact) / max(abs(exact), rec.ulp_floor) * 2**23 <= rec.ulp_f32, row


@pytest.mark.parametrize("axis", [0, 1, -1, (0, 2), None])
def test_logmeanexp_axes_and_keepdims_match_the_reference(axis):
    x = RNG.standard_normal((3, 4, 5)).astype(np.float32) * 3
    x64 = x.astype(np.float64)
    axes = tuple(range(3)) if axis is None else axis
    want = sp.logsumexp(x64, axis) - np.log(x64.size / np.asarray(sp.logsumexp(x64, axis)).size)
    np.testing.assert_allclose(flaxact.logmeanexp(x, axis), want, rtol=2e-6, atol=1e-6)
    kept = flaxact.logmeanexp(x, axis, keepdims=True)
    assert kept.shape == np.expand_dims(want, axes).shape
    assert kept.shape == jax.nn.logmeanexp(x, axis, keepdims=True).shape
    np.testing.assert_allclose(kept, np.expand_dims(want, axes), rtol=2e-6, atol=1e-6)


def test_logmeanexp_where_and_empty_means_follow_jax_nn():
    x = jnp.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [-jnp.inf] * 3, [0.0, -jnp.inf, 1.0]])
    m = jnp.array([[True, False, True], [False, False, False], [True] * 3, [True, True, False]])
    ours = np.asarray(flaxact.logmeanexp(x, axis=-1, where=m))
    theirs = np.asarray(jax.nn.logmeanexp(x, axis=-1, where=m))
    np.testing.assert_allclose(ours, ref_logmeanexp(x, where=m), rtol=1e-6)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    # every entry masked out: a mean of nothing (nan, as jax.nn); all -inf: log 0 = -inf
    assert np.isnan(ours[1])
    assert np.isnan(theirs[1])
    assert ours[2] == -np.inf
    assert theirs[2] == -np.inf
    assert ours[3] == pytest.approx(np.log(0.5), rel=1e-6)  # the -inf entry counts in n
    for shape in [(2, 0), (0,)]:
        assert np.all(np.isnan(np.asarray(flaxact.logmeanexp(jnp.zeros(shape), axis=-1))))
        assert (
            flaxact.logmeanexp(jnp.zeros(shape), -1).shape
            == jax.nn.logmeanexp(jnp.zeros(shape), -1).shape
        )
    assert flaxact.logmeanexp(jnp.zeros((0, 3)), -1).shape == (0,)
    # a broadcast mask, and a bad one
    w = jnp.array([True, False, True])
    np.testing.assert_allclose(
        flaxact.logmeanexp(x[:2], -1, where=w), jax.nn.logmeanexp(x[:2], -1, where=w), rtol=1e-6
    )
    with pytest.raises(ValueError, match=r"flaxact\.logmeanexp: argument 'where' of shape \(2,\)"):
        flaxact.logmeanexp(x, -1, where=jnp.ones(2, bool))


def test_logmeanexp_infinities_and_nan():
    assert float(flaxact.logmeanexp(jnp.array([jnp.inf, 1.0]))) == np.inf
    assert np.isnan(float(flaxact.logmeanexp(jnp.array([jnp.nan, 1.0]))))
    big = float(flaxact.logmeanexp(jnp.array([3e38, 3e38], jnp.float32)))
    assert big == pytest.approx(3e38, rel=1e-6)


def test_logmeanexp_gradient_is_softmax_and_zero_where_nothing_is_averaged():
    x = jnp.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [-jnp.inf] * 3, [0.0, -jnp.inf, 1.0]])
    m = jnp.array([[True, False, True], [False, False, False], [True] * 3, [True] * 3])
    g = np.asarray(
        jax.grad(lambda v: jnp.sum(flaxact.logmeanexp(v, axis=-1, where=m)[jnp.array([0, 2, 3])]))(
            x
        )
    )
    assert np.isfinite(g).all()
    np.testing.assert_allclose(g[0], [sp.expit(-2.0), 0.0, sp.expit(2.0)], rtol=1e-6)
    np.testing.assert_array_equal(g[1], 0.0)
    np.testing.assert_array_equal(g[2], 0.0)  # all -inf: -inf with a zero gradient
    theirs = np.asarray(jax.grad(lambda v: jnp.sum(jax.nn.logmeanexp(v, axis=-1)[2]))(x))
    assert np.isnan(theirs[2]).all()  # jax.nn's nan gradient, which this avoids
    np.testing.assert_allclose(g[3], [sp.expit(-1.0), 0.0, sp.expit(1.0)], rtol=1e-6)
    g = jax.grad(lambda v: jnp.sum(flaxact.logmeanexp(v, axis=-1, where=m)[1]))(x)
    np.testing.assert_array_equal(g, 0.0)  # the nan of an empty mean does not leak
    y = jnp.asarray(LOGITS[:4])
    np.testing.assert_allclose(
        jax.grad(lambda v: jnp.sum(flaxact.logmeanexp(v, -1)))(y),
        sp.softmax(np.asarray(y, np.float64), -1),
        rtol=2e-6,
        atol=1e-9,
    )


# --------------------------------------------------------------------------- softmin


@pytest.mark.parametrize("axis", [0, 1, -1, (0, 2), None])
def test_softmin_is_softmax_of_the_negation(axis):
    """Bit for bit: the same kernel on -x (exact), with the mask and axes passed through."""
    x = RNG.standard_normal((3, 4, 5)).astype(np.float32) * 4
    ours = np.asarray(flaxact.softmin(x, axis))
    np.testing.assert_array_equal(ours, np.asarray(flaxact.softmax(-x, axis)))
    # jax.nn's softmax over several axes rounds differently in some versions: one ULP
    np.testing.assert_allclose(ours, np.asarray(jax.nn.softmax(-x, axis)), rtol=2.4e-7, atol=0)
    np.testing.assert_allclose(ours, sp.softmax(-x.astype(np.float64), axis), rtol=2e-6)
    m = RNG.uniform(size=(3, 4, 5)) > 0.3
    np.testing.assert_array_equal(
        flaxact.softmin(x, axis, where=m), flaxact.softmax(-x, axis, where=m)
    )


def test_softmin_float32_accuracy_and_not_worse_than_the_baseline():
    from flaxact_dev.testing import COMPOSITIONS

    ref = sp.softmax(-LOGITS.astype(np.float64), axis=-1)
    ours = rel_ulp(flaxact.softmin(LOGITS), ref)
    assert ours <= flaxact.get("softmin").ulp_f32
    assert ours <= rel_ulp(COMPOSITIONS["softmin"][1](LOGITS), ref)


def test_softmin_gives_the_smallest_entry_the_largest_weight():
    x = jnp.asarray(LOGITS)
    s = np.asarray(flaxact.softmin(x))
    np.testing.assert_array_equal(np.argmax(s, -1), np.argmin(LOGITS, -1))
    # decreasing in each entry: sorting x ascending sorts the weights descending
    order = np.argsort(LOGITS, -1)
    assert np.all(np.diff(np.take_along_axis(s, order, -1), axis=-1) <= 0)
    np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-6)


def test_softmin_gradient_closed_form_and_conventions():
    x = jnp.array([0.5, -1.25, 2.0])
    s = sp.softmax(-np.asarray(x, np.float64))
    expected = -(np.diag(s) - np.outer(s, s))
    np.testing.assert_allclose(jax.jacfwd(flaxact.softmin)(x), expected, atol=1e-7)
    np.testing.assert_allclose(jax.jacrev(flaxact.softmin)(x), expected, atol=1e-7)
    with jax.enable_x64(True):
        check_grads(
            flaxact.softmin, (jnp.asarray(LOGITS[:3], jnp.float64),), order=2, modes=("fwd", "rev")
        )
    # +inf entries (softmax's -inf) get probability 0 and a finite gradient; -inf is nan
    y = jnp.array([0.0, jnp.inf, 1.0])
    np.testing.assert_allclose(flaxact.softmin(y), [sp.expit(1.0), 0.0, sp.expit(-1.0)], rtol=1e-6)
    assert np.isfinite(np.asarray(jax.jacfwd(flaxact.softmin)(y))).all()
    assert np.isnan(np.asarray(flaxact.softmin(jnp.array([-jnp.inf, 0.0])))).all()
    # every entry masked out: 0, with a zero gradient
    m = jnp.array([False, False, False])
    np.testing.assert_array_equal(flaxact.softmin(x, where=m), 0.0)
    np.testing.assert_array_equal(
        jax.grad(lambda v: jnp.sum(flaxact.softmin(v, where=m) * v))(x), 0.0
    )


def test_softmin_saves_only_its_output():
    from jax._src.ad_checkpoint import saved_residuals

    saved = saved_residuals(flaxact.softmin, jnp.zeros((4, 8), jnp.float32))
    assert [(a.shape, a.dtype) for a, _ in saved] == [((4, 8), jnp.float32)]


# ------------------------------------------------------------------------- sparsemax


def exact_sparsemax(x):
    """Martins & Astudillo's algorithm in exact rational arithmetic, row by row: the
    support test and the threshold without rounding (-inf entries give 0)."""
    x = np.asarray(x, np.float64)
    flat = x.reshape(-1, x.shape[-1])
    out = np.zeros(flat.shape)
    for i, row in enumerate(flat):
        z = sorted((Fraction(float(v)) for v in row if np.isfinite(v)), reverse=True)
        total, tau = Fraction(0), None
        for k, v in enumerate(z, 1):
            total += v
            if 1 + k * v > total:
                tau = (total - 1) / k
        out[i] = [float(max(Fraction(float(v)) - tau, 0)) if np.isfinite(v) else 0.0 for v in row]
    return out.reshape(x.shape)


def brute_force_projection(z):
    """The point of the simplex nearest ``z``, by trying every support: the one whose
    threshold (sum - 1) / |S| leaves S above it and the rest at or below it."""
    z = [Fraction(float(v)) for v in z]
    found = []
    for size in range(1, len(z) + 1):
        for support in itertools.combinations(range(len(z)), size):
            tau = (sum(z[i] for i in support) - 1) / size
            inside = all(z[i] > tau for i in support)
            outside = all(z[i] <= tau for i in range(len(z)) if i not in support)
            if inside and outside:
                found.append([float(max(v - tau, 0)) for v in z])
    assert len(found) == 1, found  # the projection is unique
    return np.array(found[0])


def abs_ulp(y, ref):
    """Largest absolute error in units of 2**-23 (sparsemax's ulp_floor is 1: its outputs
    are at most 1, and the error is absolute)."""
    return float(np.max(np.abs(np.asarray(y, np.float64) - ref))) * 2.0**23


SPARSE_INPUTS = {
    "logits": LOGITS[:200],
    "small": (RNG.standard_normal((300, 16)) * 0.2).astype(np.float32),
    "offset": (RNG.standard_normal((100, 64)) * 0.3 + RNG.uniform(-60, 60, (100, 1))).astype("f4"),
    "between_1_and_2": (RNG.standard_normal((300, 16)) * 0.4 + 1.3).astype(np.float32),
    "wide": (RNG.standard_normal((4, 2048)) * 0.05 + 3).astype(np.float32),
}


def test_sparsemax_matches_a_brute_force_projection():
    x = (RNG.standard_normal((60, 6)) * RNG.choice([0.1, 1.0, 4.0], (60, 1))).astype(np.float32)
    x[:5, 2] = x[:5, 0]  # ties
    x[5:10] = np.round(x[5:10])
    ours = np.asarray(flaxact.sparsemax(x), np.float64)
    for row, got in zip(x, ours, strict=True):
        want = brute_force_projection(row)
        assert abs_ulp(got, want) <= flaxact.get("sparsemax").ulp_f32, row
        np.testing.assert_array_equal(got == 0, want == 0)
    np.testing.assert_allclose(
        exact_sparsemax(x), [brute_force_projection(r) for r in x], rtol=0, atol=1e-15
    )


@pytest.mark.parametrize("kind", list(SPARSE_INPUTS))
def test_sparsemax_float32_accuracy_and_not_worse_than_the_baseline(kind):
    """Against the exact projection: within the record's bound, with the zeros where the
    exact projection has them, and no worse than the paper's algorithm written in jnp."""
    from flaxact_dev.testing import COMPOSITIONS

    x = SPARSE_INPUTS[kind]
    ref = exact_sparsemax(x)
    ours = np.asarray(flaxact.sparsemax(x))
    assert abs_ulp(ours, ref) <= flaxact.get("sparsemax").ulp_f32
    np.testing.assert_array_equal(ours == 0, ref == 0)
    assert abs_ulp(ours, ref) <= abs_ulp(COMPOSITIONS["sparsemax"][1](jnp.asarray(x)), ref)


def test_sparsemax_shift_by_the_maximum_keeps_large_logits_accurate():
    """Unshifted, logits near 50 round the partial sums to multiples of 2**-18."""
    from flaxact_dev.testing import COMPOSITIONS

    x = SPARSE_INPUTS["offset"]
    ref = exact_sparsemax(x)
    assert abs_ulp(flaxact.sparsemax(x), ref) <= 1.0
    assert abs_ulp(COMPOSITIONS["sparsemax"][1](jnp.asarray(x)), ref) > 8.0
    z = jnp.asarray(np.array([[1e30, 1e30 - 1e24, -1e30], [3e38, -3e38, 0.0]], np.float32))
    np.testing.assert_array_equal(flaxact.sparsemax(z), [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])


def test_sparsemax_properties():
    x = np.concatenate([SPARSE_INPUTS["logits"], SPARSE_INPUTS["small"]])
    p = np.asarray(flaxact.sparsemax(x), np.float64)
    assert np.all(p >= 0)
    assert np.all(p <= 1)
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=0, atol=4 * 2.0**-23)
    assert np.sum(p == 0) > p.size // 4  # exact zeros, many of them
    # the output is max(x - tau, 0) for one tau per row: equal gaps on the support
    on = p > 0
    tau = np.where(on, x - p, np.nan)
    spread = np.nanmax(tau, -1) - np.nanmin(tau, -1)
    assert np.all(spread <= 2.0**-20 * (1 + np.abs(x).max(-1)))
    assert np.all(np.where(on, True, x <= np.nanmin(tau, -1, keepdims=True) + 2.0**-20))
    # order kept
    order = np.argsort(x, -1)
    assert np.all(np.diff(np.take_along_axis(p, order, -1), axis=-1) >= 0)
    # shift invariant: on multiples of 2**-8 adding 64 is exact, and so is the result
    q = np.round(SPARSE_INPUTS["logits"] * 256) / 256
    np.testing.assert_array_equal(flaxact.sparsemax(q + 64.0), flaxact.sparsemax(q))
    # a dominant entry (a gap of 1 or more) takes everything; equal entries share it
    np.testing.assert_array_equal(flaxact.sparsemax(jnp.array([2.0, 1.0, -3.0])), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(
        flaxact.sparsemax(jnp.full((2, 5), 7.0)), np.full((2, 5), 0.2, np.float32)
    )


@pytest.mark.parametrize("axis", [0, 1, -1, -3])
def test_sparsemax_axis(axis):
    x = RNG.standard_normal((4, 5, 6)).astype(np.float32)
    moved = np.moveaxis(x, axis, -1)
    want = np.moveaxis(exact_sparsemax(moved), -1, axis)
    got = flaxact.sparsemax(x, axis)
    assert abs_ulp(got, want) <= flaxact.get("sparsemax").ulp_f32
    np.testing.assert_array_equal(jax.jit(flaxact.sparsemax, static_argnums=1)(x, axis), got)
    np.testing.assert_allclose(np.asarray(got).sum(axis), 1.0, atol=4 * 2.0**-23)


def test_sparsemax_jvp_matches_finite_differences_and_the_analytic_jacobian():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((5, 7)) * 0.6
    with jax.enable_x64(True):
        xs = jnp.asarray(x, jnp.float64)
        # piecewise linear: central differences are exact away from a change of support
        check_grads(flaxact.sparsemax, (xs,), order=1, modes=("fwd", "rev"), eps=1e-6)
        hess = jax.hessian(lambda v: jnp.sum(flaxact.sparsemax(v) * jnp.arange(7.0)))(xs[0])
        np.testing.assert_array_equal(hess, 0.0)
    for row in x.astype(np.float32):
        s = (np.asarray(flaxact.sparsemax(row)) > 0).astype(np.float64)
        expected = np.diag(s) - np.outer(s, s) / s.sum()
        np.testing.assert_allclose(jax.jacfwd(flaxact.sparsemax)(row), expected, atol=1e-7)
        np.testing.assert_allclose(jax.jacrev(flaxact.sparsemax)(row), expected, atol=1e-7)
        eps = 1e-3
        num = np.stack(
            [
                (exact_sparsemax(row + eps * e) - exact_sparsemax(row - eps * e)) / (2 * eps)
                for e in np.eye(7)
            ],
            axis=1,
        )
        np.testing.assert_allclose(jax.jacfwd(flaxact.sparsemax)(row), num, atol=2e-3)


def test_sparsemax_gradient_conventions():
    # an entry exactly at the threshold (output 0) is out of the support: zero Jacobian
    np.testing.assert_array_equal(flaxact.sparsemax(jnp.array([1.0, 0.0])), [1.0, 0.0])
    np.testing.assert_array_equal(jax.jacfwd(flaxact.sparsemax)(jnp.array([1.0, 0.0])), 0.0)
    # -inf entries: output 0, zero and finite gradient
    x = jnp.array([3.0, -jnp.inf, 3.5, 2.0])
    np.testing.assert_array_equal(flaxact.sparsemax(x), [0.25, 0.0, 0.75, 0.0])
    g = np.asarray(
        jax.grad(lambda v: jnp.sum(flaxact.sparsemax(v) * jnp.array([1.0, 2.0, -1.0, 5.0])))(x)
    )
    np.testing.assert_array_equal(g, [1.0, 0.0, -1.0, 0.0])
    # the backward pass keeps the support (a byte an entry) and its size, nothing else
    from jax._src.ad_checkpoint import saved_residuals

    saved = saved_residuals(flaxact.sparsemax, jnp.zeros((4, 8), jnp.float32))
    assert sorted((a.shape, str(a.dtype)) for a, _ in saved) == [
        ((4, 1), "float32"),
        ((4, 8), "bool"),
    ]


def test_sparsemax_special_inputs():
    # size-1 axis, empty arrays
    np.testing.assert_array_equal(flaxact.sparsemax(jnp.array([[-5.0], [3e38]])), [[1.0], [1.0]])
    for shape in [(0,), (0, 4), (3, 0)]:
        assert flaxact.sparsemax(jnp.zeros(shape)).shape == shape
    # +inf, nan, or no finite entry: nan throughout the row, as softmax; others unaffected
    x = jnp.array([[jnp.inf, 1.0, 0.0], [jnp.nan, 1.0, 0.0], [-jnp.inf] * 3, [1.0, 0.5, 0.0]])
    y = np.asarray(flaxact.sparsemax(x))
    assert np.isnan(y[:3]).all()
    np.testing.assert_array_equal(y[3], [0.75, 0.25, 0.0])
    assert np.isnan(np.asarray(flaxact.softmax(x[:3]))).all()


@pytest.mark.parametrize("dtype", HALF)
def test_sparsemax_half_precision_computed_wide_and_rounded_once(dtype):
    x = jnp.asarray(np.concatenate([SPARSE_INPUTS["small"], SPARSE_INPUTS["logits"]]), dtype)
    y = flaxact.sparsemax(x)
    assert y.dtype == jnp.dtype(dtype)
    ref = exact_sparsemax(np.asarray(x, np.float64))
    assert ulp_err(y, ref, HALF_BITS[jnp.dtype(dtype)]) <= 1.0
    np.testing.assert_array_equal(np.asarray(y, np.float64) == 0, ref == 0)


def test_sparsemax_float64():
    x = SPARSE_INPUTS["small"].astype(np.float64) + RNG.standard_normal((300, 16)) * 1e-9
    with jax.enable_x64(True):
        y = flaxact.sparsemax(jnp.asarray(x))
        assert y.dtype == jnp.float64
        assert float(np.max(np.abs(np.asarray(y) - exact_sparsemax(x)))) <= 4 * 2.0**-52


def test_sparsemax_vmap_jit_and_dtypes():
    x = jnp.asarray(SPARSE_INPUTS["small"][:8])
    y = flaxact.sparsemax(x)
    np.testing.assert_array_equal(jax.jit(flaxact.sparsemax)(x), y)
    np.testing.assert_array_equal(jax.vmap(flaxact.sparsemax)(x), y)
    np.testing.assert_array_equal(jax.vmap(flaxact.sparsemax, in_axes=1, out_axes=1)(x.T), y.T)
    g = jax.vmap(jax.grad(lambda r: flaxact.sparsemax(r)[0]))(x)
    np.testing.assert_array_equal(g, np.stack([jax.jacrev(flaxact.sparsemax)(r)[0] for r in x]))
    for dtype in [jnp.int32, jnp.bool_]:
        assert flaxact.sparsemax(jnp.arange(4).astype(dtype)).dtype == jnp.float32
    np.testing.assert_array_equal(flaxact.sparsemax([1, 0, 0]), [1.0, 0.0, 0.0])


@pytest.mark.parametrize("name", ["logmeanexp", "softmin", "sparsemax"])
def test_new_whole_axis_functions_dtypes_and_empty(name):
    fn = flaxact.get(name).fn
    x = jnp.asarray(LOGITS[:8])
    for dtype in [jnp.float32, jnp.bfloat16, jnp.float16, jnp.int32, jnp.bool_]:
        want = dtype if jnp.issubdtype(dtype, jnp.floating) else jnp.float32
        assert fn(x.astype(dtype), -1).dtype == want, (name, dtype)
    if name == "logmeanexp":
        assert fn(x.astype(jnp.int32), -1).dtype == jax.nn.logmeanexp(x.astype(jnp.int32), -1).dtype
    with jax.enable_x64(True):
        assert fn(jnp.asarray(LOGITS[:2], jnp.float64), -1).dtype == jnp.float64
    np.testing.assert_allclose(jax.vmap(lambda r: fn(r, -1))(x), fn(x, -1), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", HALF)
@pytest.mark.parametrize(
    ("name", "ref"),
    [
        ("logmeanexp", lambda x: ref_logmeanexp(x, -1)),
        ("softmin", lambda x: sp.softmax(-x, -1)),
    ],
)
def test_logmeanexp_softmin_half_precision_rounded_once(name, ref, dtype):
    x = jnp.asarray(LOGITS, dtype)
    y = flaxact.get(name).fn(x, -1)
    assert y.dtype == jnp.dtype(dtype)
    assert ulp_err(y, ref(np.asarray(x, np.float64)), HALF_BITS[jnp.dtype(dtype)]) <= 1.0


@pytest.mark.parametrize("name", ["logmeanexp", "softmin", "sparsemax"])
def test_new_whole_axis_functions_bad_input(name):
    fn = flaxact.get(name).fn
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument 'x' has complex dtype"):
        fn(jnp.array([1.0 + 1j, 2.0]))
    with pytest.raises(ValueError, match=rf"flaxact\.{name}: argument 'axis'=2 is out of range"):
        fn(jnp.ones((2, 2)), 2)
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument 'axis' must be an int"):
        fn(jnp.ones((2, 2)), 1.0)
    with pytest.raises(TypeError, match=rf"flaxact\.{name}: argument 'x' must be array-like"):
        fn("abc")
    if name == "sparsemax":
        with pytest.raises(
            TypeError, match=r"flaxact\.sparsemax: argument 'axis' must be an int; got \(0, 1\)"
        ):
            fn(jnp.ones((2, 2)), (0, 1))
        with pytest.raises(
            TypeError, match=r"flaxact\.sparsemax: argument 'axis' must be an int; got None"
        ):
            fn(jnp.ones((2, 2)), None)
        with pytest.raises(
            ValueError,
            match=r"flaxact\.sparsemax: argument 'axis'=-1 is out of range for an array of 0 dimension",
        ):
            fn(1.0)
    else:
        repeats = rf"flaxact\.{name}: argument 'axis'=\(1, -1\) repeats"
        with pytest.raises(ValueError, match=repeats):
            fn(jnp.ones((2, 2)), (1, -1))
        with pytest.raises(ValueError, match=rf"flaxact\.{name}: argument 'where' of shape \(3,\)"):
            fn(jnp.ones((2, 2)), -1, where=jnp.ones(3, bool))


def test_one_hot_out_sharding_lays_out_the_output():
    """jax.nn's keyword: the output takes the sharding asked for, the values unchanged."""
    from jax.sharding import NamedSharding, PartitionSpec

    mesh = jax.make_mesh((1,), ("data",), devices=jax.devices()[:1])
    sharding = NamedSharding(mesh, PartitionSpec("data", None))
    x = jnp.array([0, 2, 1, 5])
    out = flaxact.one_hot(x, 3, out_sharding=sharding)
    assert out.sharding.is_equivalent_to(sharding, out.ndim)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(flaxact.one_hot(x, 3)))
    out = jax.jit(lambda v: flaxact.one_hot(v, 3, out_sharding=sharding))(x)
    assert out.sharding.is_equivalent_to(sharding, out.ndim)
