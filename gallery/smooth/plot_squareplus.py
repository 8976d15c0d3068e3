r"""
squareplus
==========

Squareplus: a softplus-like rectifier built from a square root. The formula (and the derivative, plotted below):

.. flaxact-formula:: squareplus
   :derivative:

The API page :func:`flaxact.squareplus` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.squareplus`` on the axes shared by every page of the smooth family.
import functools

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-5.0, 5.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.squareplus(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-1.5, 5.0), xlabel="x", ylabel="squareplus(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dsquareplus = jax.vmap(jax.grad(flaxact.squareplus))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dsquareplus, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-0.4, 1.4), xlabel="x", ylabel="d squareplus / dx")
ax.grid(alpha=0.3)

# %%
# Sweeping ``b``
# --------------
# Each curve uses one value of ``b`` (the default is ``4``); the right
# panel shows the derivative for the same values.
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
for value in (0.25, 1.0, 4.0):
    f = functools.partial(flaxact.squareplus, b=value)
    ax.plot(x, f(x), label=f"b={value}")
    dax.plot(x, jax.vmap(jax.grad(f))(x), label=f"b={value}")
ax.set(xlim=(-5.0, 5.0), ylim=(-1.5, 5.0), xlabel="x", title="squareplus")
dax.set(xlim=(-5.0, 5.0), ylim=(-0.4, 1.4), xlabel="x", title="derivative")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend()
