"""The cost contract, asserted for every registered function (DESIGN.md §2, points 2 and 3).

Against its baseline (jax.nn's function, or for an extra jax.nn lacks the jnp code a user
would write instead: ``flaxact_dev/testing.py``, ``baseline``), each function at its defaults and
at each swept parameter value has

- an optimized value-and-gradient program of at most twice as many HLO instructions;
- residuals saved for the backward pass of at most as many bytes.

Both are counted by ``flaxact_dev/cost.py``, which ``benchmarks/cost.py`` reports with (and
whose module text says exactly what is counted); no clock is involved. Compile time,
the third figure of that contract, is measured by the benchmark only.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import pytest

import flaxact
import flaxact._kernels
from flaxact_dev import cost as _cost
from flaxact_dev.cost import (
    DTYPES,
    SHAPE,
    hlo_instruction_count,
    measure,
    program_size,
    ratio,
    residual_bytes,
)
from flaxact_dev.testing import baseline, case_id, param_cases

CASES = param_cases(flaxact.records())
#: The contract's limits: program size and saved bytes as multiples of the baseline's.
PROGRAM_SIZE_LIMIT = 2.0
SAVED_BYTES_LIMIT = 1.0


#: Program size over the limit in float16 alone with the XLA of jaxlib 0.12, where jax.nn
#: computes in float16 itself and its program is the smaller: flaxact computes in float32 and rounds once, and the
#: slopes of these kernels in float32 add the instructions. Strict: a fix shows up.
FLOAT16_PROGRAM_SIZE = {"geglu", "xielu"}


@functools.cache
def _measured(cid: str, dtype: str = "float32") -> dict:
    name, params = next(c for c in CASES if case_id(c) == cid)
    out = measure(name, params, dtype)
    assert out is not None, f"{cid}: nothing to compare with"
    return out


def _dtype_case(case, dtype):
    """Skip the narrow dtypes for a function of integer indices (its input is int32)."""
    if dtype != "float32" and _cost.case_input(case[0], dtype).dtype == jnp.int32:
        pytest.skip(f"{case[0]} takes integer indices: one dtype")


def program_size_problem(m: dict) -> str | None:
    """Why a measurement breaks the program-size limit, or None."""
    h = m["hlo_instructions"]
    if h["flaxact"] <= PROGRAM_SIZE_LIMIT * h["baseline"]:
        return None
    return (
        f"{h['flaxact']} HLO instructions, {h['ratio']:.2f}x the {h['baseline']} of "
        f"{m['baseline']} (limit {PROGRAM_SIZE_LIMIT:g}x)"
    )


def saved_bytes_problem(m: dict) -> str | None:
    """Why a measurement breaks the saved-memory limit, or None."""
    r = m["residual_bytes"]
    if r["flaxact"] <= SAVED_BYTES_LIMIT * r["baseline"]:
        return None
    return (
        f"saves {r['flaxact']:,} bytes for the backward pass, {r['flaxact'] - r['baseline']:+,} "
        f"against {m['baseline']}'s {r['baseline']:,} (limit {SAVED_BYTES_LIMIT:g}x)"
    )


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_case_has_a_baseline(case):
    name, params = case
    assert baseline(flaxact.get(name), params) is not None, (
        f"{case_id(case)}: neither jax.nn nor flaxact_dev/testing.py's COMPOSITIONS has a baseline"
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_program_size_within_twice_the_baseline(case, dtype, request):
    _dtype_case(case, dtype)
    newer_xla = flaxact._kernels.JAXLIB >= (0, 12)
    if dtype == "float16" and case[0] in FLOAT16_PROGRAM_SIZE and not case[1] and newer_xla:
        request.applymarker(pytest.mark.xfail(reason="over 2x in float16", strict=True))
    problem = program_size_problem(_measured(case_id(case), dtype))
    assert problem is None, f"{case_id(case)} {dtype}: {problem}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_saved_memory_within_the_baseline(case, dtype):
    """In every float type: residuals wider than the input (float32 slopes of a bfloat16
    computation) would double the bytes a training step keeps."""
    _dtype_case(case, dtype)
    problem = saved_bytes_problem(_measured(case_id(case), dtype))
    assert problem is None, f"{case_id(case)} {dtype}: {problem}"


# --------------------------------------------------------------------------- the counting
HLO = """\
HloModule jit_f, entry_computation_layout={(f32[4]{0})->f32[4]{0}}

FileNames
1 "<stdin>"

