r"""
clamped_swiglu
==============

The SwiGLU of GPT-OSS's mixture-of-experts layers: the gate is a swish with slope
:math:`\alpha = 1.702` clamped from above at ``limit``, the linear half is clamped to
:math:`[-\ell, \ell]` and shifted by one. The clamps keep activations bounded when the
experts run in low precision.

.. flaxact-formula:: clamped_swiglu
   :derivative:

The API page :func:`flaxact.clamped_swiglu` lists its properties and how to feed
GPT-OSS's interleaved projection.
"""

# %%
# When to use it
# --------------
#
# .. flaxact-prose:: clamped_swiglu usage
#
# .. flaxact-prose:: clamped_swiglu used_in

# %%
# The gate, with and without the clamp
# ------------------------------------
# With the linear half at :math:`a = 0` (so :math:`a + 1 = 1`), the output is the gate
# alone: :math:`b\,\sigma(1.702\,b)`, the sigmoid form of GELU, flat beyond
# :math:`b = \ell`. The unclamped :func:`flaxact.swiglu` gate (SiLU) is drawn for
# comparison.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

b = jnp.linspace(-6.0, 10.0, 801)
gate_only = jnp.stack([jnp.zeros_like(b), b], axis=-1)  # [a | b] along the last axis
swiglu_input = jnp.stack([jnp.ones_like(b), b], axis=-1)  # swiglu has no + 1


@jax.jit
def gates(gate_only, swiglu_input):
    return (
        flaxact.clamped_swiglu(gate_only)[:, 0],
        flaxact.clamped_swiglu(gate_only, limit=3.0)[:, 0],
        flaxact.swiglu(swiglu_input)[:, 0],
    )


clamped7, clamped3, plain = gates(gate_only, swiglu_input)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(b, clamped7, lw=2, label="clamped_swiglu, limit=7")
ax.plot(b, clamped3, lw=2, label="clamped_swiglu, limit=3")
ax.plot(b, plain, "--", color="0.5", lw=1, label="swiglu (silu gate)")
ax.set(xlim=(-6, 10), ylim=(-1, 10), xlabel="gate b (a = 0)", title="clamped_swiglu against swiglu")
ax.legend(loc="upper left")
ax.grid(alpha=0.3)

# %%
# Gradients stop beyond the clamps
# --------------------------------
# The gradient with respect to the gate passes up to and including :math:`b = \ell` (as
# with PyTorch's ``clamp`` in the reference code) and is 0 beyond; the same holds for
# the linear half outside :math:`[-\ell, \ell]`.
pairs = jnp.stack([jnp.full_like(b, 2.0), b], axis=-1)
grads = jax.jit(jax.vmap(jax.grad(lambda p: flaxact.clamped_swiglu(p)[0])))(pairs)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(b, grads[:, 0], lw=2, label="d / d a")
ax.plot(b, grads[:, 1], lw=2, label="d / d b")
ax.axvline(7.0, color="0.6", lw=0.8, ls=":")
ax.set(xlim=(-6, 10), ylim=(-1, 9), xlabel="gate b (a = 2)", title="gradients of clamped_swiglu")
ax.legend(loc="upper left")
ax.grid(alpha=0.3)

# %%
# Feeding GPT-OSS's interleaved columns
# -------------------------------------
# GPT-OSS's projection writes gate and linear columns alternately (gate first). Reorder
# them into flaxact's ``[linear | gate]`` halves once; better still, permute the
# projection's weight columns when the checkpoint is loaded.
h = jnp.array([[9.0, -0.5, 1.0, 2.0, -3.0, 8.0]])  # gate, linear, gate, linear, ...
halves = jnp.concatenate([h[..., 1::2], h[..., 0::2]], axis=-1)
print(halves)
print(jax.jit(flaxact.clamped_swiglu)(halves))


# %%
# What goes wrong
# ---------------
#
# .. flaxact-prose:: clamped_swiglu pitfall
