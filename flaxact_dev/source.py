"""A digest of the library code the benchmarks measure, so a page can tell stale results.

The digest covers the code of ``flaxact/*.py`` other than the registry, the wrappers of
:mod:`flaxact.precise` and the Flax modules (which no benchmark measures), parsed, without
docstrings and without the ``@activation(...)`` records (formulas, notes: documentation):
editing text, comments or a record leaves it unchanged; changing a kernel changes it.
Imports nothing but the standard library, so the documentation build can compute it for
the checkout it renders.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

# flaxact/ beside this package (flaxact_dev/), both at the repository root
ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "flaxact"
#: What the site's executed pages (guides, gallery examples) read besides their own code:
#: the library, this development package and the committed benchmark results.
EXECUTED_INPUTS = ("flaxact/**/*.py", "flaxact_dev/**/*.py", "benchmarks/results/*.json")
# The registry is documentation, and so are the other frameworks' names it resolves
# (_frameworks.py); flaxact/precise.py re-exports the accurate forms from the family files;
# the Flax modules (linen.py, nnx.py and their shared checks in _modules.py) call the
# functions but are not timed or swept themselves
NOT_CODE = {"_registry.py", "_frameworks.py", "precise.py", "linen.py", "nnx.py", "_modules.py"}


def _is_registration(decorator: ast.expr) -> bool:
    """``@activation(...)``: the registry record (formula, notes, ...), not code."""
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(func, ast.Name) and func.id == "activation") or (
        isinstance(func, ast.Attribute) and func.attr == "activation"
    )


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            node.decorator_list = [d for d in node.decorator_list if not _is_registration(d)]
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return tree


def digest(package: Path = PACKAGE) -> str:
    """16 hex digits over the package's code (file names and docstring-free syntax trees,
    written back as source: the same on every supported Python)."""
    h = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        if path.name in NOT_CODE:
            continue
        tree = _without_docstrings(ast.parse(path.read_text(encoding="utf8")))
        # unparsed, not ast.dump: the dump lists fields that differ between Python versions
        h.update(path.name.encode() + b"\0" + ast.unparse(tree).encode() + b"\0")
    return h.hexdigest()[:16]


def executed_inputs(root: Path = ROOT) -> str:
    """16 hex digits over the full text of :data:`EXECUTED_INPUTS` (docstrings too): the
    documentation build keys its caches of executed output on it, since myst-nb's and
    Sphinx-Gallery's own keys are the page's code alone."""
    h = hashlib.sha256()
    for pattern in EXECUTED_INPUTS:
        for path in sorted(root.glob(pattern)):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]
