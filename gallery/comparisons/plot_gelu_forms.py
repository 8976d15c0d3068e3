r"""
GELU's forms and their error
============================

GELU is :math:`x\,\Phi(x)` with :math:`\Phi` the standard normal CDF. The exact form
uses ``erf``; the tanh form (the jax.nn default, ``approximate=True``) and the sigmoid
form :math:`x\,\sigma(1.702x)` are cheaper approximations. This page plots every form
flaxact offers against a float64 reference.
"""

# %%
# The forms
# ---------
# The values swept are the ones the registry lists for ``gelu``; at plotting scale the
# curves coincide. ``approximate`` picks the formula, so it is a Python value, not an
# array: one jitted function loops over the forms and computes each one's values and
# derivative (plotted further down) in a single compiled program.
import functools
import math

import jax
import matplotlib.pyplot as plt
import numpy as np

import flaxact

rec = flaxact.get("gelu")
forms = [(k, v) for k, values in rec.example_params.items() for v in values]
labels = [f"{k}={v!r}" for k, v in forms]


@jax.jit
def values_and_slopes(x):
    curves = []
    for key, value in forms:
        f = functools.partial(flaxact.gelu, **{key: value})
        curves.append((f(x), jax.vmap(jax.grad(f))(x)))
    return curves


x = np.linspace(-5.0, 5.0, 1001, dtype=np.float32)
curves = values_and_slopes(x)
fig, ax = plt.subplots(figsize=(6, 3.6))
for label, (y, _) in zip(labels, curves, strict=True):
    ax.plot(x, y, label=label)
ax.set(xlim=(-5, 5), ylim=(-0.5, 5), xlabel="x", ylabel="gelu(x)", title="GELU's three forms")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Distance from the exact GELU
# ----------------------------
# The reference is :math:`x\,\Phi(x)` in float64. The approximations differ from it by
# up to about :math:`5\times10^{-4}` (tanh) and :math:`2\times10^{-2}` (sigmoid); the
# exact form is within float32 rounding.
xs = x.astype(np.float64)
exact = xs * 0.5 * (1.0 + np.vectorize(math.erf)(xs / math.sqrt(2.0)))
fig, ax = plt.subplots(figsize=(6, 3.6))
for label, (y, _) in zip(labels, curves, strict=True):
    err = np.abs(np.asarray(y, np.float64) - exact)
    ax.semilogy(xs, np.maximum(err, 1e-12), label=label)
    print(f"{label}: max |error| = {err.max():.2e}")
ax.set(
    xlim=(-5, 5),
    ylim=(1e-10, 1),
    xlabel="x",
    ylabel="|gelu(x) - x Φ(x)|",
    title="Distance of each form from the exact GELU",
)
ax.legend()
ax.grid(alpha=0.3)

# %%
# Derivatives
# -----------
# The forms' derivatives, from ``jax.grad``, computed above with the values.
fig, ax = plt.subplots(figsize=(6, 3.6))
for label, (_, dy) in zip(labels, curves, strict=True):
    ax.plot(x, dy, label=label)
ax.set(
    xlim=(-5, 5),
    ylim=(-0.2, 1.2),
    xlabel="x",
    ylabel="gelu'(x)",
    title="Derivatives of GELU's forms",
)
ax.legend()
ax.grid(alpha=0.3)
