r"""
xielu
=====

xIELU, the activation of the Apertus language models: a learnable square for positive
input (like squared ReLU) and, below zero, a branch whose slope is an ELU shifted down,
so that very negative inputs still pass a gradient.

.. flaxact-formula:: xielu
   :derivative:

The API page :func:`flaxact.xielu` lists its properties; :class:`flaxact.XIELU` (and
``flaxact.nnx.XIELU``) learns :math:`\alpha_p` and :math:`\alpha_n`.
"""

# %%
# When to use it
# --------------
#
# .. flaxact-prose:: xielu usage
#
# .. flaxact-prose:: xielu used_in

# %%
# The function and its derivative
# -------------------------------
# With the defaults (:math:`\alpha_p = \alpha_n = 0.8`, :math:`\beta = 0.5`) the negative
# branch dips to a minimum of about -0.206 at :math:`x = \log(3/8)`, crosses zero again
# near -2.43 and then rises with slope :math:`-(\alpha_n - \beta) = -0.3`: unlike ReLU,
# ELU or GELU, xIELU's gradient does not vanish for very negative input.
import functools

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace(-6.0, 3.0, 901)
value_and_slope = jax.jit(lambda v: (flaxact.xielu(v), jax.vmap(jax.grad(flaxact.xielu))(v)))
y, dy = value_and_slope(x)
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4))
ax.plot(x, y, lw=2)
ax.plot(x, jnp.maximum(x, 0) ** 2, "--", color="0.5", lw=1, label="squared ReLU")
ax.set(xlim=(-6, 3), ylim=(-0.5, 5), xlabel="x", title="xielu with its defaults")
ax.legend()
dax.plot(x, dy, lw=2, color="C1")
dax.axhline(0, color="0.7", lw=0.8)
dax.set(xlim=(-6, 3), ylim=(-0.5, 5.5), xlabel="x", title="its derivative")
for a in (ax, dax):
    a.grid(alpha=0.3)

# %%
# The clamp at :math:`\epsilon`
# -----------------------------
# The exponential is evaluated at :math:`\min(x, \epsilon)` with :math:`\epsilon = -10^{-6}`,
# as in the reference implementation: on :math:`(\epsilon, 0]` the branch is a straight
# line, and at 0 itself the value is :math:`\alpha_n(e^\epsilon - 1)`, not 0, so the
# function jumps by about :math:`8 \times 10^{-7}` there. ``eps=0`` removes the jump.
for eps in (-1e-6, 0.0):
    print(f"eps={eps:g}: xielu(0) = {float(flaxact.xielu(0.0, eps=eps)):.3e}")

# %%
# What the two learned parameters do
# ----------------------------------
# :math:`\alpha_p` sets the curvature above zero; :math:`\alpha_n` the depth of the dip
# and the slope far below zero, :math:`\beta - \alpha_n`.
settings = {"alpha_p": (0.4, 0.8, 1.6), "alpha_n": (0.6, 0.8, 1.6)}


@jax.jit
def sweeps(x):
    return {
        name: [flaxact.xielu(x, **{name: v}) for v in values] for name, values in settings.items()
    }


curves = sweeps(x)
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
for a, (name, values) in zip(axes, settings.items(), strict=True):
    for v, c in zip(values, curves[name], strict=True):
        a.plot(x, c, label=f"{name}={v}")
    a.set(xlim=(-6, 3), ylim=(-1, 5), xlabel="x", title=f"xielu, sweeping {name}")
    a.grid(alpha=0.3)
    a.legend()

# %%
# Where the formula as written loses every digit
# ----------------------------------------------
# Around the negative root, :math:`\alpha_n(e^x - 1 - x)` and :math:`\beta x` are both
# about 1.2 and cancel. The literal formula in float32 keeps almost none of the result's
# digits there; flaxact expands the branch around the root instead.
root = jnp.linspace(-2.44, -2.42, 5)
literal = functools.partial(
    lambda v, a_n, b: a_n * (jnp.expm1(jnp.minimum(v, -1e-6)) - v) + b * v, a_n=0.8, b=0.5
)
print("x           flaxact        literal float32")
for v, ours, theirs in zip(root, jax.jit(flaxact.xielu)(root), jax.jit(literal)(root), strict=True):
    print(f"{float(v):.4f}   {float(ours): .6e}   {float(theirs): .6e}")


# %%
# What goes wrong
# ---------------
#
# .. flaxact-prose:: xielu pitfall
