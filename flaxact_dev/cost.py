"""Program size and saved memory of a function: what ``benchmarks/cost.py`` reports and
``tests/library/test_cost.py`` asserts, computed in one place.

- **Program size**: the number of HLO instructions XLA's optimized program for
  ``jax.jit(jax.value_and_grad(lambda x: jnp.sum(f(x))))`` has (the forward pass alone,
  ``jax.jit(lambda x: jnp.sum(f(x)))``, for a function of integer indices such as
  ``one_hot``). Counted in ``compiled.as_text()``: every instruction line of every
  computation, the entry computation, fusion bodies, reduction and other called
  computations included; headers, closing braces, the module line and the metadata
  tables are not instructions. A fusion therefore counts once as its call and once per
  instruction in its body: the figure grows with the work XLA emits, not only with the
  number of kernels.
- **Saved memory**: the bytes of the residuals that the forward pass keeps for the
  backward pass, as ``jax.ad_checkpoint.print_saved_residuals`` lists them
  (``saved_residuals``): the sum of ``size * itemsize`` over every entry, inputs kept as
  residuals and scalar literals included. In jax 0.10.2 ``jax.nn.softmax`` on 4 float32
  elements saves its ``exp`` (4 elements), the sum and the sum's inverse square (1 each):
  24 bytes.

Both are deterministic (no clocks), and both are measured on abstract arguments: nothing
is allocated or run, so the shape can be the benchmark's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
from jax._src.ad_checkpoint import saved_residuals

import flaxact
from flaxact_dev.testing import case_functions, takes_indices

#: The float32 input of every differentiable case: the first whole-axis shape of
#: ``benchmarks/speed.py`` (element-wise functions see the same array).
SHAPE = (4096, 1024)
#: ``one_hot`` and any other function of indices: this many indices, with the class
#: count (or other required argument) below, so the output has ``SHAPE``.
INDEX_ARGS = {"num_classes": SHAPE[-1]}

# An instruction line: optional ROOT, the instruction's name, " = ", then its type.
_INSTRUCTION = re.compile(r"^\s+(?:ROOT\s+)?%?[\w.\-]+ = \S")
# A computation's first line: optional ENTRY, its name, then its parameter list.
_COMPUTATION = re.compile(r"^(?:ENTRY\s+)?%?[\w.\-]+ \(.*\{\s*$")


def hlo_instruction_count(text: str) -> int:
    """Instructions in an HLO module's text: every instruction line of every computation.

    Parameters
    ----------
    text : str
        ``compiled.as_text()`` (or any HLO module text).

    Returns
    -------
    int
        The number of lines of the form ``[ROOT] %name = type op(...)`` inside a
        computation (between its ``name (params) -> type {`` line and its ``}``).
    """
    count, inside = 0, False
    for line in text.splitlines():
        if not inside:
            inside = bool(_COMPUTATION.match(line))
        elif line.startswith("}"):
            inside = False
        elif _INSTRUCTION.match(line):
            count += 1
    return count


def _abstract(x: Any) -> jax.ShapeDtypeStruct:
    return jax.ShapeDtypeStruct(jnp.shape(x), jnp.result_type(x))


def differentiable(x: Any) -> bool:
    return jnp.issubdtype(jnp.result_type(x), jnp.inexact)


def compiled_text(fn: Callable[..., Any], x: Any) -> str:
    """XLA's optimized program for the value and gradient of ``sum(fn(x))`` (the value
    alone for integer ``x``), as text."""
    loss = lambda v: jnp.sum(fn(v))  # noqa: E731
    program = jax.value_and_grad(loss) if differentiable(x) else loss
    return jax.jit(program).lower(_abstract(x)).compile().as_text()


# Instructions of the entry computation that do no work of their own (no kernel is launched)
_NO_KERNEL = re.compile(
    r"= \S+ (?:parameter|constant|tuple|get-tuple-element|bitcast|copy-start|copy-done)\("
)


def kernel_count(text: str) -> int:
    """Kernels an optimized program launches: the instructions of its entry computation
    that do work (fusions, custom calls, unfused ops), not parameters, constants, tuples
    or bitcasts.

    On a GPU each is one kernel launch; XLA fuses jax.nn's softmax specially, and a
    rewritten form that splits that fusion shows up here as more kernels.
    """
    entry = text[text.index("\nENTRY ") :]
    entry = entry[: entry.index("\n}")]
    return sum(
        1
        for line in entry.splitlines()[1:]
        if _INSTRUCTION.match(line) and not _NO_KERNEL.search(line)
    )


def program_size(fn: Callable[..., Any], x: Any) -> int:
    """HLO instructions of ``fn``'s value-and-gradient program (see the module text)."""
    return hlo_instruction_count(compiled_text(fn, x))


def residual_bytes(fn: Callable[..., Any], x: Any) -> int:
    """Bytes ``fn`` saves for its backward pass at ``x`` (0 for integer ``x``)."""
    if not differentiable(x):
        return 0
    return sum(
        int(aval.size) * jnp.dtype(aval.dtype).itemsize
        for aval, _ in saved_residuals(fn, _abstract(x))
    )


#: The float types the contract holds in: each case is measured in every one.
DTYPES = ("float32", "bfloat16", "float16")


def case_input(name: str, dtype: str = "float32") -> jax.ShapeDtypeStruct:
    """The abstract argument a case is measured at: ``SHAPE`` of ``dtype``, or int32 indices."""
    if takes_indices(flaxact.get(name)):
        return jax.ShapeDtypeStruct(SHAPE[:-1], jnp.int32)
    return jax.ShapeDtypeStruct(SHAPE, jnp.dtype(dtype))


def measure(name: str, params: dict[str, Any], dtype: str = "float32") -> dict[str, Any] | None:
    """Program size and saved bytes of flaxact's function and of its baseline, and ratios,
    for an input of ``dtype`` (the indices of a function of indices are int32 whatever it is).

    Returns
    -------
    dict or None
        ``{"baseline": label, "hlo_instructions": {"flaxact", "baseline", "ratio"},
        "kernels": {...}, "residual_bytes": {"flaxact", "baseline", "ratio"}}``; a ratio is None where
        both are 0 and ``inf`` where only the baseline's is. None when the case has no
        baseline.
    """
    fns = case_functions(name, params, INDEX_ARGS)
    if fns is None:
        return None
    label, ours, theirs = fns
    x = case_input(name, dtype)
    texts = {"flaxact": compiled_text(ours, x), "baseline": compiled_text(theirs, x)}
    hlo = {k: hlo_instruction_count(t) for k, t in texts.items()}
    kernels = {k: kernel_count(t) for k, t in texts.items()}
    res = {"flaxact": residual_bytes(ours, x), "baseline": residual_bytes(theirs, x)}
    return {
        "baseline": label,
        "hlo_instructions": {**hlo, "ratio": ratio(hlo["flaxact"], hlo["baseline"])},
        "kernels": {**kernels, "ratio": ratio(kernels["flaxact"], kernels["baseline"])},
        "residual_bytes": {**res, "ratio": ratio(res["flaxact"], res["baseline"])},
    }


def ratio(ours: float, theirs: float) -> float | None:
    """``ours / theirs``; None when both are 0, ``inf`` when only ``theirs`` is."""
    if theirs == 0:
        return None if ours == 0 else float("inf")
    return ours / theirs
