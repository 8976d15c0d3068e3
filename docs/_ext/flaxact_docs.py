"""Sphinx extension: the parts of the site that come from flaxact's registry.

Nothing here holds a list of activation names. At ``config-inited`` it writes

* ``generated/api.rst``: the API index, one autosummary entry per registry record, alias,
  Flax module and registry helper (autosummary then writes one page per entry);
* ``generated/properties.rst``: every activation with its properties;
* ``generated/frameworks.rst``: defaults and kink conventions across flaxact, jax.nn
  (read from jax.nn itself at build time), PyTorch and Keras;
* ``generated/overview.png``: the landing page's comparison figure;
* ``generated/accuracy.rst``, ``generated/performance.rst`` and their figures, rendered
  from the committed benchmark results by ``flaxact_results.py``.

and it provides the directives used by the templates and gallery scripts:
``flaxact-formula`` (a record's formula), ``flaxact-properties`` (the property block of
an API page, with its measured accuracy) and the ``flaxact-miss`` role (a figure that
misses the contract or a goal). Files are rewritten only when their content changes, so
a no-change rebuild re-reads nothing.
"""

from __future__ import annotations

import functools
import inspect
import re
from pathlib import Path
from typing import Any, ClassVar

import flaxact_results
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from flaxact_pages import (
    _api_index,
    _fmt_num,
    _fmt_ulp,
    _frameworks_page,
    _overview_png,
    _properties_page,
    _range_math,
    _text,
    _value,
    _write_if_changed,
    _yes_no,
)
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def generate(app: Sphinx, config: Any = None) -> None:
    # At config-inited: autosummary lists the sources to scan before builder-inited.
    out = Path(app.srcdir) / "generated"
    changed = [
        name
        for name, text in (
            ("api.rst", _api_index()),
            ("properties.rst", _properties_page()),
            ("frameworks.rst", _frameworks_page()),
        )
        if _write_if_changed(out / name, text)
    ]
    changed += flaxact_results.generate(out, _write_if_changed)
    if changed:
        logger.info("flaxact_docs: wrote %s", ", ".join(changed))
    _overview_png(out / "overview.png")


# --------------------------------------------------------------------------- directives
class _RegistryDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def record(self) -> Any:
        import flaxact

        name = self.arguments[0].rsplit(".", 1)[-1]
        rec = flaxact.get(name)
        src = inspect.getsourcefile(rec.fn)
        if src:
            self.env.note_dependency(src)
        self.env.note_dependency(__file__)
        return name, rec

    def parse(self, lines: list[str]) -> list[nodes.Node]:
        node = nodes.container()
        self.state.nested_parse(StringList(lines, source="flaxact registry"), 0, node)
        return node.children


class FormulaDirective(_RegistryDirective):
    """``.. flaxact-formula:: relu`` — the record's formula (and derivative with :derivative:)."""

    option_spec: ClassVar[dict[str, Any]] = {"derivative": directives.flag}

    def run(self) -> list[nodes.Node]:
        _, rec = self.record()
        lines = [".. math::", "", "   " + rec.formula, ""]
        if "derivative" in self.options and rec.derivative:
            lines += [".. math::", "", "   " + rec.derivative, ""]
        return self.parse(lines)


