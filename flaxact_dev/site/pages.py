"""The registry's pages (API index, properties, cross-framework table) and the formatting
of registry values, as text (no Sphinx needed to import this).

Used by ``docs/_ext/flaxact_docs.py`` at build time and by ``tests/site/test_docs_completeness.py`` to check
that every public name has its page. Nothing here holds a list of activation names.
"""

from __future__ import annotations

import inspect
import math
import re
from typing import Any

from flaxact_dev.site import prose
from flaxact_dev.site.render import render

FAMILY_TITLES = {
    "rectifier": "Rectifiers and piecewise-linear functions",
    "exponential": "Exponential units",
    "sigmoidal": "Sigmoids and their logarithms",
    "smooth": "Smooth self-gated functions",
    "normalizing": "Normalising functions of a whole axis",
    "gated": "Gated linear units",
}
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


# --------------------------------------------------------------------------- formatting
def fmt_num(v: float) -> str:
    if math.isinf(v):
        return r"+\infty" if v > 0 else r"-\infty"
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6g}"


def fmt_bound(value: Any) -> str:
    """A ULP bound, or per-setting bounds (``{"": 4, "approximate=False": 33}``)."""
    if isinstance(value, dict):
        return "; ".join(f"{k or 'default'}: {fmt_num(v)}" for k, v in value.items())
    return fmt_num(value)


def value(v: Any) -> str:
    """A parameter default as text: a function by its name (its repr holds an address that
    changes every build, which would make every rebuild re-read the page)."""
    if callable(v) and hasattr(v, "__name__"):
        return v.__name__
    return repr(v)


def _interval(rec: Any, fmt: Any) -> str:
    """The output range, open at an infinite end: ``[-1, +∞)``. Asymptotic bounds
    (sigmoid's 0 and 1) are not attained; the record gives the infimum and supremum."""
    lo, hi = rec.output_range
    return f"{'(' if math.isinf(lo) else '['}{fmt(lo)}, {fmt(hi)}{')' if math.isinf(hi) else ']'}"


def range_math(rec: Any) -> str:
    return f":math:`{_interval(rec, fmt_num)}`"


def yes_no(v: bool | None) -> str:
    return "n/a" if v is None else ("yes" if v else "no")


def smoothness(rec: Any) -> str:
    """The smoothness class with its order as a superscript (C¹, C^∞), or "discontinuous"."""
    order = rec.smoothness.removeprefix("C").replace("inf", "∞")
    return rec.smoothness if order == rec.smoothness else rf"C\ :sup:`{order}`"


def _fmt_value(v: float) -> str:
    """A computed value as plain text (sortable on the page): -∞, 0.5, 0.6931."""
    if math.isinf(v):
        return "+∞" if v > 0 else "-∞"
    return "n/a" if math.isnan(v) else f"{v + 0.0:.4g}"


def _public_objects() -> dict[str, list[tuple[str, Any]]]:
    """Sort ``flaxact.__all__`` into the API index's sections."""
    import importlib.util

    import flax.linen
    import flax.nnx

    import flaxact

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
    if "nnx" not in public and importlib.util.find_spec("flaxact.nnx"):
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
            if issubclass(obj, flax.linen.Module):
                out["linen"].append((name, obj))
            elif issubclass(obj, flax.nnx.Module):
                out["nnx"].append((name, obj))
            else:
                out["registry_cls"].append((name, obj))
        elif callable(obj):
            out["registry_fn"].append((name, obj))
        else:
            out["other"].append((name, obj))
    return out


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
        shown = ", ".join(f"{k}={value(v)}" for k, v in theirs.items())
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


def text(s: str) -> str:
    """Registry prose into a table cell: code-like words as literals, ``*`` escaped."""
    s = s.replace("*", r"\*").replace("|", r"\|")
    return re.sub(r"\b((?:torch|keras|jax)\.[\w.]+(?:\([^)]*\))?)", r"``\1``", s)


def range_text(rec: Any) -> str:
    """The output range as plain text, which a table can sort and filter: [-1, +∞)."""
    return _interval(rec, _fmt_value)


def _at_zero(recs: list[Any]) -> dict[str, tuple[str, str]]:
    """f(0) and f'(0) of the element-wise functions, computed in float64 in one compiled
    program; at a kink, f' from the left and from the right as the record gives them."""
    import jax
    import jax.numpy as jnp

    recs = [r for r in recs if r.elementwise]
    both = jax.jit(lambda x: [(r.example_fn(x), jax.grad(r.example_fn)(x)) for r in recs])
    with jax.enable_x64(True):
        values = both(jnp.float64(0.0))
    out = {}
    for r, (f0, d0) in zip(recs, values, strict=True):
        kink = [k.one_sided for k in r.kinks if k.x == 0]
        d = " / ".join(map(_fmt_value, kink[0])) + " (kink)" if kink else _fmt_value(float(d0))
        out[r.name] = (_fmt_value(float(f0)), d)
    return out


