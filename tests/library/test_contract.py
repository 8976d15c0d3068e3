"""The numerics contract, asserted for every elementwise activation in the registry, and
for the accurate form in :mod:`flaxact.precise` where a record has one ("-precise" ids).

- float32: error within the record's ``ulp_f32`` (``precise_ulp_f32``) over a dense grid
  on [-20, 20] and log-spaced magnitudes to ±3e38 (above ``accurate_from`` where the
  record sets it: below, jax.nn's form flushes a subnormal exponential to zero), and
  never worse than jax.nn (or the jnp code a user would write) on the same inputs;
- bfloat16 and float16: within 1 ULP over every finite input (above ``accurate_from``),
  output dtype kept;
- gradients: finite wherever the derivative is finite (±inf and ±3e38 included); relative
  error ≤ 1e-6 where the derivative is normal, or, for a record whose gradient is
  jax.nn's formula (``grad_as_jax_nn``), a largest error at most twice jax.nn's;
- second derivatives where they exist;
- float64 (``jax_enable_x64``): values within 1e-12 relative of mpmath, gradients within
  1e-10, and the limits at ±inf (the float32 kernels' polynomials and cut-offs must not
  leak into float64).

The reference is flaxact_dev/oracle.py (float64, itself checked against mpmath).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest

import flaxact
import flaxact.precise
from flaxact_dev.oracle import DERIV, MP, SCALE, VALUE
from flaxact_dev.testing import (
    all_finite,
    baseline,
    case_id,
    elementwise_records,
    float32_grid,
    in_domain,
    normal_inputs,
    param_cases,
    ulp_error,
)

RECORDS = elementwise_records()
CASES = param_cases(RECORDS)
#: (case, form): every case in its default form, and in its precise form where it has one
FORMS = [(c, "default") for c in CASES] + [
    (c, "precise") for c in CASES if flaxact.get(c[0]).precise_ulp_f32 is not None
]
GRID = float32_grid()
EPS32 = float(np.finfo(np.float32).eps)


def form_id(item) -> str:
    case, form = item
    return case_id(case) + ("-precise" if form == "precise" else "")


def _form(item):
    """``(record, function, float32 bound, accurate_from, gradient as jax.nn's)``."""
    (name, params), form = item
    rec = flaxact.get(name)
    if form == "precise":
        fn = getattr(flaxact.precise, name)
        return rec, fn, rec.ulp_bound(params, precise=True), None, False
    return rec, rec.fn, rec.ulp_bound(params), rec.accurate_start(params), rec.grad_as_jax_nn


def _above(x, accurate_from):
    return np.ones(np.shape(x), bool) if accurate_from is None else np.asarray(x) >= accurate_from


def test_precise_forms_exist_for_the_records_that_name_them():
    """A record with ``precise_ulp_f32`` has ``flaxact.precise.<name>``, and every function
    there belongs to such a record (the registry is the one list)."""
    named = {r.name for r in flaxact.records() if r.precise_ulp_f32 is not None}
    assert named == set(flaxact.precise.__all__)
    for name in named:
        assert callable(getattr(flaxact.precise, name))


def _oracle_input(x: np.ndarray) -> np.ndarray:
    """float64 copy of ``x`` with ±inf replaced by ±1e300, where every limit has been reached."""
    x64 = np.asarray(x, np.float64)
    return np.where(np.isinf(x64), np.sign(x64) * 1e300, x64)


def _eval(fn, x, params):
    return np.asarray(jax.jit(functools.partial(fn, **params))(x))


def test_every_elementwise_activation_has_an_oracle():
    missing = [r.name for r in RECORDS if r.name not in VALUE or r.name not in DERIV]
    assert not missing, f"no oracle in flaxact_dev/oracle.py for {missing}"


@pytest.mark.parametrize("item", FORMS, ids=form_id)
def test_float32_accuracy(item):
    (name, params), _ = item
    rec, fn, bound, accurate_from, _ = _form(item)
    # the default's bound is in ULP of max(|exact|, ulp_floor); the precise form's relative
    floor = 0.0 if item[1] == "precise" else rec.ulp_floor
    x = GRID[in_domain(name, GRID)]
    ref = VALUE[name](x.astype(np.float64), **params)
    err, mask = ulp_error(_eval(fn, x, params), ref, "float32", floor)
    assert mask.sum() > 10_000
    held = np.where(_above(x, accurate_from), err, 0.0)
    worst = int(np.argmax(held))
    assert held[worst] <= bound, (
        f"{form_id(item)}: {held[worst]:.3f} ULP at x={x[worst]!r} exceeds the contracted "
        f"{bound} ULP"
    )
    base = baseline(rec, params)
    if base is not None:
        jerr, jmask = ulp_error(_eval(base[1], x, params), ref, "float32", floor)
        both = mask & jmask
        ours, theirs = err[both].max(), jerr[both].max()
        assert ours <= max(theirs, 0.5 + 1e-9), (
            f"{form_id(item)}: {ours:.3f} ULP is worse than {base[0]}'s {theirs:.3f} ULP"
        )


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
@pytest.mark.parametrize("item", FORMS, ids=form_id)
def test_half_precision_within_one_ulp(item, dtype):
    (name, params), _ = item
    _, fn, _, accurate_from, _ = _form(item)
    x = all_finite(dtype)
    x32 = x.astype(np.float32)
    x = x[in_domain(name, x32) & normal_inputs(x32) & _above(x32, accurate_from)]
    y = jax.jit(functools.partial(fn, **params))(jnp.asarray(x))
    assert y.dtype == jnp.dtype(dtype)
    ref = VALUE[name](x.astype(np.float64), **params)
    err, mask = ulp_error(np.asarray(y.astype(jnp.float32)), ref, dtype)
    assert mask.sum() > 1_000
    worst = int(np.argmax(err))
    assert err[worst] <= 1.0, (
        f"{form_id(item)} {dtype}: {err[worst]:.3f} ULP at x={float(x[worst])!r}"
    )


def _kink_points(rec) -> np.ndarray:
    return np.array([k.x for k in rec.kinks], np.float64)


def _baseline_error(rec, params, x, d, dtype=None):
    """``|g - d|`` of the baseline's gradient ``g`` (jax.nn's, or the jnp code's) at ``x``;
    nan where it has none or it is not finite."""
    base = baseline(rec, params)
    if base is None:
        return np.full(np.shape(x), np.nan)
    grad = jax.jit(jax.vmap(jax.grad(functools.partial(base[1], **params))))
    with np.errstate(invalid="ignore"):
        g = np.asarray(grad(jnp.asarray(x, dtype)), np.float64)
        return np.where(np.isfinite(g), np.abs(g - d), np.nan)


def _excess(err, tol, where, base_err=None):
    """``err / tol`` where ``where`` (0 elsewhere). With ``base_err`` (for a gradient
    computed as jax.nn computes it), divided by twice the baseline's own largest
    ``base_err / tol`` (where that is finite) when above 1: the largest error is then
    held to jax.nn's, not to ``tol``; where jax.nn's gradient is not finite, ours only
    has to be."""
    ratio = np.where(where, err / tol, 0.0)
    if base_err is None:
        return ratio
    finite = where & np.isfinite(base_err)
    theirs = np.max(np.where(finite, base_err / tol, 0.0), initial=0.0)
    return np.where(finite, ratio, 0.0) / max(1.0, 2 * theirs)


@pytest.mark.parametrize("item", FORMS, ids=form_id)
def test_gradient_finite_and_accurate(item):
    (name, params), _ = item
    rec, fn, _, _, as_jax_nn = _form(item)
    extremes = np.array([np.inf, -np.inf, 3e38, -3e38, 1e30, -1e30, 1e19, -1e19, 1.7e38, -1.7e38])
    x = np.concatenate([GRID, extremes.astype(np.float32)])
    x = x[in_domain(name, x)]
    grad = jax.jit(jax.vmap(jax.grad(functools.partial(fn, **params))))
    g = np.asarray(grad(jnp.asarray(x)), np.float64)
    d = DERIV[name](_oracle_input(x), **params)
    # finite in float32 (squared_relu's 2x is not beyond 1.7e38)
    finite = np.abs(d) <= np.finfo(np.float32).max
    bad = finite & ~np.isfinite(g)
    assert not bad.any(), f"{form_id(item)}: non-finite gradient at x={x[bad][:5]!r}"
    off_kink = ~np.isin(x.astype(np.float64), _kink_points(rec))
    # Everywhere the derivative is a normal number, down to the smallest: the kernels
    # scale exp(x) by 2**64 and apply 2**-64 last, so no factor is flushed to zero first.
    normal = finite & off_kink & (np.abs(d) >= np.finfo(np.float32).tiny)
    scale = np.abs(d)
    if name in SCALE:
        scale = np.maximum(scale, SCALE[name](_oracle_input(x), **params))
    tol = 1e-6 * np.abs(d) + 4 * EPS32 * (scale - np.abs(d)) + 1e-45
    base = _baseline_error(rec, params, x, d) if as_jax_nn else None
    excess = _excess(np.abs(g - d), tol, normal, base)
    worst = int(np.argmax(excess))
    assert excess[worst] <= 1.0, (
        f"{form_id(item)}: gradient {g[worst]!r} vs {d[worst]!r} at x={x[worst]!r} "
        f"(relative error {abs(g[worst] - d[worst]) / abs(d[worst]):.2e})"
    )


F64_GRID = np.concatenate(
    [np.linspace(-40.0, 40.0, 161), np.geomspace(1e-8, 700.0, 60), -np.geomspace(1e-8, 700.0, 60)]
)
F64_ENDS = np.array([np.inf, -np.inf])


@pytest.mark.parametrize("item", FORMS, ids=form_id)
def test_float64_accuracy(item):
    """float64 inputs get float64 accuracy, out to float64's range.

    The float32 kernels use polynomials fitted to float32 and cut-offs where float32
    underflows (|x| = 14 in GELU's tanh form); in float64 either would be silently wrong
    (GELU's tanh form was off by a factor of 1e196 at x = -20.75). 400 digits: the tails
    of softplus and log_sigmoid need more than 40 (1 + e^-84 at 40 digits keeps three).
    """
    case, _ = item
    name, params = case
    rec, fn, _, _, as_jax_nn = _form(item)
    fn = functools.partial(fn, **params)
    x = F64_GRID[in_domain(name, F64_GRID)]
    ends = F64_ENDS[in_domain(name, F64_ENDS)]
    value, slope = jax.jit(fn), jax.jit(jax.vmap(jax.grad(fn)))
    with jax.enable_x64(True):
        both = jnp.asarray(np.concatenate([x, ends]))
        y, g = np.asarray(value(both)), np.asarray(slope(both))
    assert y.dtype == np.float64
    assert g.dtype == np.float64
    y, y_ends = y[: x.size], y[x.size :]
    g, g_ends = g[: x.size], g[x.size :]
    if name in MP:
        with mp.workdps(400):
            ref = np.array([float(MP[name](mp.mpf(float(v)), **params)) for v in x])
    else:  # piecewise linear or polynomial: exact in float64
        ref = VALUE[name](x, **params)
    tiny = np.finfo(np.float64).tiny
    err = np.where(np.abs(ref) >= tiny, np.abs(y - ref) / np.maximum(np.abs(ref), tiny), 0.0)
    worst = int(np.argmax(err))
    assert err[worst] <= 1e-12, f"{case_id(case)}: {y[worst]!r} vs {ref[worst]!r} at x={x[worst]!r}"
    d = DERIV[name](x, **params)
    scale = np.maximum(np.abs(d), SCALE[name](x, **params)) if name in SCALE else np.abs(d)
    off_kink = ~np.isin(x, _kink_points(rec))
    tol = 1e-10 * scale + 1e-300
    base = None
    if as_jax_nn:  # jax.nn's formula: no less accurate than jax.nn's in float64 either
        with jax.enable_x64(True):
            base = _baseline_error(rec, params, x, d, jnp.float64)
    gerr = _excess(np.abs(g - d), tol, off_kink, base)
    worst = int(np.argmax(gerr))
    assert gerr[worst] <= 1.0, (
        f"{case_id(case)}: gradient {g[worst]!r} vs {d[worst]!r} at x={x[worst]!r}"
    )
    # the limits at ±inf: as in float32, where the contract tests check them against the oracle
    with np.errstate(over="ignore"):  # NumPy counts inf -> float32 as an overflow
        ends32 = jnp.asarray(ends.astype(np.float32))
    y32, g32 = np.asarray(value(ends32), np.float64), np.asarray(slope(ends32), np.float64)
    np.testing.assert_array_equal(y_ends, y32)
    np.testing.assert_array_equal(g_ends, g32)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_second_derivative(case):
    name, params = case
    rec = flaxact.get(name)
    if rec.smoothness == "C0":
        pytest.skip(f"{name} is only C0: no second derivative")
    x = np.linspace(-6.0, 6.0, 97)
    x = x[in_domain(name, x) & ~np.isin(x, _kink_points(rec))]
    h = 1e-5
    jump = np.abs(DERIV[name](x + h, **params) - DERIV[name](x - h, **params))
    x = x[jump < 1e-3]  # a kink of this parameter setting (elu at 0 for alpha != 1)
    d0 = DERIV[name](x, **params)
    left = (d0 - DERIV[name](x - h, **params)) / h
    right = (DERIV[name](x + h, **params) - d0) / h
    x = x[np.abs(left - right) < 1e-2 * (1 + np.abs(left))]  # f'' jumps (soft_sign at 0)
    want = (DERIV[name](x + h, **params) - DERIV[name](x - h, **params)) / (2 * h)
    fn = functools.partial(rec.fn, **params)
    got = np.asarray(jax.vmap(jax.grad(jax.grad(fn)))(jnp.asarray(x, jnp.float32)))
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, want, rtol=2e-3, atol=2e-4)


