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
# The batch of score vectors is built with NumPy and passed to one compiled program.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact

x = np.linspace(-5.0, 5.0, 501, dtype=np.float32)
batch = np.stack([x, np.zeros_like(x), np.ones_like(x)], axis=-1)  # 501 rows of 3 scores
lp = jax.jit(flaxact.log_softmax)(batch)  # along the last axis, the default
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(x, lp, label=[f"class with score {s}" for s in ("x", "0", "1")])
ax.set(
    xlim=(-5, 5),
    ylim=(-7, 0.5),
    xlabel="x (score of class 0)",
    ylabel="log probability",
    title="log_softmax([x, 0, 1])",
)
ax.legend()
ax.grid(alpha=0.3)


# %%
# Where the naive form fails
# --------------------------
# ``log(softmax(v))`` underflows to ``-inf`` once a probability is below the smallest
# float32; ``log_softmax`` does not.
@jax.jit
def naive_and_stable(v):
    return jnp.log(flaxact.softmax(v)), flaxact.log_softmax(v)


naive, stable = naive_and_stable(np.array([120.0, 0.0, -10.0], dtype=np.float32))
print("log(softmax):", naive)
print("log_softmax: ", stable)


# %%
# Its derivative
# --------------
# ``jax.grad`` of the first output along the slice: :math:`1 - \mathrm{softmax}(x)_0`,
# which goes to 0 as class 0 dominates.
@jax.jit
def slope_along_slice(batch):
    grads = jax.vmap(jax.grad(lambda r: flaxact.log_softmax(r)[0]))(batch)
    return grads[:, 0]  # the derivative with respect to the moving score


fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(x, slope_along_slice(batch), color="C1")
ax.set(
    xlim=(-5, 5),
    ylim=(-0.05, 1.05),
    xlabel="x",
    ylabel="d log_softmax(x)_0 / dx",
    title="derivative of log_softmax along the slice",
)
ax.grid(alpha=0.3)
