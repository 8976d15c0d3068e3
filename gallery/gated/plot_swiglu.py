r"""
swiglu
======

SwiGLU: the first half of an axis times SiLU (swish) of the second half. The input's last axis holds the value half :math:`a` and the gate half
:math:`b`; the output has half the size.

.. flaxact-formula:: swiglu
   :derivative:

The API page :func:`flaxact.swiglu` lists its properties.
"""

# %%
# The gate
# --------
# With the value fixed at :math:`a = 1`, the output is the gate's activation of
# :math:`b`; with :math:`a = b = x` it is what a gated block computes when both
# projections agree.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-5.0, 5.0, 701)
gate_only = jnp.stack([jnp.ones_like(x), x], axis=-1)  # [a | b] along the last axis
same = jnp.stack([x, x], axis=-1)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.swiglu(gate_only)[:, 0], lw=2, label="a = 1, b = x")
ax.plot(x, flaxact.swiglu(same)[:, 0], lw=2, label="a = b = x")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-2.0, 5.0), xlabel="x", ylabel="swiglu")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Its derivatives
# ---------------
# ``jax.grad`` of the output with respect to the whole input pair gives both partial
# derivatives: with respect to the value (the gate's activation) and to the gate.
grads = jax.vmap(jax.grad(lambda p: flaxact.swiglu(p)[0]))(gate_only)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, grads[:, 0], lw=2, label="d / d a")
ax.plot(x, grads[:, 1], lw=2, label="d / d b")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-5.0, 5.0), ylim=(-0.5, 1.5), xlabel="gate b (a = 1)")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Over value and gate
# -------------------
# The value passes through linearly; the gate decides how much of it.
grid = jnp.linspace(-3.0, 3.0, 121)
va, gb = jnp.meshgrid(grid, grid)
out = flaxact.swiglu(jnp.stack([va, gb], axis=-1))[..., 0]
fig, ax = plt.subplots(figsize=(4.6, 3.8), layout="constrained")
im = ax.imshow(out, extent=(-3, 3, -3, 3), origin="lower", cmap="RdBu_r", vmin=-3, vmax=3)
ax.set(xlabel="value a", ylabel="gate b", title="swiglu([a | b])")
fig.colorbar(im, ax=ax)
