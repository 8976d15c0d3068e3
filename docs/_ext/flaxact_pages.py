"""The registry-generated pages of the site, as text (no Sphinx needed to import this).

Used by ``flaxact_docs.py`` at build time and by ``tests/test_docs_completeness.py`` to check that
every public name has its page. Nothing here holds a list of activation names.
"""

from __future__ import annotations

import inspect
import math
import re
from pathlib import Path
from typing import Any

FAMILY_TITLES = {
    "rectifier": "Rectifiers and piecewise-linear functions",
    "exponential": "Exponential units",
    "sigmoidal": "Sigmoids and their logarithms",
    "smooth": "Smooth self-gated functions",
    "normalizing": "Normalising functions of a whole axis",
    "gated": "Gated linear units",
}
# The curves of the landing page's figure, drawn when the registry has them.
OVERVIEW = ("relu", "leaky_relu", "elu", "gelu", "silu", "softplus", "sigmoid", "tanh")

# Flax modules are not registry records; how the other frameworks spell them.
MODULE_FRAMEWORKS = {
    "PReLU": {
        "PyTorch": "torch.nn.PReLU(num_parameters=1, init=0.25)",
        "Keras": "keras.layers.PReLU(alpha_initializer='Zeros')",
        "jax.nn / Flax": "flax.linen.PReLU(negative_slope_init=0.01)",
    },
    "LeakyReLU": {
        "PyTorch": "torch.nn.LeakyReLU(negative_slope=0.01)",
        "Keras": "keras.layers.LeakyReLU(negative_slope=0.3)",
        "jax.nn / Flax": "no module; jax.nn.leaky_relu(negative_slope=0.01)",
    },
    "XIELU": {
        "PyTorch": "no built-in; transformers.activations.XIELUActivation(alpha_p_init=0.8, "
        "alpha_n_init=0.8, beta=0.5, eps=-1e-6)",
        "Keras": "no built-in",
        "jax.nn / Flax": "no module, no function",
    },
    "Snake": {
        "PyTorch": "no built-in; BigVGAN activations.Snake(in_features, alpha=1.0) and DAC "
        "Snake1d(channels): one alpha per channel on dim 1",
        "Keras": "no built-in",
        "jax.nn / Flax": "no module, no function",
    },
}


# --------------------------------------------------------------------------- helpers
def _write_if_changed(path: Path, text: str | bytes) -> bool:
    data = text.encode() if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _fmt_num(v: float) -> str:
    if math.isinf(v):
        return r"+\infty" if v > 0 else r"-\infty"
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6g}"


def _fmt_ulp(value: Any) -> str:
    """A ULP bound, or per-setting bounds (``{"": 4, "approximate=False": 33}``)."""
    if isinstance(value, dict):
        return "; ".join(f"{k or 'default'}: {_fmt_num(v)}" for k, v in value.items())
    return _fmt_num(value)


def _value(v: Any) -> str:
    """A parameter default as text: a function by its name (its repr holds an address that
    changes every build, which would make every rebuild re-read the page)."""
    if callable(v) and hasattr(v, "__name__"):
        return v.__name__
    return repr(v)


def _range_math(rec: Any) -> str:
    lo, hi = rec.output_range
    left = "(" if math.isinf(lo) else "["
    right = ")" if math.isinf(hi) else "]"
    # Asymptotic bounds (sigmoid's 0 and 1) are not attained; the record gives the infimum
    # and supremum, so say "between" rather than claim closed intervals we do not know.
    return f":math:`{left}{_fmt_num(lo)}, {_fmt_num(hi)}{right}`"


def _yes_no(v: bool | None) -> str:
    return "n/a" if v is None else ("yes" if v else "no")


