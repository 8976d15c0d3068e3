"""The benchmarks of flaxact against jax.nn: ``accuracy``, ``exhaustive``, ``cost`` and
``speed``. Each is a script (``python benchmarks/speed.py --help``) whose functions the
tests import (``from benchmarks import speed``); results go to ``benchmarks/results``."""
