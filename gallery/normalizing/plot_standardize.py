r"""
standardize
===========

Shifts and scales along an axis to mean 0 and variance 1 (up to ``epsilon``).

.. flaxact-formula:: standardize

The API page :func:`flaxact.standardize` lists its properties.
"""

# %%
# Data far from zero
# ------------------
# Samples with a large mean and a small spread — the case where computing the variance
# as :math:`E[x^2] - E[x]^2` cancels catastrophically in float32. flaxact's default
# algorithm keeps the result accurate.
import jax
import matplotlib.pyplot as plt
import numpy as np

import flaxact

standardize = jax.jit(flaxact.standardize)  # along the last axis, the default
rng = np.random.default_rng(0)
data = (1.0e4 + rng.standard_normal(2000)).astype(np.float32)
z = np.asarray(standardize(data))
print(f"mean {z.mean():+.2e}, std {z.std():.5f}")
print(standardize(np.array([1e4, 1e4 + 1, 1e4 + 2, 1e4 + 3], dtype=np.float32)))
fig, (ax, zax) = plt.subplots(1, 2, figsize=(9, 3.2))
ax.hist(data, bins=40, color="C0")
ax.set(title="histogram of the input", xlabel="x")
zax.hist(z, bins=40, color="C1")
zax.set(title="histogram of standardize(x)", xlabel="z", xlim=(-4, 4))
plt.show()

# %%
# Its derivative: the Jacobian
# ----------------------------
# Each output depends on every input through the mean and the variance, so the
# derivative is a matrix. ``jax.jacobian`` computes it for a short vector.
v = np.array([0.0, 1.0, 2.0, 4.0, 8.0], dtype=np.float32)
jac = jax.jit(jax.jacobian(flaxact.standardize))(v)
fig, ax = plt.subplots(figsize=(4.5, 3.6))
im = ax.imshow(jac, cmap="RdBu_r", vmin=-0.5, vmax=0.5)
ax.set(title="d standardize(v)_i / d v_j", xlabel="j", ylabel="i")
fig.colorbar(im, ax=ax)
