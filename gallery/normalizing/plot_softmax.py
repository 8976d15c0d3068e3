r"""
softmax
=======

Turns a vector of scores into probabilities: positive, summing to one along ``axis``.

.. flaxact-formula:: softmax

The API page :func:`flaxact.softmax` lists its properties.
"""

# %%
# Scores into probabilities
# -------------------------
# Five scores and their softmax: the order is kept, the largest score takes most of the
# mass, and the outputs sum to one.
import jax
import matplotlib.pyplot as plt
import numpy as np

import flaxact

softmax = jax.jit(flaxact.softmax)  # along the last axis, the default
scores = np.array([2.0, 1.0, 0.1, -1.0, 3.0], dtype=np.float32)
probs = np.asarray(softmax(scores))
fig, (ax, pax) = plt.subplots(1, 2, figsize=(9, 3.2))
ax.bar(range(5), scores, color="C0")
ax.set(title="scores", xlabel="class")
pax.bar(range(5), probs, color="C1")
pax.set(title=f"softmax (sum = {probs.sum():.6f})", xlabel="class", ylim=(0, 1))
plt.show()

# %%
# One score moving
# ----------------
# Along a slice — the first of three scores moves, the others stay at 0 and 1 — each
# probability is a smooth sigmoid-like curve. With two classes ``softmax([x, 0])[0]``
# is exactly the logistic sigmoid.
x = np.linspace(-5.0, 5.0, 501, dtype=np.float32)
batch = np.stack([x, np.zeros_like(x), np.ones_like(x)], axis=-1)  # 501 rows of 3 scores
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(x, softmax(batch), label=[f"class with score {s}" for s in ("x", "0", "1")])
ax.set(
    xlim=(-5, 5),
    ylim=(0, 1),
    xlabel="x (score of class 0)",
    ylabel="probability",
    title="softmax([x, 0, 1])",
)
ax.legend()
ax.grid(alpha=0.3)


# %%
# Its derivative: the Jacobian
# ----------------------------
# A function of a whole vector has a matrix of derivatives,
# :math:`\partial s_i / \partial x_j = s_i(\delta_{ij} - s_j)`. ``jax.jacobian`` computes
# it; each row sums to zero because the outputs always sum to one. Along the slice
# above, ``jax.grad`` of the first output gives the diagonal entry. One compiled
# program computes both.
@jax.jit
def derivatives(scores, batch):
    jac = jax.jacobian(flaxact.softmax)(scores)
    grads = jax.vmap(jax.grad(lambda v: flaxact.softmax(v)[0]))(batch)
    return jac, grads[:, 0]  # the derivative with respect to the moving score


jac, dp0 = derivatives(scores, batch)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4))
im = ax.imshow(jac, cmap="RdBu_r", vmin=-0.25, vmax=0.25)
ax.set(title="Jacobian at the five scores", xlabel="j", ylabel="i")
fig.colorbar(im, ax=ax)
dax.plot(x, dp0, color="C1")
dax.set(xlim=(-5, 5), xlabel="x", title="d softmax(x)_0 / dx along the slice")
dax.grid(alpha=0.3)