def _learned_by() -> dict[str, str]:
    """Activation name -> the Flax modules that learn its parameters (the linen modules
    with a numeric ``<parameter>_init`` field), under the first function their See Also
    names (PReLU: leaky_relu)."""
    out = {}
    for name, cls in _public_objects()["linen"]:
        fields = getattr(cls, "__dataclass_fields__", {})
        learned = [
            f.removesuffix("_init")
            for f, v in fields.items()
            if f.endswith("_init") and isinstance(v.default, float)
        ]
        fn = re.search(r"See Also\n-+\n(?:.*\n)*?flaxact\.(\w+) :", inspect.getdoc(cls) or "")
        if learned and fn:
            params = ", ".join(f"``{p}``" for p in learned)
            out[fn[1]] = f":class:`{name}`, :class:`nnx.{name}`: {params}"
    return out


# --------------------------------------------------------------------------- pages
def api_index() -> str:
    import flaxact

    recs, objs = flaxact.records(), _public_objects()
    families = [
        (title, [r.name for r in recs if r.family == fam]) for fam, title in FAMILY_TITLES.items()
    ]
    return render(
        "api.rst.jinja",
        families=[(t, m) for t, m in families if m],
        aliases=sorted(a for r in recs for a in r.aliases),
        **{k: [n for n, _ in v] for k, v in objs.items() if k != "other"},
    )


def properties_page() -> str:
    import flaxact

    recs, learned = flaxact.records(), _learned_by()
    at_zero = _at_zero(recs)
    rows = [
        [
            f":func:`{r.name} <{r.name}>`",
            r.family,
            range_text(r),
            *at_zero.get(r.name, ("n/a", "n/a")),
            yes_no(r.monotonic),
            yes_no(r.derivative_monotonic),
            yes_no(r.identity_near_origin),
            smoothness(r),
            yes_no(r.zero_centered),
            r.bounded,
            learned.get(r.name, "—"),
        ]
        for r in recs
    ]
    uses = [
        [
            f":func:`{r.name} <{r.name}>`",
            text(", ".join(prose.of(r.name).used_in)) or "—",
            text(prose.of(r.name).pitfall),
        ]
        for r in recs
    ]
    return render("properties.rst.jinja", rows=rows, uses=uses)


def frameworks_page() -> str:
    import flaxact

    functions = []
    for r in flaxact.records():
        params = ", ".join(f"{k}={value(v)}" for k, v in r.params.items())
        jtext, jgrads = _jax_nn_facts(r)
        kinks = []
        for k, theirs in zip(r.kinks, [*jgrads, *[None] * len(r.kinks)], strict=False):
            kinks.append(
                f"at {fmt_num(k.x)}: {fmt_num(k.grad)}"
                + (f" / {fmt_num(theirs)}" if theirs is not None else "")
            )
        fw = dict(prose.of(r.name).frameworks)
        others = sorted((k, v) for k, v in fw.items() if k not in ("PyTorch", "Keras", "jax.nn"))
        functions.append(
            [
                f":func:`{r.name}`" + (f" ``({params})``" if params else ""),
                "; ".join(kinks) or "none",
                jtext + (". " + text(fw["jax.nn"]) if "jax.nn" in fw else ""),
                text(fw.get("PyTorch", "n/a")),
                text(fw.get("Keras", "n/a")),
                "; ".join(f"{k}: {text(v)}" for k, v in others) or "—",
            ]
        )
    modules = []
    for name, cls in _public_objects()["linen"]:
        if name not in MODULE_FRAMEWORKS:
            continue
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
        modules.append(
            [
                f":class:`{name}` ``({defaults})``",
                f"``{fw['jax.nn / Flax']}``",
                f"``{fw['PyTorch']}``",
                f"``{fw['Keras']}``",
            ]
        )
    return render("frameworks.rst.jinja", functions=functions, modules=modules)


def framework_names(framework: str) -> list[list[str]]:
    """The Migrating guide's table of ``framework``'s names (MyST Markdown cells): each
    name, and the flaxact call ``flaxact.get(name, framework=framework)`` resolves it to,
    with the arguments it binds, or why flaxact has none."""
    import flaxact
    from flaxact import _frameworks

    rows = []
    for name in sorted(_frameworks.FRAMEWORKS[framework], key=str.lower):
        try:
            rec = flaxact.get(name, framework=framework)
        except ValueError:
            rows.append([f"`{name}`", "none: it " + _frameworks.FRAMEWORKS[framework][name]])
            continue
        bound = ", ".join(f"{k}={v!r}" for k, v in rec.bound.items())
        rows.append(
            [f"`{name}`", f"{{func}}`flaxact.{rec.name}`" + (f" with `{bound}`" if bound else "")]
        )
    return rows