%fused_computation (param_0: f32[4]) -> f32[4] {
  %param_0 = f32[4]{0} parameter(0)
  %constant.1 = f32[] constant(2)
  %broadcast.1 = f32[4]{0} broadcast(%constant.1), dimensions={}
  ROOT %multiply.1 = f32[4]{0} multiply(%param_0, %broadcast.1), metadata={op_name="a = b"}
}

ENTRY %main.2 (x.1: f32[4]) -> f32[4] {
  %x.1 = f32[4]{0} parameter(0), metadata={op_name="x"}
  ROOT %fusion = f32[4]{0} fusion(%x.1), kind=kLoop, calls=%fused_computation
}
"""


def test_hlo_count_reads_every_computation():
    """4 instructions in the fusion's body, 2 in the entry; the module line, the metadata
    tables, headers and braces are not instructions."""
    assert hlo_instruction_count(HLO) == 6
    assert hlo_instruction_count(HLO.replace("%", "")) == 6  # names printed without %
    assert hlo_instruction_count("") == 0


def test_program_size_grows_with_the_work():
    x = jax.ShapeDtypeStruct((64,), jnp.float32)
    small = program_size(jnp.sin, x)
    big = program_size(lambda v: jnp.sin(jnp.cos(jnp.exp(v)) * jnp.tanh(v)) / (1 + v * v), x)
    assert 0 < small < big
    # the counted program holds the backward pass: cos for sin's derivative
    text = jax.jit(jax.value_and_grad(lambda v: jnp.sum(jnp.sin(v)))).lower(x).compile()
    assert "cosine(" in text.as_text()


def test_saved_bytes_counts_every_residual():
    x = jnp.zeros(4, jnp.float32)
    assert residual_bytes(jnp.sin, x) == 16  # cos(x): 4 float32
    assert residual_bytes(jnp.sin, x.astype(jnp.bfloat16)) == 8  # in the input's dtype
    # softmax keeps at least its output (jax.nn's rule; older versions more)
    assert residual_bytes(jax.nn.softmax, x) >= 16
    assert residual_bytes(lambda v: jnp.sin(v) * jnp.exp(v), x) > 16
    assert residual_bytes(lambda v: 2 * v, x) == 4  # the literal 2.0, which jax lists too
    one_hot = functools.partial(jax.nn.one_hot, num_classes=3)
    assert residual_bytes(one_hot, jnp.zeros(4, jnp.int32)) == 0


def test_the_checks_can_fail():
    """A function with a far bigger program, or one that saves more, is reported."""
    x = jax.ShapeDtypeStruct(SHAPE, jnp.float32)
    lean, heavy = jax.nn.relu, lambda v: jax.nn.relu(v) + 1e-3 * jnp.sin(jnp.exp(v) * jnp.cos(v))
    hlo = {"flaxact": program_size(heavy, x), "baseline": program_size(lean, x)}
    res = {"flaxact": residual_bytes(heavy, x), "baseline": residual_bytes(lean, x)}
    m = {
        "baseline": "relu",
        "hlo_instructions": {**hlo, "ratio": ratio(hlo["flaxact"], hlo["baseline"])},
        "residual_bytes": {**res, "ratio": ratio(res["flaxact"], res["baseline"])},
    }
    assert "limit 2x" in program_size_problem(m)
    assert "limit 1x" in saved_bytes_problem(m)
    swapped = {
        k: {**v, "flaxact": v["baseline"], "baseline": v["flaxact"]}
        for k, v in m.items()
        if k != "baseline"
    }
    assert program_size_problem({**m, **swapped}) is None
    assert saved_bytes_problem({**m, **swapped}) is None


def test_kernel_count_counts_launches_not_bookkeeping():
    """Fusions and unfused ops of the entry computation count; parameters, constants,
    tuples and bitcasts do not. Splitting a fused softmax raises the count."""
    one = _cost.compiled_text(jax.nn.softmax, jax.ShapeDtypeStruct((8, 16), jnp.float32))
    assert _cost.kernel_count(one) >= 1

    def split(x):  # the maximum guarded by a select: XLA fuses it apart
        m = jnp.max(x, -1, keepdims=True)
        m = jnp.where(jnp.isfinite(m), m, 0.0)
        e = jnp.exp(x - m)
        return e / jnp.sum(e, -1, keepdims=True)

    two = _cost.compiled_text(split, jax.ShapeDtypeStruct((8, 16), jnp.float32))
    assert _cost.kernel_count(two) > _cost.kernel_count(one)


def test_ratio():
    assert ratio(3, 2) == 1.5
    assert ratio(0, 0) is None
    assert ratio(1, 0) == float("inf")