class PropertiesDirective(_RegistryDirective):
    """``.. flaxact-properties:: relu`` — the property block of an API page."""

    def run(self) -> list[nodes.Node]:
        name, rec = self.record()
        lines: list[str] = []
        if name != rec.name:
            lines += [
                f".. note:: ``{name}`` is another name for :func:`{rec.name}`:",
                f"   ``flaxact.{name} is flaxact.{rec.name}``.",
                "",
            ]
        if rec.derivative:
            lines += [".. rubric:: Derivative", "", ".. math::", "", "   " + rec.derivative, ""]
        lines += [".. rubric:: Properties", "", ".. list-table::", "   :class: flaxact-props", ""]

        def row(key: str, value: str) -> None:
            lines.extend([f"   * - {key}", f"     - {value}"])

        row("family", rec.family)
        row("output range (default parameters)", _range_math(rec))
        row("bounded", rec.bounded)
        row("monotonic", _yes_no(rec.monotonic))
        row("smoothness", rec.smoothness)
        row("zero-centred", _yes_no(rec.zero_centered))
        row("element-wise", _yes_no(rec.elementwise))
        if rec.params:
            row("parameters", ", ".join(f"``{k}={_value(v)}``" for k, v in rec.params.items()))
        if rec.elementwise:
            row("float32 error bound (ULP)", _fmt_ulp(rec.ulp_f32))
        row("drop-in for", f"``jax.nn.{rec.jax_nn}``" if rec.jax_nn else "no jax.nn counterpart")
        for fw, text in sorted(dict(rec.frameworks).items()):
            row(fw, _text(text))
        if rec.aliases:
            row("aliases", ", ".join(f":func:`{a}`" for a in rec.aliases))
        lines.append("")
        if rec.elementwise:
            for path in [*flaxact_results.result_files(), Path(flaxact_results.__file__)]:
                self.env.note_dependency(str(path))
            lines += flaxact_results.api_block(rec.name, _results())
        lines += [".. rubric:: Gradient at kinks", ""]
        if rec.kinks:
            for k in rec.kinks:
                left, right = k.one_sided
                lines.append(
                    f"* at :math:`x = {_fmt_num(k.x)}` the one-sided derivatives are "
                    f":math:`{_fmt_num(left)}` (left) and :math:`{_fmt_num(right)}` (right); "
                    f"``jax.grad`` returns :math:`{_fmt_num(k.grad)}`, as jax.nn does."
                )
        else:
            lines.append("None: differentiable everywhere.")
        lines.append("")
        if rec.reference:
            lines += [".. rubric:: Paper", "", _text(rec.reference), ""]
        return self.parse(lines)


class JsonTableDirective(SphinxDirective):
    """``.. flaxact-json-table:: _data/file.json`` — a measured record as a two-column table."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        import json

        path = Path(self.env.srcdir) / self.arguments[0]
        self.env.note_dependency(str(path))
        if not path.is_file():
            para = nodes.paragraph(text=f"Not measured yet ({self.arguments[0]} is missing).")
            return [para]
        data = json.loads(path.read_text())
        lines = [".. list-table::", "   :class: flaxact-props", ""]
        for key, value in data.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k}: {v}" for k, v in value.items())
            lines += [f"   * - {key.replace('_', ' ')}", f"     - {value}"]
        node = nodes.container()
        self.state.nested_parse(StringList(lines, source=str(path)), 0, node)
        return node.children


@functools.cache
def _results() -> dict[str, Any]:
    return flaxact_results.load_results()


def miss_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    """``:flaxact-miss:`3.31``` — a measured figure that misses the contract or a goal."""
    return [nodes.inline(rawtext, text, classes=["flaxact-miss"])], []


# --------------------------------------------------------------------------- signatures
_SENTINEL = re.compile(r",?\s*\b(parent|name)=[^,()]*(\([^()]*\))?[^,()]*")


def clean_signature(app, what, name, obj, options, signature, return_annotation):
    """Drop Flax's ``parent=<_Sentinel>`` and ``name=None`` from module signatures."""
    if signature and what == "class" and ("parent=" in signature or "name=" in signature):
        signature = _SENTINEL.sub("", signature)
        signature = signature.replace("(, ", "(")
    return signature, return_annotation


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", generate)
    app.connect("autodoc-process-signature", clean_signature)
    app.add_directive("flaxact-formula", FormulaDirective)
    app.add_directive("flaxact-properties", PropertiesDirective)
    app.add_directive("flaxact-json-table", JsonTableDirective)
    app.add_role("flaxact-miss", miss_role)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