def _public_objects() -> dict[str, list[tuple[str, Any]]]:
    """Sort ``flaxact.__all__`` into the API index's sections."""
    import flaxact

    try:
        import flax.linen as linen_mod
        import flax.nnx as nnx_mod
    except ImportError:  # pragma: no cover - flax is a dependency
        linen_mod = nnx_mod = None

    record_names = set(flaxact.names(aliases=True))
    out: dict[str, list[tuple[str, Any]]] = {
        "linen": [],
        "nnx": [],
        "precise": [],
        "registry_fn": [],
        "registry_cls": [],
        "other": [],
    }
    public = list(flaxact.__all__)
    if "nnx" not in public and _has_module("flaxact.nnx"):
        public.append("nnx")  # loaded on first use, so not in __all__
    for name in public:
        obj = getattr(flaxact, name)
        if name in record_names or name == "__version__":
            continue
        if inspect.ismodule(obj):
            if name in ("nnx", "precise"):
                for sub in getattr(obj, "__all__", ()):
                    out[name].append((f"{name}.{sub}", getattr(obj, sub)))
            continue
        if inspect.isclass(obj):
            if linen_mod is not None and issubclass(obj, linen_mod.Module):
                out["linen"].append((name, obj))
            elif nnx_mod is not None and issubclass(obj, nnx_mod.Module):
                out["nnx"].append((name, obj))
            else:
                out["registry_cls"].append((name, obj))
        elif callable(obj):
            out["registry_fn"].append((name, obj))
        else:
            out["other"].append((name, obj))
    return out


def _has_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def _autosummary(entries: list[str], template: str) -> list[str]:
    if not entries:
        return []
    lines = [
        ".. autosummary::",
        "   :toctree: api",
        f"   :template: autosummary/{template}.rst",
        "   :nosignatures:",
        "",
    ]
    lines += [f"   {e}" for e in entries]
    return [*lines, ""]


# --------------------------------------------------------------------------- pages
def _api_index() -> str:
    import flaxact

    lines = [
        ".. This file is written by docs/_ext/flaxact_docs.py from the registry; do not edit.",
        "",
        "API reference",
        "=============",
        "",
        ".. py:module:: flaxact",
        "",
        ".. currentmodule:: flaxact",
        "",
        "Every activation in :func:`flaxact.records`, grouped by family. Each page gives the",
        "formula, the derivative, the parameters, examples, properties, the gradient chosen",
        "at each kink, the paper and the gallery examples that use it. See also the",
        ":doc:`properties table <properties>` and the",
        ":doc:`cross-framework table <frameworks>`.",
        "",
    ]
    recs = flaxact.records()
    for family, title in FAMILY_TITLES.items():
        members = [r.name for r in recs if r.family == family]
        if not members:
            continue
        lines += [title, "-" * len(title), ""]
        lines += _autosummary(members, "activation")
    aliases = sorted(a for r in recs for a in r.aliases)
    if aliases:
        lines += ["Aliases", "-------", ""]
        lines += ["Other names for the functions above; each page says which.", ""]
        lines += _autosummary(aliases, "activation")

    objs = _public_objects()
    if objs["linen"]:
        lines += ["Flax linen modules", "------------------", ""]
        if _has_module("flaxact.linen"):
            lines += [".. py:module:: flaxact.linen", "", ".. currentmodule:: flaxact", ""]
            lines += ["Also importable from :mod:`flaxact.linen`.", ""]
        lines += _autosummary([n for n, _ in objs["linen"]], "flax_module")
    if objs["nnx"]:
        lines += ["Flax NNX modules", "----------------", ""]
        if _has_module("flaxact.nnx"):
            lines += [".. py:module:: flaxact.nnx", "", ".. currentmodule:: flaxact", ""]
        lines += _autosummary([n for n, _ in objs["nnx"]], "flax_module")
    if objs["precise"]:
        lines += ["Accurate forms", "--------------", ""]
        lines += [".. py:module:: flaxact.precise", "", ".. currentmodule:: flaxact", ""]
        lines += [
            "Where a function's default is computed as jax.nn computes it (its cost is the",
            "budget), :mod:`flaxact.precise` has the accurate form under the same name and",
            "signature, at a higher cost: ``from flaxact import precise as act``.",
            "",
        ]
        lines += _autosummary([n for n, _ in objs["precise"]], "function")
    lines += ["The registry", "------------", ""]
    lines += _autosummary([n for n, _ in objs["registry_fn"]], "function")
    lines += _autosummary([n for n, _ in objs["registry_cls"]], "record_class")
    if objs["other"]:
        lines += _autosummary([n for n, _ in objs["other"]], "function")
    return "\n".join(lines) + "\n"