@pytest.mark.parametrize("rec", [r for r in RECORDS if r.kinks], ids=lambda r: r.name)
def test_kink_gradient_convention(rec):
    for kink in rec.kinks:
        got = float(jax.grad(rec.example_fn)(jnp.float32(kink.x)))
        assert got == pytest.approx(kink.grad, abs=1e-7), (rec.name, kink)
        assert kink.one_sided[0] != kink.one_sided[1], "a kink has different one-sided slopes"
        if rec.jax_nn is not None:
            theirs = float(jax.grad(getattr(jax.nn, rec.jax_nn))(jnp.float32(kink.x)))
            assert got == pytest.approx(theirs, abs=1e-7), (
                f"{rec.name}'({kink.x}) differs from jax.nn"
            )
        # the one-sided derivatives recorded for the docs are the true ones, probed 1e-3
        # away or half-way to the next kink (xielu's are 1e-6 apart)
        others = [abs(k.x - kink.x) for k in rec.kinks if k is not kink]
        h = min([1e-3, *(d / 2 for d in others)])
        left = float(jax.grad(rec.example_fn)(jnp.float32(kink.x - h)))
        right = float(jax.grad(rec.example_fn)(jnp.float32(kink.x + h)))
        assert (left, right) == pytest.approx(kink.one_sided, abs=2e-3)
