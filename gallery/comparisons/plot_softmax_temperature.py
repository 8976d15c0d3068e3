r"""
Softmax temperature
===================

Dividing the scores by a temperature :math:`T` before the softmax sharpens
(:math:`T < 1`) or flattens (:math:`T > 1`) the distribution, without changing the order.
"""

# %%
# One set of scores, five temperatures
# ------------------------------------
# The temperature is an ordinary array argument: ``jax.vmap`` maps the function of one
# temperature over all five, in one compiled program.
import math

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact

scores = np.array([3.0, 1.5, 1.0, 0.2, -1.0, -2.0], dtype=np.float32)


def softmax_at(t):
    return flaxact.softmax(scores / t)


temps = (0.25, 0.5, 1.0, 2.0, 4.0)
probs = jax.jit(jax.vmap(softmax_at))(np.array(temps, dtype=np.float32))  # one row per T
fig, axes = plt.subplots(1, len(temps), figsize=(11, 2.8), sharey=True)
fig.subplots_adjust(left=0.06, right=0.99, bottom=0.17, top=0.89, wspace=0.08)
for ax, t, p in zip(axes, temps, np.asarray(probs), strict=True):
    ax.bar(range(scores.size), p, color="C0")
    ax.set(title=f"softmax at T = {t}", xlabel="class", ylim=(0, 1))
axes[0].set_ylabel("probability")


# %%
# Entropy against temperature
# ---------------------------
# From 0 (all mass on the top class, :math:`T \to 0`) to :math:`\log n` (uniform,
# :math:`T \to \infty`). ``log_softmax`` gives the log-probabilities without underflow at
# small temperatures.
def entropy_at(t):
    logp = flaxact.log_softmax(scores / t)
    return -(jnp.exp(logp) * logp).sum()


t = np.logspace(-2, 2, 200, dtype=np.float32)
entropy = jax.jit(jax.vmap(entropy_at))(t)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogx(t, entropy)
ax.axhline(math.log(scores.size), color="0.5", ls="--", label="log n")
ax.set(xlabel="temperature T", ylabel="entropy (nats)", title="Entropy of softmax(scores / T)")
ax.legend()
ax.grid(alpha=0.3)
