"""Write a starting gallery script for each element-wise activation that has none.

    python docs/_ext/new_gallery_script.py            # every record without a script
    python docs/_ext/new_gallery_script.py gelu elu   # just these (still never overwrites)

The script it writes is ordinary Sphinx-Gallery code (function, derivative, parameter
sweeps on the family's fixed axes) and is committed and edited like any other; this tool
only saves typing when an activation is added. Functions of a whole axis (softmax, the
gated family, ...) need a hand-written script. ``tests/test_docs.py`` fails while any
record or alias lacks a script.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import flaxact

# x range, y range of f, y range of f' — shared by every page of a family.
AXES = {
    "rectifier": ((-7.0, 7.0), (-2.0, 7.0), (-0.7, 1.7)),
    "exponential": ((-5.0, 5.0), (-2.5, 5.0), (-0.2, 2.0)),
    "sigmoidal": ((-6.0, 6.0), (-3.0, 1.5), (-0.2, 1.2)),
    "smooth": ((-5.0, 5.0), (-1.5, 5.0), (-0.4, 1.4)),
    "normalizing": ((-5.0, 5.0), (-5.0, 5.0), (-0.5, 1.5)),
    "gated": ((-5.0, 5.0), (-2.0, 5.0), (-0.5, 1.5)),
}

TEMPLATE = '''r"""
{title}
{underline}

{summary} The formula (and the derivative, plotted below):

.. flaxact-formula:: {name}
   :derivative:

The API page :func:`flaxact.{name}` lists its properties and the gradient at its kinks.
"""

# %%
# The function
# ------------
# ``flaxact.{name}`` on the axes shared by every page of the {family} family.
{extra_import}import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace({x0}, {x1}, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.{name}(x), lw=2)
ax.axhline(0, color="0.7", lw=0.8)
ax.axvline(0, color="0.7", lw=0.8)
ax.set(xlim=({x0}, {x1}), ylim=({y0}, {y1}), xlabel="x", ylabel="{name}(x)")
ax.grid(alpha=0.3)

# %%
# Its derivative
# --------------
# ``jax.grad`` differentiates the scalar function and ``jax.vmap`` maps it over the grid.
# Where the function has a kink, the value drawn there is the gradient flaxact (like
# jax.nn) returns.
d{name} = jax.vmap(jax.grad(flaxact.{name}))(x)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, d{name}, lw=2, color="C1")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=({x0}, {x1}), ylim=({d0}, {d1}), xlabel="x", ylabel="d {name} / dx")
ax.grid(alpha=0.3)
'''

ALIAS_TEMPLATE = '''r"""
{alias}
{underline}

``flaxact.{alias}`` is another name for :func:`flaxact.{name}` — the same function object,
kept because other libraries use this name.

.. flaxact-formula:: {name}
"""

# %%
# Same object, same values
# ------------------------
# The alias is not a copy: it is the very same callable, so values and gradients agree
# bit for bit.
import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

print(flaxact.{alias} is flaxact.{name})
x = jnp.linspace({x0}, {x1}, 701)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.{alias}(x), lw=2, label="{alias}")
ax.plot(x, jax.vmap(jax.grad(flaxact.{alias}))(x), lw=2, label="its derivative")
ax.set(xlim=({x0}, {x1}), ylim=({y0}, {y1}), xlabel="x")
ax.legend()
ax.grid(alpha=0.3)
'''

GATED_TEMPLATE = '''r"""
{title}
{underline}

{summary} The input's last axis holds the value half :math:`a` and the gate half
:math:`b`; the output has half the size.

.. flaxact-formula:: {name}
   :derivative:

