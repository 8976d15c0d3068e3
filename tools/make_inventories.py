"""Write the offline intersphinx inventories of ``docs/_inventories``.

    python tools/make_inventories.py

Intersphinx downloads each project's ``objects.inv`` first; when that fails (no network)
it falls back to these small files (see ``intersphinx_mapping`` in ``docs/conf.py``).
They hold only the objects the site references; the URIs are those of the projects' own
inventories. When a build with ``-n`` reports a missing external reference, add the
object here and re-run this script.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import jax.nn
import sphobjinv as soi

HERE = Path(__file__).resolve().parents[1] / "docs" / "_inventories"

# project -> (version, [(domain:role, name, uri)]); a trailing "$" in a uri stands for the name.
OBJECTS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "python": (
        "3.14",
        [
            *[("py:class", n, "library/functions.html#$") for n in ("int", "float", "bool")],
            *[("py:class", n, "library/stdtypes.html#$") for n in ("str", "tuple", "list", "dict")],
            *[("py:data", n, "library/constants.html#$") for n in ("None", "True", "False")],
            *[
                ("py:exc", n, "library/exceptions.html#$")
                for n in ("KeyError", "ValueError", "TypeError")
            ],
            *[
                ("py:class", f"collections.abc.{n}", "library/collections.abc.html#$")
                for n in ("Mapping", "Callable")
            ],
            ("py:function", "functools.partial", "library/functools.html#$"),
            ("py:function", "dataclasses.dataclass", "library/dataclasses.html#$"),
            ("std:term", "callable", "glossary.html#term-callable"),
        ],
    ),
    "numpy": (
        "2.3",
        [
            ("py:class", "numpy.dtype", "reference/generated/numpy.dtype.html#$"),
            ("py:class", "numpy.ndarray", "reference/generated/numpy.ndarray.html#$"),
            ("py:function", "numpy.round", "reference/generated/numpy.round.html#$"),
            ("std:term", "array_like", "glossary.html#term-array_like"),
        ],
    ),
    "jax": (
        "0.10",
        [
            ("py:class", "jax.Array", "_autosummary/jax.Array.html#$"),
            *[
                ("py:function", f"jax.{n}", "_autosummary/$.html#$")
                for n in ("grad", "vmap", "jit", "jvp")
            ],
            ("py:class", "jax.custom_jvp", "_autosummary/jax.custom_jvp.html#$"),
            *[
                ("py:class", f"jax.sharding.{n}", "jax.sharding.html#$")
                for n in ("NamedSharding", "Mesh", "PartitionSpec")
            ],
            ("py:function", "jax.device_put", "_autosummary/jax.device_put.html#$"),
            ("py:function", "jax.nn.initializers.lecun_normal", "_autosummary/$.html#$"),
            ("py:module", "jax.nn", "jax.nn.html#module-$"),
            *[
                ("py:function", f"jax.nn.{n}", f"_autosummary/jax.nn.{n}.html#$")
                for n in sorted(dir(jax.nn))
                if not n.startswith("_")
                and callable(getattr(jax.nn, n))
                and not inspect.isclass(getattr(jax.nn, n))
            ],
            ("py:function", "jax.numpy.tanh", "_autosummary/jax.numpy.tanh.html#$"),
        ],
    ),
    "flax": (
        "0.12",
        [
            ("py:class", "flax.linen.Module", "api_reference/flax.linen/module.html#$"),
            (
                "py:class",
                "flax.linen.PReLU",
                "api_reference/flax.linen/activation_functions.html#$",
            ),
            ("py:class", "flax.linen.Dense", "api_reference/flax.linen/layers.html#$"),
            ("py:class", "flax.nnx.Module", "api_reference/flax.nnx/module.html#$"),
            ("py:class", "flax.nnx.PReLU", "api_reference/flax.nnx/nn/activations.html#$"),
            ("py:class", "flax.nnx.BatchNorm", "api_reference/flax.nnx/nn/normalization.html#$"),
            ("py:class", "flax.nnx.Param", "api_reference/flax.nnx/variables.html#$"),
            ("py:class", "flax.nnx.Rngs", "api_reference/flax.nnx/rnglib.html#$"),
            ("py:class", "flax.nnx.Linear", "api_reference/flax.nnx/nn/linear.html#$"),
        ],
    ),
    "matplotlib": (
        "3.11",
        [
            ("py:function", "matplotlib.pyplot.subplots", "api/_as_gen/$.html#$"),
            ("py:function", "matplotlib.pyplot.plot", "api/_as_gen/$.html#$"),
        ],
    ),
}


def build(project: str, version: str, entries: list[tuple[str, str, str]]) -> bytes:
    inv = soi.Inventory()
    inv.project = project
    inv.version = version
    for kind, name, uri in entries:
        domain, role = kind.split(":")
        inv.objects.append(
            soi.DataObjStr(
                name=name,
                domain=domain,
                role=role,
                priority="1",
                uri=uri.replace("$.html", f"{name}.html"),
                dispname="-",
            )
        )
    return soi.compress(inv.data_file(contract=True))


def main() -> None:
    for project, (version, entries) in OBJECTS.items():
        path = HERE / f"{project}.inv"
        data = build(project, version, entries)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {path.name}: {len(entries)} objects")


if __name__ == "__main__":
    main()
