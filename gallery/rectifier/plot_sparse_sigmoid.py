r"""
sparse_sigmoid
==============

Sparse sigmoid: the one-dimensional sparsemax, exactly 0 or 1 outside :math:`[-1, 1]`. The formula (and the derivative, plotted below):

.. flaxact-formula:: sparse_sigmoid
   :derivative:

The API page :func:`flaxact.sparse_sigmoid` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.sparse_sigmoid`` on the axes shared by every page of the rectifier family.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-7.0, 7.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.sparse_sigmoid(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-7.0, 7.0), ylim=(-2.0, 7.0), xlabel="x", ylabel="sparse_sigmoid(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dsparse_sigmoid = jax.vmap(jax.grad(flaxact.sparse_sigmoid))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dsparse_sigmoid, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-7.0, 7.0), ylim=(-0.7, 1.7), xlabel="x", ylabel="d sparse_sigmoid / dx")
ax.grid(alpha=0.3)
