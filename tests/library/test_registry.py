"""The registry: lookup, completeness, and the recorded properties checked numerically."""

from __future__ import annotations

import inspect
import math
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import flaxact
import flaxact.precise
from flaxact import _registry
from flaxact_dev.oracle import VALUE
from flaxact_dev.testing import elementwise_records, in_domain

RECORDS = flaxact.records()
ELEMENTWISE = elementwise_records()

# The activation set of jax.nn that flaxact is a drop-in for.
JAX_NN_NAMES = {
    "celu",
    "elu",
    "gelu",
    "glu",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "identity",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "logmeanexp",
    "logsumexp",
    "log1mexp",
    "mish",
    "one_hot",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "swish",
    "soft_sign",
    "softmax",
    "softplus",
    "sparse_plus",
    "sparse_sigmoid",
    "squareplus",
    "standardize",
    "tanh",
}


def test_every_jax_nn_activation_is_registered_and_exported():
    known = set(flaxact.names(aliases=True))
    assert known >= JAX_NN_NAMES, sorted(JAX_NN_NAMES - known)
    for name in known:
        assert getattr(flaxact, name) is flaxact.get(name).fn
        assert name in flaxact.__all__


@pytest.mark.parametrize("rec", [r for r in RECORDS if r.jax_nn], ids=lambda r: r.name)
def test_signature_is_a_drop_in_for_jax_nn(rec):
    """Same parameter names, order, kinds and defaults as jax.nn; extra parameters only at the end."""
    theirs = list(inspect.signature(getattr(jax.nn, rec.jax_nn)).parameters.values())
    ours = list(inspect.signature(rec.fn).parameters.values())
    assert len(ours) >= len(theirs)
    for p, q in zip(theirs, ours, strict=False):
        assert (p.name, p.kind) == (q.name, q.kind), rec.name
        if p.name == "algorithm":  # standardize: flaxact defaults to the stable algorithm
            continue
        assert p.default == q.default or (p.default is None and q.default is None), (
            f"{rec.name}: default of {p.name} is {q.default!r}, jax.nn has {p.default!r}"
        )
    for extra in ours[len(theirs) :]:
        assert extra.default is not inspect.Parameter.empty, (
            f"{rec.name}: {extra.name} needs a default"
        )


def test_get_resolves_aliases_and_names():
    assert flaxact.get("hard_swish") is flaxact.get("hard_silu")
    assert flaxact.get("relu").fn is flaxact.relu
    assert flaxact.names() == sorted(flaxact.names())
    assert set(flaxact.names()) < set(flaxact.names(aliases=True))


def test_records_are_callable_and_get_accepts_functions():
    """A configuration names its activation: ``flaxact.get(cfg.activation)(x)``."""
    x = jnp.array([-1.5, 0.0, 2.0, 0.5])  # even: the gated functions split it
    for rec in RECORDS:
        assert flaxact.get(rec.name) is rec
        assert flaxact.get(rec.fn) is rec
        if rec.name != "one_hot":
            np.testing.assert_array_equal(
                flaxact.get(rec.name)(x, **rec.example_args), rec.fn(x, **rec.example_args)
            )
    assert flaxact.get("swiglu")(jnp.ones(4), axis=0).shape == (2,)  # arguments pass through
    assert flaxact.get(flaxact.hard_swish) is flaxact.get("hard_silu")
    assert flaxact.get(flaxact.get("elu")) is flaxact.get("elu")
    with pytest.raises(TypeError, match=r"flaxact\.get: argument 'name' .* is not registered"):
        flaxact.get(jnp.tanh)
    with pytest.raises(TypeError, match=r"flaxact\.get: argument 'name' .* is not registered"):
        flaxact.get(flaxact.precise.gelu)  # the accurate forms have no records of their own


def test_unknown_name_lists_close_matches():
    with pytest.raises(KeyError, match=r"flaxact.get: no activation named 'gleu'.*'gelu'"):
        flaxact.get("gleu")
    with pytest.raises(KeyError, match="no activation named 'nothing_like_it'"):
        flaxact.get("nothing_like_it")
    with pytest.raises(TypeError, match="argument 'name' must be a str or a flaxact activation"):
        flaxact.get(3)


