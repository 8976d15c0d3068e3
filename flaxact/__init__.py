"""flaxact: activation functions for JAX and Flax, drop-in for ``jax.nn`` and accurate to the last bits.

Every function of ``jax.nn``'s activation set under the same name and signature, the
gated and parametrised extras (``swish`` with β, GELU's three forms, ``swiglu``,
``geglu``, ``reglu``, ``clamped_swiglu``), the activations of current models and of
PyTorch and Keras that jax.nn lacks (``squared_relu``, ``xielu``, ``snake``, the
shrinkage functions, ``threshold``, ``softmin``, ``sparsemax``), and PReLU / LeakyReLU /
xIELU / Snake / gated feed-forward modules for Flax linen (here and in
:mod:`flaxact.linen`) and Flax NNX (:mod:`flaxact.nnx`).

The registry (:func:`get`, :func:`names`) holds one record per activation: formula,
derivative, range, properties, kinks and the gradient chosen there, and the paper.
Every function costs no more than jax.nn's; where that budget allows only jax.nn's own
formula, :mod:`flaxact.precise` has the accurate form.
"""

from __future__ import annotations

from ._rectifiers import hard_shrink as hard_shrink
from ._rectifiers import hard_sigmoid as hard_sigmoid
from ._rectifiers import hard_silu as hard_silu
from ._rectifiers import hard_swish as hard_swish
from ._rectifiers import hard_tanh as hard_tanh
from ._rectifiers import identity as identity
from ._rectifiers import leaky_relu as leaky_relu
from ._rectifiers import relu as relu
from ._rectifiers import relu6 as relu6
from ._rectifiers import soft_shrink as soft_shrink
from ._rectifiers import sparse_sigmoid as sparse_sigmoid
from ._rectifiers import squared_relu as squared_relu
from ._rectifiers import threshold as threshold
from ._registry import Activation as Activation
from ._registry import Kink as Kink
from ._registry import get as get
from ._registry import names as names
from ._registry import records as records

# --- exponential / sigmoidal / smooth families ---
# isort: split
from ._exponential import celu as celu
from ._exponential import elu as elu
from ._exponential import selu as selu
from ._exponential import xielu as xielu
from ._sigmoidal import log_sigmoid as log_sigmoid
from ._sigmoidal import sigmoid as sigmoid
from ._sigmoidal import soft_sign as soft_sign
from ._sigmoidal import tanh as tanh
from ._sigmoidal import tanh_shrink as tanh_shrink
from ._smooth import gelu as gelu
from ._smooth import log1mexp as log1mexp
from ._smooth import mish as mish
from ._smooth import silu as silu
from ._smooth import snake as snake
from ._smooth import softplus as softplus
from ._smooth import sparse_plus as sparse_plus
from ._smooth import squareplus as squareplus
from ._smooth import swish as swish

# --- normalizing / gated families ---
# isort: split
from ._gated import clamped_swiglu as clamped_swiglu
from ._gated import geglu as geglu
from ._gated import glu as glu
from ._gated import reglu as reglu
from ._gated import swiglu as swiglu
from ._normalizing import log_softmax as log_softmax
from ._normalizing import logmeanexp as logmeanexp
from ._normalizing import logsumexp as logsumexp
from ._normalizing import one_hot as one_hot
from ._normalizing import softmax as softmax
from ._normalizing import softmin as softmin
from ._normalizing import sparsemax as sparsemax
from ._normalizing import standardize as standardize

# --- Flax modules ---
# isort: split
from . import linen as linen
from . import precise as precise
from .linen import XIELU as XIELU
from .linen import GatedFeedForward as GatedFeedForward
from .linen import LeakyReLU as LeakyReLU
from .linen import PReLU as PReLU
from .linen import Snake as Snake


def __getattr__(name: str) -> object:
    # flaxact.nnx is loaded on first use: importing flax.nnx costs about a second.
    if name == "nnx":
        import importlib

        return importlib.import_module(".nnx", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = sorted(name for name in dir() if not name.startswith("_") and name not in {"annotations"})
