r"""
XIELU: two learned curvatures
=============================

:class:`flaxact.nnx.XIELU` (and :class:`flaxact.XIELU` for linen) learns
:math:`\alpha_p`, the curvature of its quadratic positive branch, and :math:`\alpha_n`,
the weight of its exponential negative branch, both kept in range by a softplus; the
slope :math:`\beta` at 0 stays fixed.
"""

# %%
# At initialisation and as each parameter moves
# ---------------------------------------------
# Both start at 0.8 (Apertus' initial values). Raising :math:`\alpha_p` bends the
# positive side upwards; raising :math:`\alpha_n` deepens the negative side's dip.
import jax.numpy as jnp
import matplotlib.pyplot as plt
from flax import nnx

import flaxact

x = jnp.linspace(-5.0, 3.0, 401)
fig, (ax_p, ax_n) = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
# (alpha_n stays above beta = 0.5: it is beta plus a softplus)
for ax, name, values in (
    (ax_p, "alpha_p_init", (0.8, 0.2, 2.0)),
    (ax_n, "alpha_n_init", (0.8, 0.55, 2.0)),
):
    for value in values:
        module = flaxact.nnx.XIELU(**{name: value}, rngs=nnx.Rngs(0))
        style = "-" if value == 0.8 else "--"
        ax.plot(x, module(x), lw=2, ls=style, label=f"{name}={value}")
    ax.axhline(0, color="0.7", lw=0.8)
    ax.set(xlim=(-5, 3), ylim=(-2, 6), xlabel="x")
    ax.set_title(f"XIELU as {name.removesuffix('_init')} changes")
    ax.legend()
    ax.grid(alpha=0.3)
ax_p.set_ylabel("XIELU(x)")
plt.show()
