"""Speed of every activation: flaxact vs its baseline, and vs a memory-bound reference op.

Every case comes from the registry (each function at its defaults, then each swept
parameter value): element-wise functions on 1-D arrays of 2^16 and 2^22 elements
(``--sizes``); the differentiable functions of a whole axis (softmax, log_softmax,
logsumexp, standardize, glu and the gated family) over the last axis of arrays of shape
(4096, 1024), (256, 32000) and (2^22,) (``--shapes``), with ``axis=-1`` and, for
logsumexp, ``keepdims=True`` (``flaxact_dev/testing.py``, ``call_kwargs``). Every case is
timed in float32 and in bfloat16 (``--dtypes``; a row's ``dtype``), and each element-wise
function at its defaults also inside the expression ``f(x) * x`` (float32; a row's
``context``), where XLA fuses it with the arithmetic around it as in a model: a form
that is as fast alone can lose that fusion. ``one_hot`` (integer input, no gradient) is
not timed.

The *baseline* is jax.nn's function, or for an extra jax.nn lacks (``swish`` with
``beta``, ``gelu(approximate="sigmoid")``, ``swiglu``, ``geglu``, ``reglu``) the jnp
code a user would write instead, ``x * jax.nn.sigmoid(beta * x)`` and the like
(``flaxact_dev/testing.py``, ``COMPOSITIONS``); each row records which (``"baseline"``).

For each case and size the jitted forward pass and the forward+backward pass (value and
input gradient, as in training) are timed:

- implementations interleaved in one process, one call of each per round, so drift in
  clock speed or load affects them alike; each ratio is the median of the ratios within
  a round, which a slow spell spanning a round does not skew;
- the order within a round is shuffled: in a fixed order (flaxact, baseline, reference,
  ...) a call's position biases it on a small machine, so that two identical ops differ
  by far more than the noise of a shuffled run (the A/A ratio below measures that noise);
- as many rounds as fit in ``--seconds`` (0.5 s by default) per case and mode, at least
  ``--repeats`` (21) and at most 2,000: a 2^16-element call takes tens of microseconds,
  and 21 of them leave the median to chance;
- each call writes into output buffers donated back to it (``donate_argnums`` with a
  full-size ``dynamic_update_slice``, checked to alias), so XLA writes into memory that is
  already mapped: without this, a large call on the CPU spends most of its time faulting
  in the fresh output, and every function looks the same;
- the reference op is timed twice, with separate buffers, in the same rounds:
  ``noise_ratio`` (one over the other) says how far two identical programs drift apart
  in this run, and the Performance page does not count a ratio within that noise as a
  miss;
- the reference is the cheapest op with the same memory traffic as an element-wise
  function: ``2 * x`` forward (read one array, write one), ``(2 * x, 3 * x)``
  forward+backward (read one, write two). Its time is the practical floor on this
  machine; ``ratio_to_reference`` says how far above that floor a function is (the
  Performance page converts the reference's time into bytes moved per second). A
  function of a whole axis writes less (glu halves the axis, logsumexp keeps one
  element) or reads its input twice; its ratio to the reference is only indicative;
- on an accelerator one call is dominated by dispatch, not by the kernel (a 2^22-element
  float32 pass moves 32 MiB, which a GPU's memory moves in microseconds, less than the
  host's cost of launching the call). There each timed call runs ``--chain`` applications in one
  compiled program (default 64 off the CPU, 1 on it): a loop on the device whose every
  iteration reads the input and writes the outputs, and the time is divided by that
  count. Iteration ``i`` computes ``fn(x + zero * i)`` with ``zero`` a runtime 0.0, so XLA
  cannot hoist the loop-invariant work out of the loop (``tests/tooling/test_benchmarks.py``
  checks it does not); the reference op gets the same multiply-add;
- a row whose first timing is above the contract's run-time limit (and is not the
  baseline's own program) is timed again, with ``--confirm`` (4) times the rounds, after
  every other case: a miss is one that recurs. The second timing is the row's, and the
  first is kept beside it (``first_timing``), so the file shows both; ``--confirm 0``
  keeps first timings only.

Writes benchmarks/results/speed-<platform>.json. Usage: python benchmarks/speed.py
[--only NAME ...] [--sizes N ...] [--shapes 4096x1024 ...] [--defaults-only]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import warnings
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from flaxact_dev.bench import (
    canonical_program,
    case_id,
    cases,
    compared,
    whole_axis_cases,
    write_result,
)
from flaxact_dev.report.contract import CONTRACT

#: Shapes of the functions of a whole axis, reduced over the last axis: a batch of
#: hidden states, a batch of logits over a 32k vocabulary, and one long vector.
SHAPES = ((4096, 1024), (256, 32000), (2**22,))

#: The most timed rounds per case and mode, however short a call is.
MAX_ROUNDS = 2000


def _reference_fwd(x):
    return 2 * x


def _reference_fwd_bwd(x, ct):
    return 2 * x, 3 * x


def _fwd_bwd(fn):
    """Value and input gradient for a cotangent given at run time, as in training.

    The cotangent is a random array, an argument of the program: a cotangent of ones (or
    any constant) lets XLA simplify the backward pass, and so hides what it costs (softmax
    over (256, 32000) read 1.02x jax.nn's time with ones and 1.83x with a random one, in an
    earlier version of the code).
    """

    def run(x, ct):
        y, pullback = jax.vjp(fn, x)
        (dx,) = pullback(ct)
        return y, dx

    return run


def _cotangent(fn, x: jax.Array) -> jax.Array:
    """A random cotangent of the shape and dtype of ``fn(x)``: normal numbers, seed 1."""
    out = jax.eval_shape(fn, x)
    rng = np.random.default_rng(1)
    return jnp.asarray(rng.standard_normal(out.shape).astype(np.float32), out.dtype)


def _chained(fn, chain: int):
    """``fn`` applied to ``x`` ``chain`` times in one program: ``run(x, zero)``.

    ``chain == 1`` is ``fn(x)``. Otherwise a loop on the device whose iteration ``i``
    computes ``fn(x + zero * i)`` into the loop's carried outputs. ``zero`` is a runtime
    argument (0.0), so XLA knows neither that the input is the same in every iteration
    (and cannot hoist the work out of the loop) nor that the sum is ``x`` (and cannot drop
    it); the multiply-add fuses into ``fn``'s kernel. An optimization barrier does not do
    this: XLA removes it before hoisting.
    """
    if chain == 1:
        return lambda x, zero, *extra: fn(x, *extra)

    def run(x, zero, *extra):
        def body(i, carry):
            return fn(x + zero * i.astype(x.dtype), *extra)

        shapes = jax.eval_shape(fn, x, *extra)
        init = jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), shapes)
        return lax.fori_loop(0, chain, body, init)

    return run


def _timed_callable(fn, x: jax.Array, n_out: int, chain: int = 1, extra: tuple = ()):
    """A zero-argument callable running jitted ``fn`` on ``x`` (and the arrays ``extra``,
    arguments too) into recycled output buffers (``chain`` times per call, see
    :func:`_chained`); it returns seconds per application."""
    run = _chained(fn, chain)
    n_extra = len(extra)

    def into_buffers(x, zero, *rest):
        args, bufs = rest[:n_extra], rest[n_extra:]
        out = run(x, zero, *args)
        out = out if isinstance(out, tuple) else (out,)
        # A full-size dynamic_update_slice into a donated buffer makes XLA write the
        # result in place (input_output_alias), instead of into a freshly mapped array.
        return tuple(
            lax.dynamic_update_slice(b, o, (0,) * o.ndim) for b, o in zip(bufs, out, strict=True)
        )

    first_buf = 2 + n_extra
    jitted = jax.jit(into_buffers, donate_argnums=tuple(range(first_buf, first_buf + n_out)))
    zero = jnp.zeros((), x.dtype)
    # the outputs' shapes: a function of a whole axis may change them (glu, logsumexp)
    shapes = jax.eval_shape(run, x, zero, *extra)
    shapes = shapes if isinstance(shapes, tuple) else (shapes,)
    if len(shapes) != n_out:
        raise ValueError(f"speed.py: {len(shapes)} outputs, {n_out} expected")

    def fresh() -> list[jax.Array]:
        return [jnp.zeros(s.shape, s.dtype) for s in shapes]

    first = fresh()
    state = {"bufs": first}
    jax.block_until_ready(jitted(x, zero, *extra, *first))
    if not all(b.is_deleted() for b in first):
        raise RuntimeError(
            "speed.py: output buffers were not donated; timings would include page faults"
        )
    state["bufs"] = fresh()

    def call() -> float:
        start = time.perf_counter()
        out = jitted(x, zero, *extra, *state["bufs"])
        jax.block_until_ready(out)
        elapsed = time.perf_counter() - start
        state["bufs"] = list(out)
        return elapsed / chain

    return call


def _paired(a: list[float], b: list[float]) -> float:
    """The median of the per-round ratios ``a[i] / b[i]``: each round times the two back to
    back, so a slow spell of the machine that spans a round cancels out of its ratio."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def _input(name: str, shape: tuple[int, ...], dtype: str = "float32") -> jax.Array:
    """Normal numbers of standard deviation 4 (log1mexp: positive, its domain), in ``dtype``."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(np.float32) * 4
    if name == "log1mexp":
        x = np.abs(x) + 1e-3
    return jnp.asarray(x, dtype)


#: How a fused row applies the activation: inside an expression that XLA fuses with it,
#: as in a model (a product with another array of the layer), not as a program of its own.
FUSED = "f(x) * x"


def _fused(fn):
    return lambda x: fn(x) * x


def row_id(name: str, params: dict[str, Any], dtype: str = "float32", fused: bool = False) -> str:
    """The case id, with the dtype (other than float32) and the fused context appended."""
    out = case_id(name, params)
    if dtype != "float32":
        out += f" {dtype}"
    return out + (f" in {FUSED}" if fused else "")


def time_case(
    name: str,
    params: dict[str, Any],
    shape: int | tuple[int, ...],
    repeats: int,
    chain: int = 1,
    seconds: float = 0.0,
    dtype: str = "float32",
    fused: bool = False,
) -> dict[str, Any]:
    """Time one case on an array of ``shape`` (an int: that many elements, 1-D) and
    ``dtype``; ``fused``: the function inside the expression :data:`FUSED`, for both."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    x = _input(name, shape, dtype)
    label, impls = compared(name, params)
    if fused:
        impls = {k: _fused(f) for k, f in impls.items()}
    row: dict[str, Any] = {
        "id": row_id(name, params, dtype, fused),
        "name": name,
        "size": int(x.size),
        "shape": list(shape),
        "baseline": label,
        "dtype": dtype,
        "context": FUSED if fused else None,
    }
    ct = _cotangent(impls["flaxact"], x)
    for mode, wrap, ref, n_out, extra in (
        ("forward", lambda f: f, _reference_fwd, 1, ()),
        ("forward_backward", _fwd_bwd, _reference_fwd_bwd, 2, (ct,)),
    ):
        calls = {k: _timed_callable(wrap(f), x, n_out, chain, extra) for k, f in impls.items()}
        calls["reference"] = _timed_callable(ref, x, n_out, chain, extra)
        # the same op again, with buffers of its own: how far two identical programs
        # drift apart in this run (an A/A comparison), the noise any ratio here carries
        calls["reference again"] = _timed_callable(ref, x, n_out, chain, extra)
        for call in calls.values():  # compile and warm up
            for _ in range(3):
                call()
        times: dict[str, list[float]] = {k: [] for k in calls}
        start = time.perf_counter()
        rounds = repeats
        order = list(calls)
        shuffle = random.Random(0).shuffle
        while len(times["reference"]) < rounds:
            shuffle(order)  # no implementation always runs first, or after another
            for k in order:
                times[k].append(calls[k]())
            if len(times["reference"]) == 1:
                # as many rounds as fit in ``seconds``, at least ``repeats``
                per_round = time.perf_counter() - start
                rounds = max(repeats, min(MAX_ROUNDS, int(seconds / per_round)))
        again = times.pop("reference again")
        med = {k: statistics.median(v) for k, v in times.items()}
        entry = {"median_s": med, "runs": len(times["reference"])}
        entry["noise_ratio"] = _paired(again, times["reference"])
        entry["ratio_to_reference"] = {k: _paired(times[k], times["reference"]) for k in impls}
        if "baseline" in med:
            entry["ratio_flaxact_to_baseline"] = _paired(times["flaxact"], times["baseline"])
            # then any difference in time is noise
            entry["same_program_as_baseline"] = canonical_program(
                wrap(impls["flaxact"]), x, *extra
            ) == canonical_program(wrap(impls["baseline"]), x, *extra)
        row[mode] = entry
    return row


