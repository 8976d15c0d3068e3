"""Scripts that derive constants of the library (``python tools/fit_gelu_erf.py``); the
tests import them to check the committed constants are what the scripts give."""
