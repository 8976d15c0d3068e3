r"""
sigmoid
=======

Logistic sigmoid: squashes any real number into :math:`(0, 1)`. The formula (and the derivative, plotted below):

.. flaxact-formula:: sigmoid
   :derivative:

The API page :func:`flaxact.sigmoid` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.sigmoid`` on the axes shared by every page of the sigmoidal family.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-6.0, 6.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.sigmoid(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-6.0, 6.0), ylim=(-3.0, 1.5), xlabel="x", ylabel="sigmoid(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dsigmoid = jax.vmap(jax.grad(flaxact.sigmoid))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dsigmoid, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-6.0, 6.0), ylim=(-0.2, 1.2), xlabel="x", ylabel="d sigmoid / dx")
ax.grid(alpha=0.3)
