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
import matplotlib.pyplot as plt
import numpy as np

import flaxact

VARIANTS = ("glu", "swiglu", "geglu", "reglu")
members = [n for n in VARIANTS if n in flaxact.names()]


@jax.jit
def gate_curves(pairs):
    """Each variant's output and its derivative in the gate, one compiled program."""
    curves = {}
    for name in members:
        fn = flaxact.get(name).fn
        grads = jax.vmap(jax.grad(lambda p, fn=fn: fn(p)[0]))(pairs)
        curves[name] = (fn(pairs)[:, 0], grads[:, 1])  # d / d b: the gate's component
    return curves


b = np.linspace(-4.0, 4.0, 401, dtype=np.float32)
pairs = np.stack([np.ones_like(b), b], axis=-1)  # last axis: [value | gate]
curves = gate_curves(pairs)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(10, 3.6))
for name in members:
    ax.plot(b, curves[name][0], label=name)
    dax.plot(b, curves[name][1], label=name)
ax.set(xlim=(-4, 4), ylim=(-0.5, 4), xlabel="gate b", title="GLU family, output with value a = 1")
dax.set(xlim=(-4, 4), ylim=(-0.3, 1.3), xlabel="gate b", title="d output / d b")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend()


# %%
# Output over value and gate
# --------------------------
# The value passes through linearly; the gate decides how much of it.
@jax.jit
def surfaces(stacked):
    return {name: flaxact.get(name).fn(stacked)[..., 0] for name in members}


grid = np.linspace(-3.0, 3.0, 121, dtype=np.float32)
va, gb = np.meshgrid(grid, grid)
out = surfaces(np.stack([va, gb], axis=-1))
fig, axes = plt.subplots(1, len(members), figsize=(3 * len(members), 3))
fig.subplots_adjust(left=0.05, right=0.98, bottom=0.16, top=0.9, wspace=0.35)
for ax, name in zip(np.atleast_1d(axes), members, strict=True):
    ax.imshow(out[name], extent=(-3, 3, -3, 3), origin="lower", cmap="RdBu_r", vmin=-3, vmax=3)
    ax.set(title=f"{name}([a | b])", xlabel="value a", ylabel="gate b")
