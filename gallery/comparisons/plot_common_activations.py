r"""
The most used activations at a glance
=====================================

Eight activations most networks use, on one pair of axes: the rectifiers (ReLU, leaky
ReLU), ELU, the smooth self-gated GELU and SiLU, softplus, and the two squashing
functions, sigmoid and tanh. The landing page shows this figure.
"""

# %%
# Near zero they differ most: ReLU's corner, GELU's and SiLU's dip below zero before
# they rise, ELU's smooth approach to -1, and the sigmoid's offset of 1/2. Far from
# zero the rectifier-like ones all follow :math:`x` and the squashing ones saturate.
# The curves are computed by one jitted function.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

NAMES = ("relu", "leaky_relu", "elu", "gelu", "silu", "softplus", "sigmoid", "tanh")


@jax.jit
def curves(x):
    return {name: flaxact.get(name)(x) for name in NAMES}


x = jnp.linspace(-4.0, 4.0, 401)
fig, ax = plt.subplots(figsize=(7.5, 4.0), layout="constrained")
for name, y in curves(x).items():
    ax.plot(x, y, label=name, lw=1.8)
ax.axhline(0, color="0.6", lw=0.6)
ax.axvline(0, color="0.6", lw=0.6)
ax.set(xlim=(-4, 4), ylim=(-1.5, 4), xlabel="x", ylabel="f(x)")
ax.legend(ncols=2, frameon=False)
ax.set_title("The most used activations, as computed by flaxact")
plt.show()
