r"""
PReLU: a learned negative slope
===============================

:class:`flaxact.nnx.PReLU` (and :class:`flaxact.PReLU` for linen) is leaky ReLU whose
negative slope is a parameter. It starts from ``negative_slope_init`` (0.01, Flax's
default; PyTorch starts from 0.25) and training moves it.
"""

# %%
# At its initial slope, and after fitting
# ---------------------------------------
# Below, the module starts at 0.01 and a few hundred gradient steps fit it to data drawn
# from a leaky ReLU of slope 0.3: the slope is the only parameter, so the fit recovers it.
import jax.numpy as jnp
import matplotlib.pyplot as plt
import optax
from flax import nnx

import flaxact

x = jnp.linspace(-4.0, 4.0, 401)
target = flaxact.leaky_relu(x, negative_slope=0.3)
model = flaxact.nnx.PReLU(rngs=nnx.Rngs(0))
initial = model(x)
optimizer = nnx.Optimizer(model, optax.sgd(0.1), wrt=nnx.Param)


@nnx.jit
def train_step(model, optimizer):
    def loss(m):
        return jnp.mean((m(x) - target) ** 2)

    optimizer.update(model, nnx.grad(loss)(model))


for _ in range(300):
    train_step(model, optimizer)
print(f"learned slope: {float(model.negative_slope[...]):.4f}")

fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(x, initial, lw=2, label="at initialisation (slope 0.01)")
ax.plot(x, model(x), lw=2, ls="--", label="after fitting (slope 0.3 recovered)")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-4, 4), ylim=(-1.5, 4), xlabel="x", ylabel="PReLU(x)")
ax.set_title("PReLU: initial and learned negative slope")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
