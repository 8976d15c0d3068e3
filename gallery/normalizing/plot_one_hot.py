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
import jax
import matplotlib.pyplot as plt
import numpy as np

import flaxact

one_hot = jax.jit(flaxact.one_hot, static_argnames="num_classes")  # num_classes: a shape
labels = np.array([0, 3, 1, 4, 4, 2, 0, 1], dtype=np.uint8)
enc = one_hot(labels, num_classes=5)
print(enc.dtype, enc.shape)
fig, ax = plt.subplots(figsize=(4.5, 4))
ax.imshow(enc, cmap="Greys", vmin=0, vmax=1)
ax.set(xlabel="class", ylabel="example", title="one_hot(labels, 5)")
ax.set_yticks(range(8), [str(v) for v in labels])
plt.show()

# %%
# Out-of-range labels
# -------------------
# A label outside ``[0, num_classes)`` encodes as a row of zeros, as in jax.nn.
print(one_hot(np.array([-1, 2, 5], dtype=np.int32), num_classes=5))