def test_registering_twice_is_an_error():
    def relu(x):
        """Stand-in."""

    relu.__module__ = "somewhere_else"
    with pytest.raises(ValueError, match="registered twice"):
        _registry.activation(
            family="rectifier",
            formula="x",
            derivative="1",
            output_range=(0, 1),
            monotonic=True,
            smoothness="C0",
            zero_centered=False,
        )(relu)


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_record_is_complete(rec):
    assert rec.family in _registry.FAMILIES
    assert rec.formula
    assert rec.derivative or not rec.elementwise
    assert rec.output_range[0] <= rec.output_range[1]
    assert rec.formula in rec.fn.__doc__, "the docstring's math block comes from the record"
    for section in ("Parameters", "Returns", "See Also", "Notes", "References", "Examples"):
        assert f"\n{section}\n" in rec.fn.__doc__, f"{rec.name}: docstring lacks {section}"
    for key in rec.example_params:
        assert key in rec.params, f"{rec.name}: example parameter {key} is not a parameter"
    # kinks are where the derivative is not defined: corners (C0) and jumps
    not_differentiable = rec.smoothness in ("C0", "discontinuous")
    assert not_differentiable == bool(rec.kinks) or not rec.elementwise


def _property_grid():
    mag = np.geomspace(1e-30, 1e30, 3000)
    return np.unique(np.concatenate([np.linspace(-20, 20, 8001), mag, -mag])).astype(np.float32)


@pytest.mark.parametrize("rec", ELEMENTWISE, ids=lambda r: r.name)
def test_recorded_properties_hold_numerically(rec):
    x = _property_grid()
    x = x[in_domain(rec.name, x)]
    y = np.asarray(rec.example_fn(jnp.asarray(x)), np.float64)
    finite = np.isfinite(y)
    lo, hi = rec.output_range
    assert np.all(y[finite] >= lo), rec.name
    assert np.all(y[finite] <= hi), rec.name
    # the range is tight: its ends are approached (or the function grows without bound)
    for end, extreme in ((lo, y[finite].min()), (hi, y[finite].max())):
        if math.isfinite(end):
            assert abs(extreme - end) <= 1e-2 * (1 + abs(end)), (rec.name, end, extreme)
        else:
            assert abs(extreme) > 50, (rec.name, end, extreme)  # log1mexp(1e-30) = -69
    # monotonic: no decrease beyond the contracted rounding error (and a real decrease if
    # not), between finite values (squared_relu overflows to inf, as its exact value does)
    xf, yf = x[finite], y[finite]
    steps = np.diff(yf)
    # the bound is in ULP of max(|y|, ulp_floor) where the record sets a floor
    scale = np.maximum(np.abs(yf[:-1]), rec.ulp_floor).astype(np.float32)
    slack = (rec.ulp_bound() + 1) * np.spacing(scale).astype(np.float64)
    if rec.monotonic:
        # where the record's bound holds (x >= accurate_from): below, the value is jax.nn's
        # form and carries its rounding, which can step down by more than the bound
        held = np.ones(steps.shape, bool)
        if rec.accurate_start() is not None:
            held = np.asarray(xf[:-1]) >= rec.accurate_start()
        assert np.all(steps[held] >= -slack[held]), rec.name
    else:
        assert np.any(steps < -slack), f"{rec.name} is recorded as non-monotonic"
    # zero-centred: the sign of the input kept, and non-decreasing (negative inputs give
    # negative outputs that do not climb back to 0, so activations can average to zero), as for tanh,
    # ELU and leaky ReLU; SiLU, GELU and Mish keep the sign but are not monotonic (sign
    # judged where the exact value is 0 or a normal number: x - tanh(x) rounds to 0 for
    # |x| < 3e-13, where its exact value is below float32's normal range)
    exact = VALUE[rec.name](x.astype(np.float64), **rec.example_args)
    judged = (x != 0) & ((exact == 0) | (np.abs(exact) >= np.finfo(np.float32).tiny))
    # and, with a floor, where the exact value is above the bound's absolute error
    judged &= (exact == 0) | (np.abs(exact) > rec.ulp_bound() * 2.0**-23 * rec.ulp_floor)
    sign_kept = bool(np.all(np.sign(y[judged]) == np.sign(x[judged])))
    if 0.0 in x:
        sign_kept &= float(rec.example_fn(jnp.float32(0.0))) == 0.0
    assert rec.zero_centered == (sign_kept and bool(rec.monotonic)), rec.name


def _slope_grid() -> np.ndarray:
    """float64: every 1e-3 on [-20, 20], and magnitudes from 1e-12 to 1e6 (steps near 0)."""
    mag = np.geomspace(1e-12, 1e6, 2000)
    return np.unique(np.concatenate([np.linspace(-20.0, 20.0, 40001), mag, -mag, [0.0]]))


def _slopes(rec, x: np.ndarray) -> np.ndarray:
    """``f'(x)`` at default parameters, computed in float64."""
    with jax.enable_x64(True):
        return np.asarray(jax.jit(jax.vmap(jax.grad(rec.example_fn)))(jnp.asarray(x, jnp.float64)))


