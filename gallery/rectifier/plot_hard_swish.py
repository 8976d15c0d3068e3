r"""
hard_swish
==========

``flaxact.hard_swish`` is another name for :func:`flaxact.hard_silu` — the same function object,
kept because other libraries use this name.

.. flaxact-formula:: hard_silu
"""

# %%
# Same object, same values
# ------------------------
# The alias is not a copy: it is the very same callable, so values and gradients agree
# bit for bit.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

print(flaxact.hard_swish is flaxact.hard_silu)
x = jnp.linspace(-7.0, 7.0, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.hard_swish(x), lw=2, label="hard_swish")
ax.plot(x, jax.vmap(jax.grad(flaxact.hard_swish))(x), lw=2, label="its derivative")
ax.set(xlim=(-7.0, 7.0), ylim=(-2.0, 7.0), xlabel="x")
ax.legend()
ax.grid(alpha=0.3)
