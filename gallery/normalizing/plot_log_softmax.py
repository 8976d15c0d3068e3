r"""
log_softmax
===========

The logarithm of :func:`flaxact.softmax`, computed without forming the probabilities, so
that it stays finite where a probability would round to zero.

.. flaxact-formula:: log_softmax

The API page :func:`flaxact.log_softmax` lists its properties.
"""

# %%
# One score moving
# ----------------
# The first of three scores moves while the others stay at 0 and 1. For large negative
# ``x`` the log-probability of class 0 falls linearly instead of jumping to ``-inf``.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-5.0, 5.0, 501)
batch = jnp.stack([x, jnp.zeros_like(x), jnp.ones_like(x)], axis=-1)
lp = jax.jit(flaxact.log_softmax, static_argnames="axis")(batch, axis=-1)
fig, ax = plt.subplots(figsize=(6, 3.4))
for k, label in enumerate(["x", "0", "1"]):
    ax.plot(x, lp[:, k], label=f"class with score {label}")
ax.set(xlim=(-5, 5), ylim=(-7, 0.5), xlabel="x (score of class 0)", ylabel="log probability")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Where the naive form fails
# --------------------------
# ``log(softmax(v))`` underflows to ``-inf`` once a probability is below the smallest
# float32; ``log_softmax`` does not.
v = jnp.array([120.0, 0.0, -10.0])
print("log(softmax):", jnp.log(flaxact.softmax(v)))
print("log_softmax: ", flaxact.log_softmax(v))

# %%
# Its derivative
# --------------
# ``jax.grad`` of the first output along the slice: :math:`1 - \mathrm{softmax}(x)_0`,
# which goes to 0 as class 0 dominates.
d0 = jax.jit(jax.vmap(jax.grad(lambda r: flaxact.log_softmax(r)[0])))(batch)[:, 0]
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(x, d0, color="C1")
ax.set(xlim=(-5, 5), ylim=(-0.05, 1.05), xlabel="x", ylabel="d log_softmax(x)_0 / dx")
ax.grid(alpha=0.3)
