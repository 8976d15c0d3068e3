r"""
GatedFeedForward: the block the GLU family lives in
===================================================

:class:`flaxact.nnx.GatedFeedForward` (and :class:`flaxact.GatedFeedForward` for linen)
is the feed-forward block of LLaMA-style Transformers: two projections of the input,
one gated by the activation, multiplied, and projected back:
:math:`W_2\,(\phi(W_g x) \odot W_v x)`, with SiLU as :math:`\phi` (SwiGLU) by default.
"""

# %%
# One block, three gates
# ----------------------
# A block with one input and one output feature, at the same initial weights, with the
# gate's activation swapped: the response to a scalar input shows each gate's shape
# multiplied by a linear term, hence the quadratic growth on one side.
import jax.numpy as jnp
import matplotlib.pyplot as plt
from flax import nnx

import flaxact

x = jnp.linspace(-4.0, 4.0, 401)[:, None]
fig, ax = plt.subplots(figsize=(6, 3.6))
for name in ("silu", "gelu", "relu"):
    block = flaxact.nnx.GatedFeedForward(1, 8, activation=flaxact.get(name), rngs=nnx.Rngs(0))
    ax.plot(x[:, 0], block(x)[:, 0], lw=2, label=f"activation={name}")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=(-4, 4), xlabel="x", ylabel="block(x)")
ax.set_title("GatedFeedForward at initialisation, three gates")
ax.legend()
ax.grid(alpha=0.3)
plt.show()
