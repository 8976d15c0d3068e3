r"""
logsumexp
=========

A smooth maximum: the log of a sum of exponentials, computed without overflow.

.. flaxact-formula:: logsumexp

The API page :func:`flaxact.logsumexp` lists its properties.
"""

# %%
# A smooth maximum of two numbers
# -------------------------------
# ``logsumexp([x, 0])`` is never below ``max(x, 0)`` and never more than ``log 2`` above
# it; it equals :func:`flaxact.softplus` of ``x``.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact

x = np.linspace(-5.0, 5.0, 501, dtype=np.float32)
pairs = np.stack([x, np.zeros_like(x)], axis=-1)  # 501 rows [x, 0]
lse = jax.jit(flaxact.logsumexp, static_argnames="axis")  # axis=-1: one result per row
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(x, lse(pairs, axis=-1), label="logsumexp([x, 0])", lw=2)
ax.plot(x, np.maximum(x, 0), "--", label="max(x, 0)")
ax.set(xlim=(-5, 5), ylim=(-0.5, 5.5), xlabel="x", title="logsumexp([x, 0]), a smooth maximum")
ax.legend()
ax.grid(alpha=0.3)


# %%
# No overflow
# -----------
# The exponentials of these numbers overflow float32, their logsumexp does not.
@jax.jit
def naive_and_stable(v):
    return jnp.log(jnp.sum(jnp.exp(v))), flaxact.logsumexp(v)


naive, stable = naive_and_stable(np.array([1000.0, 999.0, 990.0], dtype=np.float32))
print(naive, stable)


# %%
# Its derivative: softmax weights
# -------------------------------
# The gradient of ``logsumexp`` is the softmax of its input; along the slice,
# ``jax.grad`` gives :math:`\sigma(x)`.
@jax.jit
def slope_along_slice(pairs):
    return jax.vmap(jax.grad(flaxact.logsumexp))(pairs)[:, 0]  # d / dx of each row


fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(x, slope_along_slice(pairs), color="C1", lw=2)
ax.set(
    xlim=(-5, 5),
    ylim=(-0.05, 1.05),
    xlabel="x",
    ylabel="d logsumexp([x, 0]) / dx",
    title="derivative of logsumexp along the slice",
)
ax.grid(alpha=0.3)
