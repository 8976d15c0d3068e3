"""Sphinx configuration for the flaxact site.

Build: ``python3 dev.py docs`` (or ``nox -s docs``; ``nox -s docs -- --serve`` for live reload).
Everything here works offline: intersphinx falls back to the small inventories in
``_inventories/`` and MathJax is served from ``_static/mathjax`` unless the build runs
on Read the Docs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# JAX must be pinned to the CPU before anything imports it: autodoc, Sphinx-Gallery
# (in this process) and the notebook kernels (which inherit the environment).
os.environ["JAX_PLATFORMS"] = "cpu"
os.environ.setdefault("PYTHONHASHSEED", "0")

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))
if str(ROOT) not in sys.path:  # the package itself, also when it is not installed
    sys.path.insert(0, str(ROOT))
# ... and the same checkout for the notebook kernels, which are separate processes.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
)

import warnings

# Sphinx's parallel read and write fork this process (only with "fork": sphinx.util.parallel).
# By then the generated frameworks page has run jax here (jax.nn's gradients at each kink),
# and JAX warns at every fork that its threads do not survive one. The forked workers parse
# and write documents from the registry and the committed results and call no JAX.
warnings.filterwarnings("ignore", r"os\.fork\(\) was called", RuntimeWarning)

import flaxact
from flaxact_dev import docs_env
from flaxact_dev.source import executed_inputs

ON_RTD = os.environ.get("READTHEDOCS") == "True"

# -- Project ------------------------------------------------------------------------------
project = "flaxact"
author = "the flaxact authors"
copyright = "2026, the flaxact authors"
release = flaxact.__version__
version = release

# -- General ------------------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "sphinx_design",
    "flaxact_docs",  # _ext/flaxact_docs.py: registry-generated pages, tables, directives
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_inventories",
    "_data",
    # Markdown the extension generates for pages to include, not pages of their own
    "generated/_*.md",
    "Thumbs.db",
    ".DS_Store",
    # Sphinx-Gallery writes a notebook, a script and zips beside every example page;
    # myst-nb would otherwise claim the notebooks as sources.
    *[f"auto_gallery/**/*.{ext}" for ext in ("ipynb", "py", "zip", "json", "md5", "pickle")],
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
nitpicky = True
default_role = "py:obj"

# -- autodoc / autosummary / numpydoc -----------------------------------------------------
autosummary_imported_members = True
autodoc_typehints = "none"  # numpydoc's Parameters section carries the types
autodoc_default_options = {"member-order": "bysource"}

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = True
# Only the aliases below become links: words such as "default" or "optional" stay text.
numpydoc_xref_ignore = "all"
numpydoc_xref_aliases = {
    "array_like": ":term:`numpy:array_like`",
    "array-like": ":term:`numpy:array_like`",
    "jax.Array": "jax.Array",
    "Array": "jax.Array",
    "dtype": "numpy.dtype",
    "callable": ":term:`python:callable`",
    "Activation": "flaxact.Activation",
    "Kink": "flaxact.Kink",
    **{name: name for name in ("float", "int", "bool", "str", "tuple", "list", "dict", "None")},
    "mapping": ":class:`~collections.abc.Mapping`",
}
# Validation on: every check except those that contradict the project's docstring model
# (GL01: the summary starts on the line of the opening quotes).
numpydoc_validation_checks = {"all", "GL01", "ES01", "SA04", "RT02"}
numpydoc_validation_exclude = {
    r"\.__call__$",  # Flax modules: documented by the class docstring
    r"\.__init__$",
    r"\.setup$",
}

# -- intersphinx: local inventories; on Read the Docs the network first, then them --------
# A local build never tries the network (it is offline here and must not download).
_INV = DOCS / "_inventories"


def _inventory(name: str) -> tuple[str | None, ...]:
    local = str(_INV / f"{name}.inv")
    return (None, local) if ON_RTD else (local,)


intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", _inventory("python")),
    "numpy": ("https://numpy.org/doc/stable/", _inventory("numpy")),
    "jax": ("https://docs.jax.dev/en/latest/", _inventory("jax")),
    "flax": ("https://flax.readthedocs.io/en/latest/", _inventory("flax")),
    "matplotlib": ("https://matplotlib.org/stable/", _inventory("matplotlib")),
}
intersphinx_timeout = 5

# -- MathJax: vendored copy for local (offline) builds, the CDN on Read the Docs ---------
if not ON_RTD:
    mathjax_path = "mathjax/es5/tex-chtml.js"
mathjax3_config = {"tex": {"tags": "none"}}

# -- myst / myst-nb -----------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
# "cache": myst-nb executes a guide through jupyter-cache (kept in _build, so a cold build
# executes every notebook) and reuses it until the notebook's code changes. Its key is
# that code alone, and the guides print what the library computes and what the results
# say, with the jax installed: the cache lives in a folder named after the digest of those
# and of the environment's versions (flaxact_inputs), so that a change to any executes
# them again. flaxact_inputs is also a config value that rebuilds the environment when it
# changes, so every page is read again, and reruns the gallery's examples
# (_ext/flaxact_docs.py, rerun_stale_examples).
flaxact_inputs = docs_env.cache_key(executed_inputs(ROOT))
nb_execution_mode = "cache"
nb_execution_cache_path = str(DOCS / "_build" / "jupyter_cache" / flaxact_inputs)
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 120
nb_execution_excludepatterns = ["auto_gallery/**"]
nb_merge_streams = True

# -- Sphinx-Gallery -----------------------------------------------------------------------
sphinx_gallery_conf = {
    # gallery/ plus a page per activation generated from the registry, assembled here at
    # config-inited by _ext/flaxact_docs.py (see flaxact_dev/site/gallery.py)
    "examples_dirs": ["_build/gallery_src"],
    "gallery_dirs": ["auto_gallery"],
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"/_",
    "subsection_order": "flaxact_dev.site.gallery.subsection_key",  # families, then comparisons, demos
    "within_subsection_order": "FileNameSortKey",
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("flaxact",),
    # the examples of each gallery folder run in Sphinx's -j worker count of processes
    "parallel": True,
    "abort_on_example_error": False,  # run them all, then fail the build listing every failure
    "remove_config_comments": True,
    "download_all_examples": False,
    "write_computation_times": False,
    "min_reported_time": 10,
    # no "<matplotlib.legend.Legend object at 0x...>" under the last line of a block
    "ignore_repr_types": r"matplotlib\.",
    # Matplotlib's defaults, then the generated pages' fixed figure margins
    "reset_modules": ("matplotlib", "flaxact_dev.site.gallery.figure_margins"),
}

# -- HTML ---------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = f"flaxact {release}"
html_static_path = ["_static"]
html_css_files = ["flaxact.css", "flaxact-table.css"]
# Sortable, filterable tables (the Properties page): tablesort 5.7.1 from the npm registry,
# MIT, vendored in _static/vendor/tablesort/ (README.txt there says how).
html_js_files = [
    ("vendor/tablesort/tablesort.min.js", {"defer": "defer"}),
    ("flaxact-table.js", {"defer": "defer"}),
]
html_theme_options = {
    "repository_url": "https://github.com/flaxact/flaxact",
    "use_repository_button": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    # The sidebar lists the sections and expands the current one only: the whole tree in
    # every page would make writing the HTML much slower.
    "collapse_navbar": True,
}
html_show_sourcelink = False
