r"""
celu
====

Continuously differentiable exponential linear unit. The formula (and the derivative, plotted below):

.. flaxact-formula:: celu
   :derivative:

The API page :func:`flaxact.celu` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.celu`` on the axes shared by every page of the exponential family.
import functools

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-5.0, 5.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.celu(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-2.5, 5.0), xlabel="x", ylabel="celu(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dcelu = jax.vmap(jax.grad(flaxact.celu))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dcelu, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-0.2, 2.0), xlabel="x", ylabel="d celu / dx")
ax.grid(alpha=0.3)

# %%
# Sweeping ``alpha``
# ------------------
# Each curve uses one value of ``alpha`` (the default is ``1.0``); the right
# panel shows the derivative for the same values.
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
for value in (0.5, 1.0, 2.0):
    f = functools.partial(flaxact.celu, alpha=value)
    ax.plot(x, f(x), label=f"alpha={value}")
    dax.plot(x, jax.vmap(jax.grad(f))(x), label=f"alpha={value}")
ax.set(xlim=(-5.0, 5.0), ylim=(-2.5, 5.0), xlabel="x", title="celu")
dax.set(xlim=(-5.0, 5.0), ylim=(-0.2, 2.0), xlabel="x", title="derivative")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend()