@pytest.mark.parametrize("rec", ELEMENTWISE, ids=lambda r: r.name)
def test_derivative_monotonic_holds_numerically(rec):
    """f' never falls below its running maximum (beyond float64 rounding) where it is
    defined, or it falls by a real amount; the kink points themselves, where f' is a
    convention, are left out."""
    assert rec.derivative_monotonic is not None, f"{rec.name}: derivative_monotonic not recorded"
    x = _slope_grid()
    x = x[in_domain(rec.name, x) & ~np.isin(x, [k.x for k in rec.kinks])]
    d = _slopes(rec, x)
    x, d = x[np.isfinite(d)], d[np.isfinite(d)]  # log1mexp' has a pole at 0
    peak = np.maximum.accumulate(d)
    fall = peak - d
    worst = int(np.argmax(fall))
    if rec.derivative_monotonic:
        assert fall[worst] <= 1e-9 * (1 + abs(peak[worst])), (
            f"{rec.name}: f' falls by {fall[worst]:.3g} at x={x[worst]!r}"
        )
    else:
        assert fall[worst] > 1e-3, f"{rec.name} is recorded with a non-monotonic f'"


@pytest.mark.parametrize("rec", ELEMENTWISE, ids=lambda r: r.name)
def test_identity_near_origin_holds_numerically(rec):
    """``f(0) = 0`` and ``f'(0) = 1`` from both sides (a kink at 0 is not the identity)."""
    assert rec.identity_near_origin is not None, f"{rec.name}: identity_near_origin not recorded"
    at = np.array([-1e-8, 0.0, 1e-8])
    if not in_domain(rec.name, at).all():  # log1mexp: defined for x > 0 only
        assert not rec.identity_near_origin, rec.name
        return
    with jax.enable_x64(True):
        f0 = float(jax.jit(rec.example_fn)(jnp.float64(0.0)))
    d = _slopes(rec, at)
    near = f0 == 0.0 and bool(np.all(np.abs(d - 1.0) <= 1e-6))
    assert rec.identity_near_origin == near, (rec.name, f0, d)


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_record_fields_that_apply_only_to_some_kinds(rec):
    if not rec.elementwise:
        assert rec.derivative_monotonic is None, rec.name
        assert rec.identity_near_origin is None, rec.name
    if rec.family == "gated":  # a = W x and b = V x: no single input whose sign to keep
        assert rec.zero_centered is None, rec.name


@pytest.mark.parametrize(
    "rec",
    [r for r in ELEMENTWISE if r.smoothness not in ("C0", "discontinuous")],
    ids=lambda r: r.name,
)
def test_smooth_functions_have_continuous_derivatives(rec):
    """No jump in f' anywhere on a fine grid (C1 or better)."""
    x = jnp.linspace(-8.0, 8.0, 16001)
    x = x[in_domain(rec.name, np.asarray(x))]
    d = np.asarray(jax.vmap(jax.grad(rec.example_fn))(x))
    bounded = np.abs(d) < 20  # log1mexp' = 1/(e^x - 1) has a pole at 0, no jump
    jumps = np.abs(np.diff(d)) / (1 + np.abs(d[1:]))
    assert np.max(jumps[bounded[1:] & bounded[:-1]]) < 0.05, rec.name


@pytest.mark.parametrize("rec", flaxact.records(), ids=lambda r: r.name)
def test_docstring_states_the_tested_bound_and_no_other(rec):
    """The accuracy paragraph is generated from ``ulp_f32``; no hand-typed ULP figure remains."""
    doc = " ".join(inspect.getdoc(rec.fn).split())
    sentence = " ".join(_registry.accuracy_sentence(rec).split())
    assert sentence in doc
    rest = doc.replace(sentence, "")
    typed = re.findall(r"\d+(?:\.\d+)? ULP", rest)
    assert not typed, f"{rec.name}: ULP figures typed into the docstring: {typed}"


def test_accuracy_sentence_reads_the_record():
    gelu = flaxact.get("gelu")
    text = _registry.accuracy_sentence(gelu)
    for key, bound in gelu.ulp_f32.items():
        if key:
            assert f"{bound:g} ULP" in text
    assert "approximate='sigmoid'" in text
    assert "float32 results exact" in _registry.accuracy_sentence(flaxact.get("relu"))
    assert "bfloat16" not in _registry.accuracy_sentence(flaxact.get("softmax"))


def _derivative_jump(fn, **params) -> float:
    """The largest jump of ``fn'`` between neighbours of a fine grid on [-8, 8] (0
    included), relative to the derivative's size: about 0.001 for a smooth function."""
    x = jnp.linspace(-8.0, 8.0, 16001)
    d = np.asarray(jax.vmap(jax.grad(lambda v: fn(v, **params)))(x), np.float64)
    bounded = np.abs(d) < 20
    jumps = np.abs(np.diff(d)) / (1 + np.abs(d[1:]))
    return float(np.nanmax(np.where(bounded[1:] & bounded[:-1], jumps, np.nan)))


