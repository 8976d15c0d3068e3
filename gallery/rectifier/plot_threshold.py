r"""
threshold
=========

Keep the input above a threshold, replace everything else by a fixed value: the oldest
activation there is (a McCulloch-Pitts unit outputs its input only once it is large
enough), in the form of PyTorch's ``nn.Threshold`` and Keras 3's ``threshold``.

.. flaxact-formula:: threshold
   :derivative:

The API page :func:`flaxact.threshold` lists its properties. Unlike every other
activation here, ``threshold`` has no defaults: both the threshold :math:`\theta` and the
replacement value :math:`v` are always given, as in PyTorch and Keras.
"""

# %%
# When to use it
# --------------
#
# .. flaxact-prose:: threshold usage
#
# .. flaxact-prose:: threshold used_in

# %%
# Three settings
# --------------
# With :math:`\theta = v = 0` it is ReLU. With :math:`v < \theta` the function jumps up
# at the threshold; with :math:`v > \theta` it jumps down (it is then not monotonic).
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-4.0, 4.0, 801)
settings = [(0.0, 0.0), (1.0, -0.5), (-1.0, 1.5)]


@jax.jit
def curves(x):
    return [flaxact.threshold(x, t, v) for t, v in settings]


fig, ax = plt.subplots(figsize=(6, 3.4))
for (t, v), y in zip(settings, curves(x), strict=True):
    ax.plot(x, y, lw=2, label=f"threshold={t}, default_value={v}")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(
    xlim=(-4, 4),
    ylim=(-1.5, 4.5),
    xlabel="x",
    ylabel="threshold(x, θ, v)",
    title="threshold for several θ and v",
)
ax.legend(loc="upper left")
ax.grid(alpha=0.3)

# %%
# Gradients: with respect to the input and to the replacement value
# ------------------------------------------------------------------
# Above the threshold the output is the input (slope 1); at and below it the output is
# ``default_value``, so the gradient moves to that argument instead. At :math:`x = \theta`
# itself the comparison ``x > threshold`` is false: the input's gradient is 0 there, as in
# PyTorch. Nothing flows to ``threshold`` (a step's position has no gradient).
t, v = 1.0, -0.5
grads = jax.jit(jax.vmap(jax.grad(flaxact.threshold, argnums=(0, 1, 2)), in_axes=(0, None, None)))
dx, dt, dv = grads(x, t, v)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(x, dx, lw=2, label="d / d x")
ax.plot(x, dv, lw=2, ls="--", label="d / d default_value")
ax.plot(x, dt, lw=1, color="0.4", label="d / d threshold")
ax.set(xlim=(-4, 4), ylim=(-0.2, 1.2), xlabel="x", title="gradients of threshold, θ = 1, v = -0.5")
ax.legend(loc="center left")
ax.grid(alpha=0.3)
print("gradient at the threshold itself:", float(jax.grad(flaxact.threshold)(1.0, t, v)))

# %%
# Per-channel thresholds
# ----------------------
# Both arguments broadcast against the input, so a layer can keep a threshold per
# channel; under ``jax.jit`` they may be traced, for instance learned.
features = jnp.array([[0.2, 1.5, -3.0], [2.0, 0.1, 0.4]])
per_channel = jnp.array([0.0, 1.0, 0.5])
print(jax.jit(flaxact.threshold)(features, per_channel, 0.0))


# %%
# What goes wrong
# ---------------
#
# .. flaxact-prose:: threshold pitfall