def _properties_page() -> str:
    import flaxact

    lines = [
        ".. This file is written by docs/_ext/flaxact_docs.py from the registry; do not edit.",
        "",
        "Properties of every activation",
        "==============================",
        "",
        ".. currentmodule:: flaxact",
        "",
        "Read from :func:`flaxact.records`; the test suite checks each property numerically.",
        "*Range* is the infimum and supremum of the output under default parameters;",
        "*kinks* lists the points where the function is not differentiable and the value",
        "``jax.grad`` returns there. Float32 error is the contracted bound in units in the",
        "last place, tested against a 50-digit oracle.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "   :class: flaxact-table",
        "",
        "   * - function",
        "     - family",
        "     - range",
        "     - monotonic",
        "     - smoothness",
        "     - zero-centred",
        "     - bounded",
        "     - kinks: gradient",
        "     - float32 ULP",
    ]
    for r in flaxact.records():
        kinks = ", ".join(f"{_fmt_num(k.x)}: {_fmt_num(k.grad)}" for k in r.kinks) or "none"
        ulp = _fmt_ulp(r.ulp_f32) if r.elementwise else "n/a"
        lines += [
            f"   * - :func:`{r.name}`",
            f"     - {r.family}",
            f"     - {_range_math(r)}",
            f"     - {_yes_no(r.monotonic)}",
            f"     - {r.smoothness}",
            f"     - {_yes_no(r.zero_centered)}",
            f"     - {r.bounded}",
            f"     - {kinks}",
            f"     - {ulp}",
        ]
    return "\n".join(lines) + "\n"


def _jax_nn_facts(rec: Any) -> tuple[str, list[float | None]]:
    """jax.nn's counterpart, whether its defaults equal ours, and its gradients at our kinks.

    Everything is read from the installed jax at build time: the defaults from the
    signature, the gradients by calling ``jax.grad`` at each kink.
    """
    import jax
    import jax.numpy as jnp

    if not rec.jax_nn or not hasattr(jax.nn, rec.jax_nn):
        return "no counterpart", []
    fn = getattr(jax.nn, rec.jax_nn)
    try:
        params = list(inspect.signature(fn).parameters.values())[1:]
        theirs = {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}
    except (TypeError, ValueError):
        theirs = {}
    ours = rec.params
    differ = {k: v for k, v in theirs.items() if k not in ours or ours[k] != v}
    missing = [k for k in ours if k not in theirs]
    if differ or missing:
        shown = ", ".join(f"{k}={_value(v)}" for k, v in theirs.items())
        text = f"``jax.nn.{rec.jax_nn}({shown})``"
        if missing:
            text += f"; no {', '.join(f'``{k}``' for k in missing)}"
    else:
        text = f"``jax.nn.{rec.jax_nn}``, same defaults"
    grads: list[float | None] = []
    if rec.elementwise and rec.kinks:
        # all kinks at once, one compiled program (eagerly, each operation compiles alone)
        at = jnp.array([k.x for k in rec.kinks], jnp.float32)
        try:
            grads = [float(g) for g in jax.jit(jax.vmap(jax.grad(fn)))(at)]
        except Exception:
            grads = [None] * len(rec.kinks)
    return text, grads


