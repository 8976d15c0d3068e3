r"""
The ReLU family
===============

ReLU and the functions proposed to fix its flaws — a slope for negative input (leaky
ReLU, ELU, SELU) or a smooth bend at zero (GELU, SiLU, softplus, Mish) — on one figure,
with their derivatives.
"""

# %%
# Values
# ------
# All of them are close to the identity for large positive input; they differ in how
# they treat negative input and how sharply they bend at zero. One jitted function
# computes every function and its derivative: a single compiled program.
import jax
import matplotlib.pyplot as plt
import numpy as np

import flaxact

FAMILY = ("relu", "leaky_relu", "elu", "selu", "gelu", "silu", "softplus", "mish")
members = [n for n in FAMILY if n in flaxact.names()]


@jax.jit
def values_and_slopes(x):
    fns = {name: flaxact.get(name).fn for name in members}
    return {name: (f(x), jax.vmap(jax.grad(f))(x)) for name, f in fns.items()}


x = np.linspace(-4.0, 3.0, 701, dtype=np.float32)
curves = values_and_slopes(x)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(10, 3.8))
for name in members:
    y, dy = curves[name]
    ax.plot(x, y, label=name)
    dax.plot(x, dy, label=name)
ax.set(xlim=(-4, 3), ylim=(-2, 3), xlabel="x", title="ReLU and its relatives")
dax.set(xlim=(-4, 3), ylim=(-0.3, 1.3), xlabel="x", title="their derivatives")
for a in (ax, dax):
    a.axhline(0, color="0.7", lw=0.8)
    a.grid(alpha=0.3)
ax.legend(ncols=2, fontsize="small")

# %%
# Near zero
# ---------
# Zoomed in: ReLU's kink, the smooth functions' dip below zero (GELU, SiLU and Mish are
# not monotonic), and ELU's continuous first derivative. The same values, on narrower
# axes (the grid's step is 0.01).
fig, ax = plt.subplots(figsize=(6, 3.6))
for name in members:
    ax.plot(x, curves[name][0], label=name)
ax.set(xlim=(-2, 1), ylim=(-0.6, 1.1), xlabel="x", title="ReLU and its relatives near zero")
ax.grid(alpha=0.3)
ax.legend(ncols=2, fontsize="small")

# %%
# Properties side by side
# -----------------------
# The registry records what the pictures show.
for name in members:
    r = flaxact.get(name)
    print(f"{name:11s} range={r.output_range} monotonic={r.monotonic} smoothness={r.smoothness}")