#: The timed passes of a row.
MODES = ("forward", "forward_backward")


def _above_limit(row: dict[str, Any]) -> bool:
    """Whether a mode of ``row`` is above the contract's run-time limit against its
    baseline, where the two programs differ (the same program's ratio is noise)."""
    return any(
        row[m].get("ratio_flaxact_to_baseline", 0.0) > CONTRACT[m]
        and not row[m].get("same_program_as_baseline")
        for m in MODES
    )


def _print(row: dict[str, Any]) -> None:
    fwd, fb = row["forward"], row["forward_backward"]
    print(
        f"{row['id']:28s} {_shape_label(tuple(row['shape'])):>10s}"
        f" fwd {fwd['median_s']['flaxact'] * 1e3:8.3f} ms"
        f" vs baseline {fwd.get('ratio_flaxact_to_baseline', float('nan')):5.2f}x"
        f" vs ref {fwd['ratio_to_reference']['flaxact']:5.2f}x |"
        f" fwd+bwd vs baseline {fb.get('ratio_flaxact_to_baseline', float('nan')):5.2f}x"
        f" vs ref {fb['ratio_to_reference']['flaxact']:5.2f}x",
        flush=True,
    )


def _shape(text: str) -> tuple[int, ...]:
    """``"4096x1024"`` as ``(4096, 1024)``."""
    try:
        shape = tuple(int(n) for n in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a shape like 4096x1024: {text!r}") from None
    if not shape or min(shape) < 1:
        raise argparse.ArgumentTypeError(f"not a shape like 4096x1024: {text!r}")
    return shape


def _shape_label(shape: tuple[int, ...]) -> str:
    """``2^22`` for a 1-D power of two, else ``4096x1024``."""
    (n,) = shape if len(shape) == 1 else (0,)
    return f"2^{n.bit_length() - 1}" if n > 1 and n & (n - 1) == 0 else "x".join(map(str, shape))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[2**16, 2**22],
        help="element-wise functions: 1-D array sizes",
    )
    parser.add_argument(
        "--shapes",
        type=_shape,
        nargs="*",
        default=list(SHAPES),
        help="functions of a whole axis: shapes, reduced over the last axis, like 4096x1024",
    )
    parser.add_argument("--repeats", type=int, default=21, help="timed rounds, at least")
    parser.add_argument(
        "--seconds",
        type=float,
        default=0.5,
        help="time each case and mode for about this long, in rounds of one"
        " call of each implementation (at least --repeats rounds)",
    )
    parser.add_argument(
        "--dtypes",
        nargs="*",
        default=["float32", "bfloat16"],
        help="input dtypes: every case is timed in each",
    )
    parser.add_argument(
        "--no-fused",
        action="store_true",
        help=f"skip the element-wise functions at their defaults inside {FUSED} (float32)",
    )
    parser.add_argument(
        "--confirm",
        type=float,
        default=4.0,
        help="time a row above the run-time limit again with this many times the rounds (0: never)",
    )
    parser.add_argument("--only", nargs="*", help="function names to time (default: all)")
    parser.add_argument("--defaults-only", action="store_true", help="skip swept parameter values")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--chain",
        type=int,
        default=None,
        help="applications per timed call, in one program (default: 1 on the CPU, 64 on an"
        " accelerator, where a single call measures dispatch)",
    )
    args = parser.parse_args(argv)
    if args.repeats < 20:
        parser.error("--repeats must be at least 20")
    if args.seconds < 0:
        parser.error("--seconds must not be negative")
    chain = args.chain if args.chain is not None else (1 if jax.default_backend() == "cpu" else 64)
    if chain < 1:
        parser.error("--chain must be at least 1")
    warnings.filterwarnings("ignore", message="Some donated buffers were not usable")
    start = time.perf_counter()
    work = [
        (c, (size,), dtype, False)
        for dtype in args.dtypes
        for c in cases(args.only)
        for size in args.sizes
    ]
    work += [
        (c, shape, dtype, False)
        for dtype in args.dtypes
        for c in whole_axis_cases(args.only)
        for shape in args.shapes
    ]
    if not args.no_fused:
        work += [
            (c, (size,), "float32", True)
            for c in cases(args.only)
            if not c[1]
            for size in args.sizes
        ]
    if args.defaults_only:
        work = [w for w in work if not w[0][1]]
    rows = []
    for (name, params), shape, dtype, fused in work:
        rows.append(time_case(name, params, shape, args.repeats, chain, args.seconds, dtype, fused))
        _print(rows[-1])
    confirmed = []
    for i, ((name, params), shape, dtype, fused) in enumerate(work):
        if args.confirm > 0 and _above_limit(rows[i]):
            again = time_case(
                name,
                params,
                shape,
                int(args.repeats * args.confirm),
                chain,
                args.seconds * args.confirm,
                dtype,
                fused,
            )
            again["first_timing"] = {m: rows[i][m] for m in MODES}
            rows[i] = again
            confirmed.append(again["id"] + " " + _shape_label(shape))
            print("timed again:", end=" ")
            _print(again)
    method = (
        "jit, donated output buffers, implementations interleaved in rounds of one call each"
        " in shuffled order, median times; ratios are medians of the per-round ratios"
    )
    if chain > 1:
        method += f"; {chain} applications chained in each timed program, time divided by {chain}"
    if args.confirm > 0:
        method += (
            f"; a row above the run-time limit was timed again with {args.confirm:g} times the"
            " rounds, and that second timing is the row's"
        )
    return write_result(
        "speed",
        start,
        rows,
        args.out,
        repeats=args.repeats,
        seconds_per_case=args.seconds,
        sizes=args.sizes,
        shapes=[list(s) for s in args.shapes],
        chain=chain,
        dtypes=args.dtypes,
        fused=None if args.no_fused else FUSED,
        confirm=args.confirm,
        timed_again=confirmed,
        method=method,
    )


if __name__ == "__main__":
    raise SystemExit(main())
