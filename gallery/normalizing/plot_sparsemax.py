r"""
sparsemax
=========

The Euclidean projection of a score vector onto the probability simplex: like softmax it
returns probabilities summing to one, unlike softmax it returns exact zeros.

.. flaxact-formula:: sparsemax

The API page :func:`flaxact.sparsemax` lists its properties.
"""

# %%
# Exact zeros where softmax has small numbers
# -------------------------------------------
# The same eight scores through both functions. Softmax gives every class some mass;
# sparsemax subtracts one threshold :math:`\tau` from all scores and clips at zero, so
# the classes more than :math:`\tau` below the top get exactly 0.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact


@jax.jit
def both(scores):
    p = flaxact.sparsemax(scores)
    tau = jnp.max(scores - p, where=p > 0, initial=-jnp.inf)  # the threshold: p = s - tau
    return flaxact.softmax(scores), p, tau, jnp.sum(p == 0)


scores = np.array([1.2, 1.0, 0.9, 0.8, -0.2, -0.5, -1.0, -2.0], dtype=np.float32)
soft, sparse, tau, zeros = both(scores)
fig, (ax, pax) = plt.subplots(1, 2, figsize=(9, 3.2))
ax.bar(range(8), scores, color="C0")
ax.axhline(float(tau), color="C3", ls="--", label=f"threshold τ = {float(tau):.3f}")
ax.set(title="scores", xlabel="class")
ax.legend()
pax.bar(np.arange(8) - 0.2, soft, width=0.4, label="softmax")
pax.bar(np.arange(8) + 0.2, sparse, width=0.4, label="sparsemax")
pax.set(title=f"{int(zeros)} of 8 sparsemax outputs are exactly 0", xlabel="class")
pax.legend()
plt.show()

# %%
# One score moving: piecewise linear
# ----------------------------------
# The first of three scores moves, the others stay at 0 and 0.5. Each probability is
# made of straight pieces (dashed: softmax, smooth everywhere). Below -0.25 class 0
# is out of the support, exactly 0; above 1.5 it takes everything, exactly 1 — softmax
# reaches neither.
x = np.linspace(-3.0, 3.0, 601, dtype=np.float32)
batch = np.stack([x, np.zeros_like(x), np.full_like(x, 0.5)], axis=-1)  # 601 rows of 3


@jax.jit
def along_slice(batch):
    return flaxact.sparsemax(batch), flaxact.softmax(batch)


p, s = along_slice(batch)
fig, ax = plt.subplots(figsize=(6, 3.4))
for i, label in enumerate(("x", "0", "0.5")):
    ax.plot(x, p[:, i], color=f"C{i}", lw=2, label=f"sparsemax, score {label}")
    ax.plot(x, s[:, i], color=f"C{i}", ls="--", lw=1)
ax.set(
    xlim=(-3, 3),
    ylim=(-0.05, 1.05),
    xlabel="x (score of class 0)",
    ylabel="probability",
    title="sparsemax (solid) and softmax (dashed)",
)
ax.legend(fontsize=8)
ax.grid(alpha=0.3)

# %%
# Its derivative: a projection's Jacobian
# ---------------------------------------
# On the support :math:`S` (the non-zero outputs) the Jacobian is the centring matrix
# :math:`I - \mathbf{1}\mathbf{1}^\top / |S|`; rows and columns of the zeroed classes are
# 0, so no gradient reaches them. ``jax.jacobian`` uses flaxact's own rule, which keeps
# only the support for the backward pass. Along the slice, ``jax.grad`` of the first
# output is piecewise constant: 0 off the support, :math:`1 - 1/|S|` on it.


@jax.jit
def derivatives(scores, batch):
    jac = jax.jacobian(flaxact.sparsemax)(scores)
    slope = jax.vmap(jax.grad(lambda v: flaxact.sparsemax(v)[0]))(batch)[:, 0]
    return jac, slope


jac, slope = derivatives(scores, batch)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4))
im = ax.imshow(jac, cmap="RdBu_r", vmin=-1, vmax=1)
ax.set(title="Jacobian at the eight scores", xlabel="j", ylabel="i")
fig.colorbar(im, ax=ax)
dax.plot(x, slope, color="C1", lw=2)
dax.set(xlim=(-3, 3), xlabel="x", title="d sparsemax(x)_0 / dx along the slice")
dax.grid(alpha=0.3)

# %%
# Scale decides sparsity
# ----------------------
# Sparsemax is not invariant to scaling the scores (softmax is not either, but never
# reaches 0). Dividing the scores by a temperature :math:`T` spreads the mass over more
# classes as :math:`T` grows; small :math:`T` selects the top class alone. Here 64
# random scores per row, the mean support size against :math:`T`.
rng = np.random.default_rng(0)
logits = rng.standard_normal((256, 64)).astype(np.float32)
temps = np.geomspace(0.05, 20.0, 40).astype(np.float32)


@jax.jit
def support_size(logits, temps):
    p = jax.vmap(lambda t: flaxact.sparsemax(logits / t))(temps)
    return jnp.mean(jnp.sum(p > 0, axis=-1), axis=-1)


fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogx(temps, support_size(logits, temps), lw=2)
ax.set(
    xlabel="temperature T",
    ylabel="mean number of non-zero outputs",
    ylim=(0, 65),
    title="size of the support of sparsemax(logits / T)",
)
ax.grid(alpha=0.3)

# %%
# When to use it
# --------------
# Sparsemax suits attention and multi-label outputs where a handful of items should get
# all the weight and the rest none, readable at a glance (Martins and Astudillo, 2016).
# flaxact finds its threshold without a sort, by bisection: two dozen passes over the
# data in float32, so it still costs more than softmax (the Performance page times both). Its
# loss is not the log-likelihood (``log 0`` is ``-inf``): train it with the sparsemax
# loss of the same paper, or use it where the probabilities are weights, not targets.
