r"""
hard_tanh
=========

Hard hyperbolic tangent: the identity clipped to :math:`[-1, 1]`. The formula (and the derivative, plotted below):

.. flaxact-formula:: hard_tanh
   :derivative:

The API page :func:`flaxact.hard_tanh` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.hard_tanh`` on the axes shared by every page of the rectifier family.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-7.0, 7.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.hard_tanh(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-7.0, 7.0), ylim=(-2.0, 7.0), xlabel="x", ylabel="hard_tanh(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dhard_tanh = jax.vmap(jax.grad(flaxact.hard_tanh))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dhard_tanh, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-7.0, 7.0), ylim=(-0.7, 1.7), xlabel="x", ylabel="d hard_tanh / dx")
ax.grid(alpha=0.3)
