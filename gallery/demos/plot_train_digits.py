r"""
Training a small CNN with different activations
===============================================

The small convolutional network of the Flax activation tutorials — two convolutions
with average pooling, a dense layer, ``log_softmax`` at the output — trained on
scikit-learn's bundled 8×8 handwritten digits (no download), once per hidden-layer
activation and for several random seeds. Same data, same optimiser, the same initial
weights for every activation within a seed; only the activation changes.
"""

# %%
# The data
# --------
# 1797 grey-scale digits, scaled to [0, 1], split 80/20 into training and test sets.
import time

import flax.linen as nn
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import optax
from sklearn.datasets import load_digits

import flaxact

digits = load_digits()
images = (digits.images / 16.0).astype(np.float32)[..., None]  # N, 8, 8, 1
labels = digits.target.astype(np.int32)
perm = np.random.default_rng(0).permutation(len(labels))
split = int(0.8 * len(labels))
train_x, test_x = images[perm[:split]], images[perm[split:]]
train_y, test_y = labels[perm[:split]], labels[perm[split:]]
print(train_x.shape, test_x.shape)


# %%
# The model
# ---------
# The activation is a module attribute, so one class serves every run.
class CNN(nn.Module):
    act: callable

    @nn.compact
    def __call__(self, x):
        x = self.act(nn.Conv(features=32, kernel_size=(3, 3))(x))
        x = nn.avg_pool(x, window_shape=(2, 2), strides=(2, 2))
        x = self.act(nn.Conv(features=64, kernel_size=(3, 3))(x))
        x = nn.avg_pool(x, window_shape=(2, 2), strides=(2, 2))
        x = x.reshape((x.shape[0], -1))
        x = self.act(nn.Dense(features=64)(x))
        return flaxact.log_softmax(nn.Dense(features=10)(x))


# %%
# Training, seed after seed
# -------------------------
# Adam, batches of 128, eight epochs, four seeds. A seed fixes the initial weights and
# the order of the batches. Each activation compiles one training step and one
# evaluation, which every seed then reuses. (Mapping the step over the seeds with
# ``jax.vmap`` would turn each convolution into a grouped one, which XLA runs several
# times slower on the CPU than the seeds one after the other.) The keys use the ``rbg``
# generator, which compiles faster than the default on the CPU.
EPOCHS, BATCH, SEEDS = 8, 128, 4
CANDIDATES = ("relu", "gelu", "sigmoid")
keys = jax.random.split(jax.random.key(0, impl="rbg"), SEEDS)
init = jax.jit(CNN(act=flaxact.relu).init)
initial_params = [init(k, train_x[:1]) for k in keys]
opt = optax.adam(5e-3)
initial_states = [jax.jit(opt.init)(p) for p in initial_params]


def run(act):
    model = CNN(act=act)

    def loss_fn(p, x, y):
        logp = model.apply(p, x)
        return -jnp.take_along_axis(logp, y[:, None], axis=-1).mean()

    @jax.jit
    def step(p, s, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(p, x, y)
        updates, s = opt.update(grads, s, p)
        return optax.apply_updates(p, updates), s, loss

    @jax.jit
    def accuracy(p):
        return (model.apply(p, test_x).argmax(-1) == test_y).mean()

    acc = np.zeros((EPOCHS, SEEDS))
    for seed in range(SEEDS):
        params, state = initial_params[seed], initial_states[seed]
        rng = np.random.default_rng(seed)
        for epoch in range(EPOCHS):
            order = rng.permutation(len(train_y))
            for i in range(0, len(order) - BATCH + 1, BATCH):
                idx = order[i : i + BATCH]
                params, state, _ = step(params, state, train_x[idx], train_y[idx])
            acc[epoch, seed] = accuracy(params)
    return acc  # epochs, seeds


results = {}
for name in CANDIDATES:
    start = time.perf_counter()
    results[name] = run(flaxact.get(name).fn)
    final = results[name][-1]
    print(
        f"{name:8s} test accuracy after {EPOCHS} epochs: mean {final.mean():.3f}, "
        f"seeds from {final.min():.3f} to {final.max():.3f}  ({time.perf_counter() - start:.1f} s)"
    )

# %%
# Test accuracy per epoch: the mean over seeds, and their range
# -------------------------------------------------------------
# The band spans the best and the worst seed; where the bands of two activations do not
# overlap, the difference is not an accident of one initialisation.
fig, ax = plt.subplots(figsize=(7, 4))
epochs = np.arange(1, EPOCHS + 1)
for name, acc in results.items():
    line = ax.plot(epochs, acc.mean(axis=1), marker="o", label=name)[0]
    ax.fill_between(epochs, acc.min(axis=1), acc.max(axis=1), color=line.get_color(), alpha=0.2)
ax.axhline(0.1, color="0.5", lw=0.8, ls=":", label="chance (10 classes)")
ax.set(
    xlabel="epoch",
    ylabel="test accuracy",
    ylim=(0, 1.02),
    title=f"Test accuracy over {SEEDS} seeds: mean and range",
)
ax.grid(alpha=0.3)
ax.legend(fontsize="small")
plt.show()


# %%
# Why the sigmoid network starts slowly
# -------------------------------------
# The sigmoid's slope is at most 1/4, and its output is never centred on zero, so each
# layer passes back at most a quarter of the gradient it receives. Measured at the first
# seed's initial weights, on one batch: the gradient that reaches the first convolution's
# kernel, relative to the one that reaches the output layer.
def layer_gradients(act):
    model = CNN(act=act)
    params = initial_params[0]

    def loss_fn(p):
        logp = model.apply(p, train_x[:BATCH])
        return -jnp.take_along_axis(logp, train_y[:BATCH, None], axis=-1).mean()

    grads = jax.jit(jax.grad(loss_fn))(params)["params"]
    return float(jnp.linalg.norm(grads["Conv_0"]["kernel"])), float(
        jnp.linalg.norm(grads["Dense_1"]["kernel"])
    )


for name in CANDIDATES:
    first, last = layer_gradients(flaxact.get(name).fn)
    print(
        f"{name:8s} |grad| first conv {first:.2e}, output layer {last:.2e}, ratio {first / last:.3f}"
    )

# %%
# Where the first layer receives a gradient orders of magnitude smaller than the output
# layer, it barely moves during the first epochs: the network behaves as a classifier on
# almost fixed random features, and its accuracy stays near chance until Adam's
# per-parameter scaling has enlarged those steps. ReLU and GELU pass gradients of
# similar size to every layer (their slope is about 1 for positive inputs) and learn from
# the first epoch.
