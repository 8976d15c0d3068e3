"""Development code shared by the tests, the benchmarks and the documentation build.

- :mod:`flaxact_dev.oracle`: the float64 reference of every element-wise activation
  (checked against mpmath by ``tests/library/test_oracle.py``);
- :mod:`flaxact_dev.testing`, :mod:`flaxact_dev.flax_testing`, :mod:`flaxact_dev.cost`:
  the grids, ULP errors, cases, baselines and cost counts the tests assert with;
- :mod:`flaxact_dev.bench`, :mod:`flaxact_dev.source`: the benchmarks' plumbing and the
  digest of the measured library code;
- :mod:`flaxact_dev.report`, :mod:`flaxact_dev.docs_testing`: the judgements over the
  committed benchmark results, and what the documentation tests share.

Not part of the ``flaxact`` wheel: it is importable only in development environments,
which install the project editable (``pip install -e .``), putting the repository root on
the import path (``dev-mode-dirs`` in ``pyproject.toml``). Importing the package imports
nothing else (no JAX); each module imports what it needs.
"""
