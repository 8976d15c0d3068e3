"""The accurate forms of the activations whose defaults are computed as jax.nn computes them.

flaxact's defaults cost no more than jax.nn's functions (time, program size, memory).
For a few activations that budget allows only jax.nn's own formula: XLA's ``tanh`` and
``logistic`` are the cheapest forms on the CPU but lose a few ULP, their gradients
(:math:`1 - \\tanh^2`, :math:`s (1 - s)`) lose their relative accuracy in the tails,
and ``x * sigmoid(x)`` is flushed to zero where ``sigmoid(x)`` is subnormal. The
functions here keep every digit instead, at a higher cost: values within the bound each
docstring states (about 2 ULP in float32), gradients accurate to 1e-6 relative wherever
the derivative is a normal number (infinite inputs included), bfloat16 and float16 within
1 ULP. Names and signatures are those of :mod:`flaxact`, so a model switches with its
import::

    from flaxact import precise as act

The test suite holds these to the same oracle as the defaults; the :ref:`performance`
page measures what the defaults cost. Each is defined beside its kernels, in the module of
its default.
"""

from __future__ import annotations

from ._normalizing import precise_log_softmax as log_softmax
from ._normalizing import precise_softmax as softmax
from ._sigmoidal import precise_sigmoid as sigmoid
from ._sigmoidal import precise_tanh as tanh
from ._sigmoidal import precise_tanh_shrink as tanh_shrink
from ._smooth import precise_gelu as gelu
from ._smooth import precise_mish as mish
from ._smooth import precise_silu as silu
from ._smooth import precise_squareplus as squareplus
from ._smooth import precise_swish as swish

__all__ = [
    "gelu",
    "log_softmax",
    "mish",
    "sigmoid",
    "silu",
    "softmax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
]
