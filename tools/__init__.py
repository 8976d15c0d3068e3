"""The repository's scripts, other than the README's ``dev.py``, the ``noxfile.py`` and the
benchmarks (``benchmarks/``, beside their results): each runs as ``python tools/<name>.py``
and is a module the noxfile and the tests import.

- ``fit_gelu_erf``: fits the polynomials of GELU's erf form (the tests check the
  committed constants are what it gives);
- ``check_package``: checks the sdist and wheel, and the installed wheel (``nox -s package``);
- ``doctests_gpu``: every docstring example on a CUDA GPU (``nox -s doctests_gpu``);
- ``measure_build``: the site's cold and no-change build times;
- ``make_inventories``: the offline intersphinx inventories of ``docs/_inventories``.
"""
