r"""
Snake: a learned frequency per channel
======================================

:class:`flaxact.nnx.Snake` (and :class:`flaxact.Snake` for linen) computes
:math:`x + \sin^2(\alpha x)/\alpha` with one :math:`\alpha` per channel, initialised to
``alpha_init`` (1.0). Audio models (BigVGAN, DAC) learn it so that each channel settles
on its own period :math:`\pi/\alpha`.
"""

# %%
# Three channels, three frequencies
# ---------------------------------
# A module with three channels, its :math:`\alpha` set to 0.5, 1 and 3 as training might
# leave them: the same input gives three differently periodic outputs around
# :math:`y = x`.
import jax.numpy as jnp
import matplotlib.pyplot as plt
from flax import nnx

import flaxact

x = jnp.linspace(-6.0, 6.0, 601)
snake = flaxact.nnx.Snake(3, rngs=nnx.Rngs(0))
print("initial alpha:", snake.alpha[...])
snake.alpha[...] = jnp.array([0.5, 1.0, 3.0])
y = snake(jnp.stack([x, x, x], axis=-1))  # channels on the last axis

fig, ax = plt.subplots(figsize=(6, 3.6))
for c, alpha in enumerate((0.5, 1.0, 3.0)):
    ax.plot(x, y[:, c], lw=2, label=f"channel {c}: alpha={alpha}")
ax.plot(x, x, color="0.6", lw=0.8, ls=":", label="y = x")
ax.set(xlim=(-6, 6), ylim=(-6, 7), xlabel="x", ylabel="Snake(x)")
ax.set_title("Snake with a different learned alpha per channel")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
