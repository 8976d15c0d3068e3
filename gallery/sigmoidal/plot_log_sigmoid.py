r"""
log_sigmoid
===========

Logarithm of the sigmoid, computed without forming the sigmoid. The formula (and the derivative, plotted below):

.. flaxact-formula:: log_sigmoid
   :derivative:

The API page :func:`flaxact.log_sigmoid` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.log_sigmoid`` on the axes shared by every page of the sigmoidal family.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-6.0, 6.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.log_sigmoid(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-6.0, 6.0), ylim=(-3.0, 1.5), xlabel="x", ylabel="log_sigmoid(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dlog_sigmoid = jax.vmap(jax.grad(flaxact.log_sigmoid))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dlog_sigmoid, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-6.0, 6.0), ylim=(-0.2, 1.2), xlabel="x", ylabel="d log_sigmoid / dx")
ax.grid(alpha=0.3)
