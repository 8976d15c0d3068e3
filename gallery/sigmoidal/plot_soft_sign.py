r"""
soft_sign
=========

Soft sign: a sigmoid-shaped curve that approaches :math:`\pm 1` polynomially. The formula (and the derivative, plotted below):

.. flaxact-formula:: soft_sign
   :derivative:

The API page :func:`flaxact.soft_sign` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.soft_sign`` on the axes shared by every page of the sigmoidal family.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-6.0, 6.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.soft_sign(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=(-6.0, 6.0), ylim=(-3.0, 1.5), xlabel="x", ylabel="soft_sign(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
dsoft_sign = jax.vmap(jax.grad(flaxact.soft_sign))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, dsoft_sign, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-6.0, 6.0), ylim=(-0.2, 1.2), xlabel="x", ylabel="d soft_sign / dx")
ax.grid(alpha=0.3)
