"""The site generator: the pages that come from flaxact's registry and from the committed
benchmark results, as text, importable without Sphinx.

- :mod:`~flaxact_dev.site.render`: the Jinja templates of ``docs/_templates/flaxact`` and
  writing a file only when its text changes;
- :mod:`~flaxact_dev.site.pages`: the API index, the properties and frameworks pages, and
  the formatting of registry values;
- :mod:`~flaxact_dev.site.results`: the Accuracy and Performance pages and the accuracy
  block of each API page, from ``benchmarks/results``;
- :mod:`~flaxact_dev.site.gallery`: one Sphinx-Gallery script per activation, from its
  record.

``docs/_ext/flaxact_docs.py`` is the Sphinx side: it calls these at build time and adds
the directives and roles the pages use. The site tests call them directly.
"""
