r"""
softmin
=======

Softmax of the negated input: probabilities that favour the *smallest* entries — costs,
distances, energies.

.. flaxact-formula:: softmin

The API page :func:`flaxact.softmin` lists its properties.
"""

# %%
# Weights for the nearest prototypes
# ----------------------------------
# A point's squared distances to six prototypes. Softmin turns them into weights: the
# nearest prototype gets the most, the farthest the least, and the weights sum to one.
# It is ``softmax(-d)`` — softmax of the same numbers would favour the farthest.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact

dist = np.array([2.5, 0.4, 1.1, 3.0, 0.9, 4.2], dtype=np.float32)


@jax.jit
def weights(d):
    return flaxact.softmin(d), flaxact.softmax(d)


w_min, w_max = weights(dist)
fig, (ax, wax) = plt.subplots(1, 2, figsize=(9, 3.2))
ax.bar(range(6), dist, color="C0")
ax.set(title="squared distances", xlabel="prototype")
wax.bar(np.arange(6) - 0.2, w_min, width=0.4, color="C1", label="softmin(d)")
wax.bar(np.arange(6) + 0.2, w_max, width=0.4, color="C7", label="softmax(d)")
wax.set(title="weights (each set sums to 1)", xlabel="prototype", ylim=(0, 1))
wax.legend()
plt.show()

# %%
# A soft argmin and a soft minimum
# --------------------------------
# Dividing the costs by a temperature :math:`T` sharpens the weights as :math:`T`
# shrinks: ``softmin(d / T)`` tends to the one-hot vector of the smallest cost (a soft
# ``argmin``), and the weighted cost :math:`\sum_i \mathrm{softmin}(d/T)_i\, d_i` falls
# from the mean cost to the minimum, 0.4.
temps = np.geomspace(0.02, 20.0, 200).astype(np.float32)


@jax.jit
def sweep(d, temps):
    w = jax.vmap(lambda t: flaxact.softmin(d / t))(temps)
    return w, w @ d


w, soft_min = sweep(dist, temps)
fig, (ax, vax) = plt.subplots(1, 2, figsize=(9, 3.4))
ax.semilogx(temps, w, label=[f"d = {v:g}" for v in dist])
ax.set(xlabel="temperature T", ylabel="weight", title="softmin(d / T)")
ax.legend(fontsize=7)
ax.grid(alpha=0.3)
vax.semilogx(temps, soft_min, color="C1", lw=2, label="weighted cost")
vax.axhline(float(dist.min()), color="k", ls="--", lw=1, label="min(d)")
vax.axhline(float(dist.mean()), color="k", ls=":", lw=1, label="mean(d)")
vax.set(xlabel="temperature T")
vax.legend()
vax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# Raising a cost lowers its own weight and lifts the others: the Jacobian is
# :math:`-(\mathrm{diag}(s) - s s^\top)`, softmax's with the sign flipped, negative on
# the diagonal. Along a slice where the first of three costs moves (the others are 0
# and 1), ``jax.grad`` of its weight is never positive.
x = np.linspace(-5.0, 5.0, 501, dtype=np.float32)
batch = np.stack([x, np.zeros_like(x), np.ones_like(x)], axis=-1)  # 501 rows of 3 costs


@jax.jit
def derivatives(d, batch):
    jac = jax.jacobian(flaxact.softmin)(d)
    w0 = flaxact.softmin(batch)[:, 0]
    dw0 = jax.vmap(jax.grad(lambda v: flaxact.softmin(v)[0]))(batch)[:, 0]
    return jac, w0, dw0


jac, w0, dw0 = derivatives(dist, batch)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4))
im = ax.imshow(jac, cmap="RdBu_r", vmin=-0.25, vmax=0.25)
ax.set(title="Jacobian at the six distances", xlabel="j", ylabel="i")
fig.colorbar(im, ax=ax)
dax.plot(x, w0, lw=2, label="softmin(x, 0, 1)[0]")
dax.plot(x, dw0, lw=2, label="its derivative in x")
dax.set(xlim=(-5, 5), xlabel="x (cost of item 0)")
dax.legend()
dax.grid(alpha=0.3)

# %%
# Masking and infinite costs
# --------------------------
# ``where`` leaves entries out (their weight is exactly 0), as for softmax; an entry of
# cost :math:`+\infty` gets weight 0 too, with a finite gradient for the others. A cost
# of :math:`-\infty` has no finite counterpart and makes the row ``nan``, as
# :math:`+\infty` does for softmax.


@jax.jit
def masked(d):
    keep = jnp.arange(d.shape[0]) != 1  # leave the nearest prototype out
    inf_cost = d.at[3].set(jnp.inf)
    return flaxact.softmin(d, where=keep), flaxact.softmin(inf_cost)


without_nearest, with_inf = masked(dist)
print("nearest left out:", np.round(np.asarray(without_nearest), 4))
print("cost 3 set to inf:", np.round(np.asarray(with_inf), 4))