def _probe_settings(rec, condition: str):
    """Single-parameter variations of the defaults on which to judge ``condition``: the
    gallery's values, the defaults and a few round numbers, those the function accepts."""
    names = compile(condition, "<parameter_kinks>", "eval").co_names
    assert names, f"{rec.name}: {condition!r} names no parameter"
    assert set(names) <= set(rec.params), f"{rec.name}: {condition!r} names a non-parameter"
    for name in names:
        for v in dict.fromkeys(
            (*rec.example_params.get(name, ()), rec.params[name], 0.0, 0.5, 1.0, 2.0)
        ):
            try:
                rec.fn(jnp.zeros(2), **{name: v})
            except (ValueError, TypeError):
                continue
            yield {**rec.params, name: v}, {name: v}


@pytest.mark.parametrize("rec", [r for r in ELEMENTWISE if r.parameter_kinks], ids=lambda r: r.name)
def test_parameter_kinks_appear_exactly_where_stated(rec):
    """A record states smoothness for its defaults; ``parameter_kinks`` names the parameter
    values that add a kink. The derivative jumps for those values, and (for a record that
    is C1 or better) for no other value probed."""
    for condition in rec.parameter_kinks:
        seen = set()
        for env, changed in _probe_settings(rec, condition):
            holds = bool(eval(condition, {}, env))  # a comparison of the parameters
            seen.add(holds)
            jump = _derivative_jump(rec.fn, **changed)
            if holds:
                assert jump > 0.1, (
                    f"{rec.name}{changed}: {condition} holds, yet no kink ({jump:.3g})"
                )
            elif rec.smoothness not in ("C0", "discontinuous"):
                assert jump < 0.05, (
                    f"{rec.name}{changed}: a kink ({jump:.3g}) the record does not state"
                )
        assert seen == {True, False}, (
            f"{rec.name}: probes never {'meet' if True not in seen else 'miss'} {condition}"
        )


def test_elu_has_a_kink_unless_alpha_is_one():
    """elu is C1 only for its default alpha = 1: for alpha = 0.5 the one-sided derivatives
    at 0 are 0.5 and 1, and ``jax.grad`` returns the left one, as the record states."""
    rec = flaxact.get("elu")
    assert rec.smoothness == "C1"
    assert not rec.kinks
    assert rec.params == {"alpha": 1.0}
    assert "alpha != 1" in rec.parameter_kinks
    h = 2.0**-12  # difference quotients: within h/2 relative of the one-sided derivatives
    for alpha, expected in ((0.5, (0.5, 1.0)), (1.0, (1.0, 1.0)), (2.0, (2.0, 1.0))):
        f = np.asarray(flaxact.elu(jnp.array([-h, 0.0, h]), alpha), np.float64)
        left, right = (f[1] - f[0]) / h, (f[2] - f[1]) / h
        np.testing.assert_allclose((left, right), expected, rtol=1e-3)
        assert (abs(left - right) > 0.1) == (alpha != 1), alpha
        assert float(jax.grad(flaxact.elu)(0.0, alpha)) == expected[0]


def test_gelu_record_derivative_is_the_default_forms():
    """GELU's default is the tanh form (``approximate=True``): the record's derivative is
    that form's, transcribed here from its LaTeX and compared with ``jax.grad``."""
    rec = flaxact.get("gelu")
    assert rec.params["approximate"] is True
    for part in (r"\tanh", "0.044715", "0.134145"):
        assert part in rec.derivative
    assert r"\Phi(x) + x\,\varphi(x)" in rec.fn.__doc__  # the exact form's, in the Notes
    x = np.linspace(-6.0, 6.0, 241)
    c = math.sqrt(2 / math.pi)
    t = np.tanh(c * (x + 0.044715 * x**3))
    stated = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 0.134145 * x**2)
    xf = jnp.asarray(x, jnp.float32)
    grad = np.asarray(jax.vmap(jax.grad(flaxact.gelu))(xf), np.float64)
    # below x = -4 the slope is formed, as jax.nn forms it, from a tanh rounded next to
    # -1: an absolute error of a few 1e-6 there, no more than jax.nn's own
    held = x >= -4.0
    np.testing.assert_allclose(grad[held], stated[held], rtol=1e-5, atol=1e-6)
    theirs = np.asarray(jax.vmap(jax.grad(jax.nn.gelu))(xf), np.float64)
    assert np.abs(grad - stated).max() <= np.abs(theirs - stated).max() + 1e-7
