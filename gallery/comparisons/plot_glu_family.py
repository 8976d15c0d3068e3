r"""
The GLU family
==============

A gated linear unit splits its input into a value half :math:`a` and a gate half
:math:`b` and returns :math:`a \cdot g(b)`. The gate activation :math:`g` names the
variant: sigmoid (GLU), SiLU (SwiGLU), GELU (GeGLU), ReLU (ReGLU).
"""

# %%
# The gate functions
# ------------------
# With the value fixed at :math:`a = 1` the output is the gate activation itself.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact

VARIANTS = ("glu", "swiglu", "geglu", "reglu")
members = [n for n in VARIANTS if n in flaxact.names()]
fns = {name: jax.jit(flaxact.get(name).fn) for name in members}  # one compiled program each
b = jnp.linspace(-4.0, 4.0, 401)
pairs = jnp.stack([jnp.ones_like(b), b], axis=-1)  # last axis: [value | gate]
fig, (ax, dax) = plt.subplots(1, 2, figsize=(10, 3.6))
for name in members:
    fn = flaxact.get(name).fn
    ax.plot(b, fns[name](pairs)[:, 0], label=name)
    d = jax.jit(jax.vmap(jax.grad(lambda p, fn=fn: fn(p)[0])))(pairs)[:, 1]
    dax.plot(b, d, label=name)
ax.set(xlim=(-4, 4), ylim=(-0.5, 4), xlabel="gate b", title="output with value a = 1")
dax.set(xlim=(-4, 4), ylim=(-0.3, 1.3), xlabel="gate b", title="d output / d b")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend()

# %%
# Output over value and gate
# --------------------------
# The value passes through linearly; the gate decides how much of it.
grid = jnp.linspace(-3.0, 3.0, 121)
va, gb = jnp.meshgrid(grid, grid)
stacked = jnp.stack([va, gb], axis=-1)
fig, axes = plt.subplots(1, len(members), figsize=(3 * len(members), 3), layout="constrained")
for ax, name in zip(np.atleast_1d(axes), members, strict=True):
    out = fns[name](stacked)[..., 0]
    ax.imshow(out, extent=(-3, 3, -3, 3), origin="lower", cmap="RdBu_r", vmin=-3, vmax=3)
    ax.set(title=name, xlabel="value a", ylabel="gate b")