def _frameworks_page() -> str:
    import flaxact

    lines = [
        ".. This file is written by docs/_ext/flaxact_pages.py from the registry; do not edit.",
        "",
        "Defaults and conventions across frameworks",
        "==========================================",
        "",
        ".. currentmodule:: flaxact",
        "",
        "The same name does not always mean the same function. flaxact follows jax.nn:",
        "same names, parameters, defaults and gradients at kinks. The jax.nn column is read",
        "from the installed jax at build time (its defaults from the signature, its gradients",
        "by calling ``jax.grad`` at each kink); the PyTorch, Keras and other-library columns",
        "(TransformerEngine, vLLM, Hugging Face transformers, ...) come from the registry records. Watch in particular GELU's ``approximate`` default, the",
        "leaky slope, the hard sigmoid's form, PReLU's initial slope and the gradients of",
        "``hard_tanh`` and ``leaky_relu`` at their kinks.",
        "",
        "Functions",
        "---------",
        "",
        "*Gradient at kinks* lists, for each kink :math:`x_0`, the value ``jax.grad`` returns",
        "in flaxact and (after the slash) in jax.nn.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 18 14 17 17 17 17",
        "   :class: flaxact-table",
        "",
        "   * - flaxact",
        "     - gradient at kinks",
        "     - jax.nn",
        "     - PyTorch",
        "     - Keras",
        "     - other libraries",
    ]
    for r in flaxact.records():
        params = ", ".join(f"{k}={_value(v)}" for k, v in r.params.items())
        ours = f":func:`{r.name}`" + (f" ``({params})``" if params else "")
        jtext, jgrads = _jax_nn_facts(r)
        kinks = []
        for i, k in enumerate(r.kinks):
            theirs = jgrads[i] if i < len(jgrads) and jgrads[i] is not None else None
            cell = f"at {_fmt_num(k.x)}: {_fmt_num(k.grad)}"
            if theirs is not None:
                cell += f" / {_fmt_num(theirs)}"
            kinks.append(cell)
        fw = dict(r.frameworks)
        others = {k: v for k, v in fw.items() if k not in ("PyTorch", "Keras", "jax.nn")}
        if "jax.nn" in fw:
            jtext += ". " + _text(fw["jax.nn"])
        lines += [
            f"   * - {ours}",
            f"     - {'; '.join(kinks) or 'none'}",
            f"     - {jtext}",
            f"     - {_text(fw.get('PyTorch', 'n/a'))}",
            f"     - {_text(fw.get('Keras', 'n/a'))}",
            f"     - {'; '.join(f'{k}: {_text(v)}' for k, v in sorted(others.items())) or '—'}",
        ]
    objs = _public_objects()
    modules = [(n, o) for n, o in objs["linen"] if n in MODULE_FRAMEWORKS]
    if modules:
        lines += [
            "",
            "Modules",
            "-------",
            "",
            ".. list-table::",
            "   :header-rows: 1",
            "   :class: flaxact-table",
            "",
            "   * - flaxact",
            "     - Flax",
            "     - PyTorch",
            "     - Keras",
        ]
        for name, cls in modules:
            fields = getattr(cls, "__dataclass_fields__", {})
            defaults = ", ".join(
                f"{f}={fields[f].default!r}"
                for f in fields
                if f not in {"parent", "name"}
                and not isinstance(fields[f].default, type)
                and fields[f].default is not inspect.Parameter.empty
                and "MISSING" not in repr(fields[f].default)
            )
            fw = MODULE_FRAMEWORKS[name]
            lines += [
                f"   * - :class:`{name}` ``({defaults})``",
                f"     - ``{fw['jax.nn / Flax']}``",
                f"     - ``{fw['PyTorch']}``",
                f"     - ``{fw['Keras']}``",
            ]
    return "\n".join(lines) + "\n"


def _text(s: str) -> str:
    """Registry prose into a table cell: code-like words as literals, ``*`` escaped."""
    s = s.replace("*", r"\*").replace("|", r"\|")
    return re.sub(r"\b((?:torch|keras|jax)\.[\w.]+(?:\([^)]*\))?)", r"``\1``", s)


def _overview_png(path: Path) -> None:
    import flaxact

    sources = [Path(inspect.getsourcefile(r.fn) or "") for r in flaxact.records()]
    newest = max((p.stat().st_mtime for p in sources if p.is_file()), default=0.0)
    newest = max(newest, Path(__file__).stat().st_mtime)
    if path.exists() and path.stat().st_mtime >= newest:
        return
    import jax
    import jax.numpy as jnp
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = jnp.linspace(-4.0, 4.0, 401)
    known = set(flaxact.names())
    fig, ax = plt.subplots(figsize=(7.5, 4.0), layout="constrained")
    for name in OVERVIEW:
        if name in known:
            # one compiled program per curve (eagerly, every operation compiles alone)
            ax.plot(x, jax.jit(flaxact.get(name).fn)(x), label=name, lw=1.8)
    ax.axhline(0, color="0.6", lw=0.6)
    ax.axvline(0, color="0.6", lw=0.6)
    ax.set(xlim=(-4, 4), ylim=(-1.5, 4), xlabel="x", ylabel="f(x)")
    ax.legend(ncols=2, frameon=False)
    ax.set_title("The most used activations, as computed by flaxact")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
