r"""
Sigmoid, hard sigmoid and tanh
==============================

The logistic sigmoid, its piecewise-linear approximation and the hyperbolic tangent
(a sigmoid rescaled to :math:`(-1, 1)`: :math:`\tanh x = 2\sigma(2x) - 1`), with the
other squashing functions flaxact has.
"""

# %%
# Values and derivatives
# ----------------------
# The hard sigmoid is exactly linear between -3 and 3 and flat outside; its derivative
# is a box, while the sigmoid's is a bell of height 1/4 and tanh's of height 1. Each
# function and its derivative is compiled once with ``jax.jit``.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

SQUASHERS = ("sigmoid", "hard_sigmoid", "tanh", "hard_tanh", "soft_sign", "sparse_sigmoid")
members = [n for n in SQUASHERS if n in flaxact.names()]
x = jnp.linspace(-6.0, 6.0, 1201)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(10, 3.8))
values = {name: jax.jit(flaxact.get(name).fn)(x) for name in members}
for name in members:
    ax.plot(x, values[name], label=name)
    dax.plot(x, jax.jit(jax.vmap(jax.grad(flaxact.get(name).fn)))(x), label=name)
ax.set(xlim=(-6, 6), ylim=(-1.1, 1.1), xlabel="x", title="f(x)")
dax.set(xlim=(-6, 6), ylim=(-0.05, 1.05), xlabel="x", title="f'(x)")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend(fontsize="small")

# %%
# How far the hard sigmoid is from the sigmoid
# --------------------------------------------
# The cheap approximation is within about 0.05 everywhere.
if {"sigmoid", "hard_sigmoid"} <= set(members):
    err = values["hard_sigmoid"] - values["sigmoid"]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(x, err)
    ax.set(xlim=(-6, 6), xlabel="x", ylabel="hard_sigmoid - sigmoid")
    ax.grid(alpha=0.3)
    print(f"largest difference: {float(jnp.abs(err).max()):.4f}")
