r"""
leaky_relu
==========

Leaky rectified linear unit. The formula (and the derivative, plotted below):

.. flaxact-formula:: leaky_relu
   :derivative:

The API page :func:`flaxact.leaky_relu` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.leaky_relu`` on the axes shared by every page of the rectifier family.
import functools

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-7.0, 7.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.leaky_relu(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-7.0, 7.0), ylim=(-2.0, 7.0), xlabel="x", ylabel="leaky_relu(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dleaky_relu = jax.vmap(jax.grad(flaxact.leaky_relu))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dleaky_relu, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-7.0, 7.0), ylim=(-0.7, 1.7), xlabel="x", ylabel="d leaky_relu / dx")
ax.grid(alpha=0.3)

# %%
# Sweeping ``negative_slope``
# ---------------------------
# Each curve uses one value of ``negative_slope`` (the default is ``0.01``); the right
# panel shows the derivative for the same values.
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
for value in (0.01, 0.1, 0.3):
    f = functools.partial(flaxact.leaky_relu, negative_slope=value)
    ax.plot(x, f(x), label=f"negative_slope={value}")
    dax.plot(x, jax.vmap(jax.grad(f))(x), label=f"negative_slope={value}")
ax.set(xlim=(-7.0, 7.0), ylim=(-2.0, 7.0), xlabel="x", title="leaky_relu")
dax.set(xlim=(-7.0, 7.0), ylim=(-0.7, 1.7), xlabel="x", title="derivative")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend()
