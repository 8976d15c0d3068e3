r"""
LeakyReLU: a fixed slope as a module
====================================

:class:`flaxact.nnx.LeakyReLU` (and :class:`flaxact.LeakyReLU` for linen) holds its
negative slope as a plain attribute, not a parameter: nothing is trained. It exists so
that a layer stack can list its activation as a module; for a learned slope use PReLU.
"""

# %%
# The defaults of three frameworks
# --------------------------------
# flaxact and jax.nn default to 0.01; Keras' ``LeakyReLU`` layer to 0.3 and its function
# to 0.2. The module's slope decides what negative inputs keep.
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-4.0, 4.0, 401)
fig, ax = plt.subplots(figsize=(6, 3.6))
for slope, who in ((0.01, "flaxact, jax.nn"), (0.2, "keras.activations"), (0.3, "keras.layers")):
    ax.plot(
        x,
        flaxact.nnx.LeakyReLU(negative_slope=slope)(x),
        lw=2,
        label=f"negative_slope={slope} ({who})",
    )
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-4, 4), ylim=(-1.5, 4), xlabel="x", ylabel="LeakyReLU(x)")
ax.set_title("LeakyReLU modules with three frameworks' default slopes")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
