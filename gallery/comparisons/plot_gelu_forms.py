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
# curves coincide. Each form is compiled once with ``jax.jit``.
import functools
import math

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact

rec = flaxact.get("gelu")
forms = [(k, v) for k, values in rec.example_params.items() for v in values]
gelus = {(k, v): jax.jit(functools.partial(flaxact.gelu, **{k: v})) for k, v in forms}
x = jnp.linspace(-5.0, 5.0, 1001)
fig, ax = plt.subplots(figsize=(6, 3.6))
for key, value in forms:
    ax.plot(x, gelus[key, value](x), label=f"{key}={value!r}")
ax.set(xlim=(-5, 5), ylim=(-0.5, 5), xlabel="x", ylabel="gelu(x)")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Distance from the exact GELU
# ----------------------------
# The reference is :math:`x\,\Phi(x)` in float64. The approximations differ from it by
# up to about :math:`10^{-3}` (tanh) and :math:`2\times10^{-2}` (sigmoid); the exact form
# is within float32 rounding.
xs = np.asarray(x, dtype=np.float64)
exact = xs * 0.5 * (1.0 + np.vectorize(math.erf)(xs / math.sqrt(2.0)))
fig, ax = plt.subplots(figsize=(6, 3.6))
for key, value in forms:
    err = np.abs(np.asarray(gelus[key, value](x), np.float64) - exact)
    ax.semilogy(xs, np.maximum(err, 1e-12), label=f"{key}={value!r}")
    print(f"{key}={value!r}: max |error| = {err.max():.2e}")
ax.set(xlim=(-5, 5), ylim=(1e-10, 1), xlabel="x", ylabel="|gelu(x) - x Φ(x)|")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Derivatives
# -----------
# The forms' derivatives, from ``jax.grad``.
fig, ax = plt.subplots(figsize=(6, 3.6))
for key, value in forms:
    d = jax.jit(jax.vmap(jax.grad(gelus[key, value])))(x)
    ax.plot(x, d, label=f"{key}={value!r}")
ax.set(xlim=(-5, 5), ylim=(-0.2, 1.2), xlabel="x", ylabel="gelu'(x)")
ax.legend()
ax.grid(alpha=0.3)
