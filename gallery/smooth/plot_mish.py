r"""
mish
====

Mish: :math:`x \tanh(\mathrm{softplus}(x))`, a smooth, non-monotonic rectifier. The formula (and the derivative, plotted below):

.. flaxact-formula:: mish
   :derivative:

The API page :func:`flaxact.mish` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.mish`` on the axes shared by every page of the smooth family.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-5.0, 5.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.mish(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-1.5, 5.0), xlabel="x", ylabel="mish(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dmish = jax.vmap(jax.grad(flaxact.mish))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dmish, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-0.4, 1.4), xlabel="x", ylabel="d mish / dx")
ax.grid(alpha=0.3)