The API page :func:`flaxact.{name}` lists its properties.
"""

# %%
# The gate
# --------
# With the value fixed at :math:`a = 1`, the output is the gate's activation of
# :math:`b`; with :math:`a = b = x` it is what a gated block computes when both
# projections agree.
{extra_import}import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt

import flaxact

x = jnp.linspace({x0}, {x1}, 701)
gate_only = jnp.stack([jnp.ones_like(x), x], axis=-1)  # [a | b] along the last axis
same = jnp.stack([x, x], axis=-1)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, flaxact.{name}(gate_only)[:, 0], lw=2, label="a = 1, b = x")
ax.plot(x, flaxact.{name}(same)[:, 0], lw=2, label="a = b = x")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=({x0}, {x1}), ylim=({y0}, {y1}), xlabel="x", ylabel="{name}")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Its derivatives
# ---------------
# ``jax.grad`` of the output with respect to the whole input pair gives both partial
# derivatives: with respect to the value (the gate's activation) and to the gate.
grads = jax.vmap(jax.grad(lambda p: flaxact.{name}(p)[0]))(gate_only)
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.plot(x, grads[:, 0], lw=2, label="d / d a")
ax.plot(x, grads[:, 1], lw=2, label="d / d b")
ax.axhline(0, color="0.7", lw=0.8)
ax.set(xlim=({x0}, {x1}), ylim=({d0}, {d1}), xlabel="gate b (a = 1)")
ax.legend()
ax.grid(alpha=0.3)

# %%
# Over value and gate
# -------------------
# The value passes through linearly; the gate decides how much of it.
grid = jnp.linspace(-3.0, 3.0, 121)
va, gb = jnp.meshgrid(grid, grid)
out = flaxact.{name}(jnp.stack([va, gb], axis=-1))[..., 0]
fig, ax = plt.subplots(figsize=(4.6, 3.8), layout="constrained")
im = ax.imshow(out, extent=(-3, 3, -3, 3), origin="lower", cmap="RdBu_r", vmin=-3, vmax=3)
ax.set(xlabel="value a", ylabel="gate b", title="{name}([a | b])")
fig.colorbar(im, ax=ax)
'''

GATED_SWEEP = """
# %%
# Sweeping ``{param}``
# {dashes}
# Each curve uses one value of ``{param}`` (the default is ``{default!r}``), with the
# value fixed at :math:`a = 1`.
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
for value in {values!r}:
    f = functools.partial(flaxact.{name}, {param}=value)
    ax.plot(x, f(gate_only)[:, 0], label=f"{param}={{value}}")
    df = jax.vmap(jax.grad(lambda p, f=f: f(p)[0]))(gate_only)
    dax.plot(x, df[:, 1], label=f"{param}={{value}}")
ax.set(xlim=({x0}, {x1}), ylim=({y0}, {y1}), xlabel="gate b", title="{name}")
dax.set(xlim=({x0}, {x1}), ylim=({d0}, {d1}), xlabel="gate b", title="d / d b")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend()
"""

SWEEP = """
# %%
# Sweeping ``{param}``
# {dashes}
# Each curve uses one value of ``{param}`` (the default is ``{default!r}``); the right
# panel shows the derivative for the same values.
fig, (ax, dax) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
for value in {values!r}:
    f = functools.partial(flaxact.{name}, {param}=value)
    ax.plot(x, f(x), label=f"{param}={{value}}")
    dax.plot(x, jax.vmap(jax.grad(f))(x), label=f"{param}={{value}}")
ax.set(xlim=({x0}, {x1}), ylim=({y0}, {y1}), xlabel="x", title="{name}")
dax.set(xlim=({x0}, {x1}), ylim=({d0}, {d1}), xlabel="x", title="derivative")
for a in (ax, dax):
    a.grid(alpha=0.3)
ax.legend()
"""


def _summary(rec) -> str:
    doc = (rec.fn.__doc__ or rec.name).strip().splitlines()[0].strip()
    return doc if doc.endswith(".") else doc + "."


def write(name: str) -> Path | None:
    rec = flaxact.get(name)
    (x0, x1), (y0, y1), (d0, d1) = AXES[rec.family]
    fmt = dict(x0=x0, x1=x1, y0=y0, y1=y1, d0=d0, d1=d1, family=rec.family)
    path = ROOT / "gallery" / rec.family / f"plot_{name}.py"
    if path.exists():
        return None
    if name != rec.name:
        text = ALIAS_TEMPLATE.format(alias=name, name=rec.name, underline="=" * len(name), **fmt)
    elif rec.family == "gated":
        text = GATED_TEMPLATE.format(
            name=name,
            title=name,
            underline="=" * len(name),
            summary=_summary(rec),
            extra_import="import functools\n\n" if rec.example_params else "",
            **fmt,
        )
        for param, values in dict(rec.example_params).items():
            title = f"Sweeping ``{param}``"
            text += GATED_SWEEP.format(
                name=name,
                param=param,
                values=tuple(values),
                default=rec.params.get(param),
                dashes="-" * len(title),
                **fmt,
            )
    elif not rec.elementwise:
        print(f"{name}: not element-wise, write its script by hand", file=sys.stderr)
        return None
    else:
        text = TEMPLATE.format(
            name=name,
            title=name,
            underline="=" * len(name),
            summary=_summary(rec),
            extra_import="import functools\n\n" if rec.example_params else "",
            **fmt,
        )
        for param, values in dict(rec.example_params).items():
            title = f"Sweeping ``{param}``"
            text += SWEEP.format(
                name=name,
                param=param,
                values=tuple(values),
                default=rec.params.get(param),
                dashes="-" * len(title),
                **fmt,
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def main(argv: list[str]) -> int:
    wanted = argv or flaxact.names(aliases=True)
    for name in wanted:
        out = write(name)
        if out:
            print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
