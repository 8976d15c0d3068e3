r"""
Softmax temperature
===================

Dividing the scores by a temperature :math:`T` before the softmax sharpens
(:math:`T < 1`) or flattens (:math:`T > 1`) the distribution, without changing the order.
"""

# %%
# One set of scores, five temperatures
# ------------------------------------
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

scores = jnp.array([3.0, 1.5, 1.0, 0.2, -1.0, -2.0])
temps = (0.25, 0.5, 1.0, 2.0, 4.0)
probs = jax.jit(flaxact.softmax)(scores[None, :] / jnp.array(temps)[:, None])
fig, axes = plt.subplots(1, len(temps), figsize=(11, 2.8), sharey=True, layout="constrained")
for ax, t, p in zip(axes, temps, probs, strict=True):
    ax.bar(range(scores.size), p, color="C0")
    ax.set(title=f"T = {t}", xlabel="class", ylim=(0, 1))
axes[0].set_ylabel("probability")

# %%
# Entropy against temperature
# ---------------------------
# From 0 (all mass on the top class, :math:`T \to 0`) to :math:`\log n` (uniform,
# :math:`T \to \infty`). ``log_softmax`` gives the log-probabilities without underflow at
# small temperatures.
t = jnp.logspace(-2, 2, 200)


@jax.jit
def entropy_at(t):
    logp = flaxact.log_softmax(scores[None, :] / t[:, None], axis=-1)
    return -(jnp.exp(logp) * logp).sum(axis=-1)


entropy = entropy_at(t)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogx(t, entropy)
ax.axhline(float(jnp.log(scores.size)), color="0.5", ls="--", label="log n")
ax.set(xlabel="temperature T", ylabel="entropy (nats)")
ax.legend()
ax.grid(alpha=0.3)
