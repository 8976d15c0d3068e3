r"""
logmeanexp
==========

The log of the mean of exponentials: :func:`flaxact.logsumexp` less :math:`\log n`,
computed without overflow — the average of likelihoods held as log-likelihoods.

.. flaxact-formula:: logmeanexp

The API page :func:`flaxact.logmeanexp` lists its properties.
"""

# %%
# logsumexp less log n
# --------------------
# For rows of ``n`` random numbers, ``logsumexp`` grows with the row length (a sum does),
# ``logmeanexp`` does not (a mean does not); the two differ by exactly :math:`\log n`.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import flaxact

rng = np.random.default_rng(0)
values = rng.standard_normal(4096).astype(np.float32)
lengths = np.unique(np.geomspace(1, 4096, 40).astype(int))


@jax.jit
def prefixes(v):
    # every prefix v[:n] at once: entries past n are masked out
    n = jnp.asarray(lengths)[:, None]
    keep = jnp.arange(v.shape[0])[None, :] < n
    rows = jnp.broadcast_to(v, keep.shape)
    lse = flaxact.logsumexp(rows, axis=-1, where=keep)
    lme = flaxact.logmeanexp(rows, axis=-1, where=keep)
    return lse, lme, lse - lme - jnp.log(n[:, 0].astype(v.dtype))


lse, lme, gap = prefixes(values)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogx(lengths, lse, lw=2, label="logsumexp(x[:n])")
ax.semilogx(lengths, lme, lw=2, label="logmeanexp(x[:n])")
ax.set(xlabel="n", ylabel="value", title="logsumexp and logmeanexp of the first n entries")
ax.legend()
ax.grid(alpha=0.3)
print("largest |logsumexp - logmeanexp - log n|:", float(jnp.max(jnp.abs(gap))))

# %%
# Between the mean and the maximum
# --------------------------------
# By Jensen's inequality ``mean(x) <= logmeanexp(x) <= max(x)``. Scaling by
# :math:`\beta` moves it between the two: :math:`\mathrm{logmeanexp}(\beta x)/\beta` is
# the mean for :math:`\beta \to 0` and the maximum for :math:`\beta \to \infty` — a
# smooth maximum that, unlike ``logsumexp``, does not drift up with the row length.
betas = np.geomspace(1e-2, 1e2, 200).astype(np.float32)
row = values[:64]


@jax.jit
def scaled(x, betas):
    return jax.vmap(lambda b: flaxact.logmeanexp(b * x) / b)(betas), jnp.mean(x), jnp.max(x)


curve, mean, top = scaled(row, betas)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogx(betas, curve, lw=2, label="logmeanexp(βx) / β")
ax.axhline(float(mean), color="k", ls=":", label="mean(x)")
ax.axhline(float(top), color="k", ls="--", label="max(x)")
ax.set(xlabel="β", title="logmeanexp(βx) / β, between mean and max")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Divide, then take the log
# -------------------------
# jax.nn forms :math:`\log\sum - \log n`: two logarithms of about :math:`\log n` each,
# rounded, whose difference keeps both rounding errors. flaxact divides the sum by
# :math:`n` before the one logarithm. On rows of ``n`` equal entries :math:`c`, whose
# mean is :math:`c` itself (here :math:`1 \le |c| < 4`), flaxact returns :math:`c`
# exactly; jax.nn is off by units in the last place of :math:`c` (float32), more as
# ``n`` grows and :math:`\log n` with it.
consts = (rng.uniform(1.0, 4.0, 256) * rng.choice([-1.0, 1.0], 256)).astype(np.float32)
ns = [3, 10, 100, 1000, 10000]


def ulp_errors(n):
    @jax.jit
    def errors(c):
        x = jnp.broadcast_to(c[:, None], (c.shape[0], n))
        ulp = jnp.spacing(jnp.abs(c))
        ours = jnp.abs(flaxact.logmeanexp(x, axis=1) - c) / ulp
        theirs = jnp.abs(jax.nn.logmeanexp(x, axis=1) - c) / ulp
        return jnp.max(ours), jnp.max(theirs)

    return errors(consts)


errs = np.array([ulp_errors(n) for n in ns])
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(ns, errs[:, 1], "o-", label="jax.nn.logmeanexp")
ax.plot(ns, errs[:, 0], "s-", label="flaxact.logmeanexp")
ax.set(
    xscale="log",
    xlabel="n (equal entries per row)",
    ylabel="largest error (ULP)",
    title="error of logmeanexp, flaxact and jax.nn",
)
ax.legend()
ax.grid(alpha=0.3)

# %%
# Its derivative: softmax weights
# -------------------------------
# The gradient of ``logmeanexp`` is the softmax of its input, as for ``logsumexp``:
# subtracting the constant :math:`\log n` changes nothing. Along ``[x, 0, 1]``,
# ``jax.grad`` gives the weight of the moving entry.
x = np.linspace(-5.0, 5.0, 501, dtype=np.float32)
batch = np.stack([x, np.zeros_like(x), np.ones_like(x)], axis=-1)


@jax.jit
def along_slice(batch):
    value = flaxact.logmeanexp(batch, axis=-1)
    slope = jax.vmap(jax.grad(flaxact.logmeanexp))(batch)[:, 0]
    return value, slope, flaxact.softmax(batch)[:, 0]


value, slope, weight = along_slice(batch)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(x, value, lw=2, label="logmeanexp([x, 0, 1])")
ax.plot(x, slope, lw=2, label="d / dx")
ax.plot(x, weight, "k:", label="softmax([x, 0, 1])[0]")
ax.set(xlim=(-5, 5), xlabel="x", title="logmeanexp([x, 0, 1]) and its derivative")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Where it is used
# ----------------
# Importance-weighted bounds (Burda, Grosse and Salakhutdinov, 2016) average :math:`K`
# likelihood ratios that only exist as logarithms: the bound is
# ``logmeanexp(log_w, axis=0)``. Ensembles and Monte Carlo dropout average predicted
# probabilities the same way. ``where`` averages over a ragged number of samples; a row
# with none left is ``nan``, the mean of nothing.
