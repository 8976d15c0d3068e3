r"""
Swish with several β
====================

Swish is :math:`x\,\sigma(\beta x)`. With :math:`\beta = 1` it is SiLU; as
:math:`\beta` grows it approaches ReLU, and at :math:`\beta = 0` it is the line
:math:`x/2`.
"""

# %%
# The curves
# ----------
# The β values are those the registry's ``swish`` record lists for its gallery.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

rec = flaxact.get("swish")
sweeps = [(k, v) for k, values in rec.example_params.items() for v in values]
x = jnp.linspace(-5.0, 5.0, 701)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(10, 3.8))
for key, value in sweeps:
    f = lambda t, k=key, v=value: flaxact.swish(t, **{k: v})  # noqa: E731
    ax.plot(x, jax.jit(f)(x), label=f"{key}={value}")
    dax.plot(x, jax.jit(jax.vmap(jax.grad(f)))(x), label=f"{key}={value}")
ax.plot(x, jax.jit(flaxact.relu)(x), "k--", lw=0.8, label="relu")
ax.set(xlim=(-5, 5), ylim=(-1.5, 5), xlabel="x", title="swish")
dax.set(xlim=(-5, 5), ylim=(-0.3, 1.3), xlabel="x", title="derivative")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend(fontsize="small")

# %%
# β = 1 is SiLU
# -------------
print(bool(jnp.array_equal(flaxact.swish(x), flaxact.silu(x))))
