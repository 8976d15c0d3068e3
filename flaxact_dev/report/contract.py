"""The contract's limits and targets: numerics (ULP per float type), cost (run time,
compile time, program size, saved memory, accuracy against jax.nn) and the run-time
goals. Every judgement of the results reads its numbers here.
"""

from __future__ import annotations

#: The numerics contract: float32 and half-type ULP, measured where input
#: and output are normal numbers of the type.
CONTRACT_ULP = {"float32": 2.0, "bfloat16": 1.0, "float16": 1.0}


DTYPES = ("float32", "bfloat16", "float16")


#: Smallest normal float32. JAX on the CPU flushes float32 subnormals (and bfloat16 ones,
#: computed in float32) to zero; float16 subnormals are normal float32 numbers.
F32_TINY = 2.0**-126


#: Gradient relative errors above this are listed (the contract itself is "finite").
GRAD_NOTE = 1e-3


#: Run-time targets relative to the memory-bound reference op, by activation name.
#: The piecewise-linear ones (limit 1.1) are found numerically, see ``piecewise_linear``.
REFERENCE_GOALS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("elu", "celu", "selu"), 2.0),
    (("softplus", "log_sigmoid"), 3.0),
    (("mish",), 4.0),
)


PIECEWISE_LINEAR_GOAL = 1.1


#: A ratio to the reference below this says more about timing noise than about speed.
NOISE_FLOOR = 0.8


#: Run-time target against the baseline (jax.nn, or the jnp code a user would write):
#: stricter than the contract's run-time limits (``CONTRACT``).
JAX_NN_GOAL = 1.0


#: The cost contract, as limits on flaxact / baseline: run time (forward,
#: and forward + backward), trace + compile time of a deep model, optimized HLO
#: instructions, bytes saved for the backward pass, and the largest float32 error in ULP
#: (against jax.nn's, or half an ULP where jax.nn's is smaller: correct rounding).
CONTRACT = {
    "forward": 1.10,
    "forward_backward": 1.10,
    "compile": 1.5,
    "program": 2.0,
    "saved": 1.0,
    "ulp": 1.0,
}


IMPL_LABELS = {"flaxact": "flaxact", "jax.nn": "jax.nn", "torch": "PyTorch"}


MODES = (("forward", "Forward"), ("forward_backward", "Forward + backward"))


#: Arrays read and written by the reference op of each mode (``2*x``; ``(2*x, 3*x)``).
REFERENCE_ARRAYS = {"forward": 2, "forward_backward": 3}
