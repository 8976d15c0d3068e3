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
# The β values are those the registry's ``swish`` record lists for its gallery. ``beta``
# may be an array, so it is an ordinary argument of the compiled function: ``jax.vmap``
# maps the function of one β over all of them, and one program computes every curve and
# its derivative.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact

rec = flaxact.get("swish")
betas = rec.example_params["beta"]


def swish_and_slope(x, beta):
    slope = jax.vmap(jax.grad(flaxact.swish), in_axes=(0, None))(x, beta)
    return flaxact.swish(x, beta), slope


@jax.jit
def curves(x, betas):
    ys, dys = jax.vmap(swish_and_slope, in_axes=(None, 0))(x, betas)
    return ys, dys, flaxact.relu(x)


x = np.linspace(-5.0, 5.0, 701, dtype=np.float32)
ys, dys, relu = curves(x, np.array(betas, dtype=np.float32))
fig, (ax, dax) = plt.subplots(1, 2, figsize=(10, 3.8))
for beta, y, dy in zip(betas, np.asarray(ys), np.asarray(dys), strict=True):
    ax.plot(x, y, label=f"beta={beta}")
    dax.plot(x, dy, label=f"beta={beta}")
ax.plot(x, relu, "k--", lw=0.8, label="relu")
ax.set(xlim=(-5, 5), ylim=(-1.5, 5), xlabel="x", title="swish for several β")
dax.set(xlim=(-5, 5), ylim=(-0.3, 1.3), xlabel="x", title="its derivative")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend(fontsize="small")


# %%
# β = 1 is SiLU
# -------------
@jax.jit
def swish_is_silu(x):
    return jnp.array_equal(flaxact.swish(x, beta=1.0), flaxact.silu(x))


print(bool(swish_is_silu(x)))
