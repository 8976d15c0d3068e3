r"""
softplus
========

Softplus: a smooth, everywhere-positive version of ReLU. The formula (and the derivative, plotted below):

.. flaxact-formula:: softplus
   :derivative:

The API page :func:`flaxact.softplus` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.softplus`` on the axes shared by every page of the smooth family.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-5.0, 5.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.softplus(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-1.5, 5.0), xlabel="x", ylabel="softplus(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dsoftplus = jax.vmap(jax.grad(flaxact.softplus))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dsoftplus, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-0.4, 1.4), xlabel="x", ylabel="d softplus / dx")
ax.grid(alpha=0.3)
