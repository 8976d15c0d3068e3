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
# is a box, while the sigmoid's is a bell of height 1/4 and tanh's of height 1. One
# jitted function computes every function and its derivative: a single compiled
# program.
import jax
import matplotlib.pyplot as plt
import numpy as np

import flaxact

SQUASHERS = ("sigmoid", "hard_sigmoid", "tanh", "hard_tanh", "soft_sign", "sparse_sigmoid")
members = [n for n in SQUASHERS if n in flaxact.names()]


@jax.jit
def values_and_slopes(x):
    fns = {name: flaxact.get(name).fn for name in members}
    return {name: (f(x), jax.vmap(jax.grad(f))(x)) for name, f in fns.items()}


x = np.linspace(-6.0, 6.0, 1201, dtype=np.float32)
curves = values_and_slopes(x)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(10, 3.8))
for name in members:
    y, dy = curves[name]
    ax.plot(x, y, label=name)
    dax.plot(x, dy, label=name)
ax.set(xlim=(-6, 6), ylim=(-1.1, 1.1), xlabel="x", title="Sigmoid-shaped functions")
dax.set(xlim=(-6, 6), ylim=(-0.05, 1.05), xlabel="x", title="their derivatives")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend(fontsize="small")

# %%
# How far the hard sigmoid is from the sigmoid
# --------------------------------------------
# The cheap approximation is within about 0.07 everywhere. The largest gaps are near
# :math:`x = \pm 1.3`, where the sigmoid's slope has fallen to the hard sigmoid's 1/6.
if {"sigmoid", "hard_sigmoid"} <= set(members):
    err = np.asarray(curves["hard_sigmoid"][0]) - np.asarray(curves["sigmoid"][0])
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(x, err)
    ax.set(
        xlim=(-6, 6),
        xlabel="x",
        ylabel="hard_sigmoid - sigmoid",
        title="Hard sigmoid minus sigmoid",
    )
    ax.grid(alpha=0.3)
    print(f"largest difference: {np.abs(err).max():.4f}")
