"""The float32 building blocks of ``flaxact._kernels``, checked exactly (with fractions).

The error-free transforms (``two_prod``, ``fast_two_sum``) are only worth anything if the
compiled code computes what the Python says. XLA's CPU backend rewrites ``(1 + x) - 1``
to ``x`` and contracts a multiply feeding an add into a fused multiply-add; both change
the rounding the transforms rely on. Each case here feeds them products, inside a jitted
computation, the way the activations do.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import flaxact
from flaxact import _kernels as K
from flaxact_dev.testing import baseline

RNG = np.random.default_rng(7)
A = (RNG.standard_normal(4096) * RNG.choice([1e-3, 1.0, 1e3], 4096)).astype(np.float32)
B = (RNG.standard_normal(4096) * RNG.choice([1e-3, 1.0, 1e3], 4096)).astype(np.float32)
C = RNG.standard_normal(4096).astype(np.float32)


def _exact(v) -> list[Fraction]:
    return [Fraction(float(t)) for t in np.asarray(v, np.float64)]


def test_two_prod_is_exact_on_products_inside_jit():
    # the factors are themselves products, and the result feeds further arithmetic:
    # the pattern in which a fused multiply-add changes what a * b rounds to
    def f(a, b, c):
        p, e = K.two_prod(a * c, b)
        return a * c, p, e, p * c + e

    ac, p, e, _ = jax.jit(f)(A, B, C)
    for x, y, pp, ee in zip(_exact(ac), _exact(B), _exact(p), _exact(e), strict=True):
        assert pp + ee == x * y


def test_fast_two_sum_is_exact_on_products_inside_jit():
    # the larger operand first (its exponent at least the other's), both of them
    # products that a fused multiply-add could absorb into the sum
    def f(a, b, c):
        big, small = (
            jnp.where(jnp.abs(a) >= jnp.abs(b), a, b),
            jnp.where(jnp.abs(a) >= jnp.abs(b), b, a),
        )
        s, e = K.fast_two_sum(big * c, small * c)
        return big * c, small * c, s, e, s * 2 + e

    ac, bc, s, e, _ = jax.jit(f)(A, B, C)
    for x, y, ss, ee in zip(_exact(ac), _exact(bc), _exact(s), _exact(e), strict=True):
        assert ss + ee == x + y


def test_half_constants_multiply_exactly():
    # split_const(half=True): hi has at most 12 significant bits, so hi times the high
    # half of any float32 is exact (the gelu argument relies on it)
    hi, lo = K.split_const(0.07135481282, np.float32, half=True)
    assert not (np.float32(hi).view(np.uint32) & 0xFFF)
    assert abs(Fraction(hi) + Fraction(lo) - Fraction(0.07135481282)) < Fraction(2.0**-40)
    h, _ = jax.jit(K.split)(jnp.asarray(A))
    prod = np.asarray(jax.jit(lambda v: v * hi)(h))
    assert all(Fraction(float(p)) == Fraction(hi) * v for p, v in zip(prod, _exact(h), strict=True))


def test_square_in_two_parts():
    # |x| up to 1e3 and down to 1e-3 (A), products inside jit: s + e within 2**-46 of x^2,
    # and e below 2**-21 of s (small enough for exp's first-order correction r + r e)
    s, e = jax.jit(K.square)(jnp.asarray(A))
    for x, ss, ee in zip(_exact(A), _exact(s), _exact(e), strict=True):
        if x:
            assert abs(ss + ee - x * x) <= x * x * Fraction(2.0**-46)
            assert abs(ee) <= abs(ss) * Fraction(2.0**-21)


def test_keep_preserves_nan_and_inf():
    v = jnp.asarray([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5], jnp.float32)
    out = np.asarray(jax.jit(K.keep)(v))
    assert np.isnan(out[0])
    np.testing.assert_array_equal(out[1:], np.asarray(v)[1:])
    assert np.signbit(out[4])


def test_split_halves_are_exact_and_short():
    hi, lo = jax.jit(K.split)(jnp.asarray(A))
    hi, lo = np.asarray(hi), np.asarray(lo)
    np.testing.assert_array_equal(
        hi.astype(np.float64) + lo.astype(np.float64), A.astype(np.float64)
    )
    # at most 12 significant bits in hi: its low 12 mantissa bits are clear
    assert not (hi.view(np.uint32) & 0xFFF).any()


@pytest.mark.parametrize("name", [r.name for r in flaxact.records() if r.elementwise])
def test_one_kernel_like_jax_nn(name):
    """Value, gradient, and value with gradient compile to no more fused kernels than jax.nn's.

    A second kernel means an intermediate array written to and read back from memory
    (XLA declines, for instance, to fuse a division whose result is used twice): a
    structural check of speed that no timing noise can hide.
    """
    rec = flaxact.get(name)
    fn = rec.example_fn
    base = baseline(rec, {})  # jax.nn's, or the jnp code a user would write
    theirs = functools.partial(base[1], **rec.example_args) if base else None
    x = jnp.linspace(-4.0, 4.0, 1024, dtype=jnp.float32) + (5.0 if name == "log1mexp" else 0.0)

    def value_and_grad(f):  # as in training: the value and the input gradient together
        def run(v):
            y, pullback = jax.vjp(f, v)
            return y, pullback(jnp.ones_like(y))[0]

        return run

    def kernels(f):
        counts = []
        for g in (f, jax.grad(lambda v: f(v).sum()), value_and_grad(f)):
            counts.append(jax.jit(g).lower(x).compile().as_text().count(" fusion("))
        return counts

    ours = kernels(fn)
    limit = kernels(theirs) if theirs is not None else [1, 1, 2]
    assert all(o <= t for o, t in zip(ours, limit, strict=True)), (name, ours, limit)


def test_gelu_tanh_argument_in_two_parts():
    """``2u = x (a + b x^2)`` as ``u + u_lo`` to 2**-31 relative, a normalised pair.

    Products of half-length numbers and Fast2Sums on products, the patterns a fused
    multiply-add or a rewrite could break (a Dekker-product version was once 2u off by
    one ULP at x = -9.0149). ``x sigma(2u)`` multiplies the argument's relative error by
    ``|2u| <= 90`` where the result is normal: 2**-31 keeps that under 0.1 ULP. ``u_lo``
    must be below one ULP of ``u``: it enters as a first-order correction ``exp(-u) (1 - u_lo)``.
    """
    from flaxact._smooth import _GELU_C, _GELU_K, _gelu_tanh_arg

    x = np.concatenate([np.linspace(-14, 14, 40001), RNG.uniform(-14, 14, 20000), [-9.0149]])
    x = x.astype(np.float32)
    u, u_lo = jax.jit(_gelu_tanh_arg)(jnp.asarray(x))
    a, b = Fraction(2 * _GELU_C), Fraction(2 * _GELU_C * _GELU_K)
    worst = 0.0
    for xi, ui, li in zip(_exact(x), _exact(u), _exact(u_lo), strict=True):
        true = xi * (a + b * xi * xi)
        if true:
            worst = max(worst, abs(float((ui + li - true) / true)))
            assert abs(li) <= abs(ui) * Fraction(2.0**-23), (xi, ui, li)
    assert worst < 2.0**-31, worst


def test_exp_near_overflow_and_at_the_ends():
    """``K.exp`` above 80 (XLA's CPU ``exp`` reaches 5 ULP there): within 1.5 ULP, one ``exp``.

    The shift by ``4 ln 2`` must be exact and its low part applied with the right sign
    (a wrong sign is ~190 ULP off); past overflow the result is inf, not ``inf - inf``.
    """
    v = np.concatenate([np.linspace(-87.0, 88.7, 200_001), np.linspace(79.0, 88.72, 50_001)])
    v = v.astype(np.float32)
    got = np.asarray(jax.jit(K.exp)(v), np.float64)
    want = np.exp(v.astype(np.float64))
    ulp = np.spacing(want.astype(np.float32)).astype(np.float64)
    assert np.max(np.abs(got - want) / ulp) <= 1.5
    ends = np.asarray(K.exp(jnp.array([89.0, 1e30, np.inf, -np.inf, np.nan], jnp.float32)))
    np.testing.assert_array_equal(ends[:4], [np.inf, np.inf, np.inf, 0.0])
    assert np.isnan(ends[4])
    text = jax.jit(K.exp).lower(jnp.zeros(8, jnp.float32)).compile().as_text()
    assert text.count(" exponential(") == 1
