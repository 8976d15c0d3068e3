r"""
silu
====

SiLU (sigmoid-weighted linear unit): ``x`` times its own sigmoid. The formula (and the derivative, plotted below):

.. flaxact-formula:: silu
   :derivative:

The API page :func:`flaxact.silu` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.silu`` on the axes shared by every page of the smooth family.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-5.0, 5.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.silu(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-1.5, 5.0), xlabel="x", ylabel="silu(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dsilu = jax.vmap(jax.grad(flaxact.silu))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dsilu, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-0.4, 1.4), xlabel="x", ylabel="d silu / dx")
ax.grid(alpha=0.3)
