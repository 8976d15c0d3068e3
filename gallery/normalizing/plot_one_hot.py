r"""
one_hot
=======

Encodes integer class labels as rows of zeros with a single one.

.. flaxact-formula:: one_hot

It is not differentiable (its output is piecewise constant in the labels), so this
page shows the encoding instead of a derivative. The API page :func:`flaxact.one_hot`
lists its properties.
"""

# %%
# Labels into rows
# ----------------
# Eight labels from five classes. Narrow integer types (``uint8``, ``int8``) give the
# same encoding — they do not wrap around.
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

labels = jnp.array([0, 3, 1, 4, 4, 2, 0, 1], dtype=jnp.uint8)
enc = flaxact.one_hot(labels, 5)
print(enc.dtype, enc.shape)
fig, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
ax.imshow(enc, cmap="Greys", vmin=0, vmax=1)
ax.set(xlabel="class", ylabel="example", title="one_hot(labels, 5)")
ax.set_yticks(range(8), [str(int(v)) for v in labels])

# %%
# Out-of-range labels
# -------------------
# A label outside ``[0, num_classes)`` encodes as a row of zeros, as in jax.nn.
print(flaxact.one_hot(jnp.array([-1, 2, 5]), 5))
