"""Speed of every elementwise activation: flaxact vs jax.nn, and vs a memory-bound reference op.

For each case and size (2^16 and 2^24 float32 elements) the jitted forward pass and the
forward+backward pass (value and input gradient, as in training) are timed:

- implementations interleaved in one process (flaxact, jax.nn, reference, flaxact, ...), so
  drift in clock speed or load affects them alike; median of ``--repeats`` runs after
  warm-up, and each ratio is the median of the ratios within a round (the two calls
  back to back), which a slow spell spanning a round does not skew;
- each call writes into output buffers donated back to it (``donate_argnums`` with a
  full-size ``dynamic_update_slice``, checked to alias), so XLA writes into memory that is
  already mapped: without this, a 2^24-element call on this 2-core machine spends ~35 of
  its ~43 ms faulting in the fresh 64 MiB output, and every function looks the same;
- the reference op is timed twice, with separate buffers, in the same rounds:
  ``noise_ratio`` (one over the other) says how far two identical programs drift apart
  in this run, and the Performance page does not count a ratio within that noise as a
  miss;
- the reference is the cheapest op with the same memory traffic: ``2 * x`` forward
  (read one array, write one), ``(2 * x, 3 * x)`` forward+backward (read one, write two).
  Its time is the practical floor on this machine; ``ratio_to_reference`` says how far
  above that floor a function is (the Performance page converts the reference's time
  into bytes moved per second);
- on an accelerator one call is dominated by dispatch, not by the kernel (a 2^24-element
  float32 pass moves 128 MiB: about 30 us at the 4.8 TB/s of an H200, less than the host's
  cost of launching the call). There each timed call runs ``--chain`` applications in one
  compiled program (default 64 off the CPU, 1 on it): a loop on the device whose every
  iteration reads the input and writes the outputs, and the time is divided by that
  count. Iteration ``i`` computes ``fn(x + zero * i)`` with ``zero`` a runtime 0.0, so XLA
  cannot hoist the loop-invariant work out of the loop (``tests/test_benchmarks.py``
  checks it does not); the reference op gets the same multiply-add.

Writes benchmarks/results/speed-<platform>.json. Usage: python benchmarks/speed.py
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import warnings
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from _common import case_id, cases, implementations, write_result
from jax import lax


def _reference_fwd(x):
    return 2 * x


def _reference_fwd_bwd(x):
    return 2 * x, 3 * x


def _fwd_bwd(fn):
    def run(x):
        y, pullback = jax.vjp(fn, x)
        (dx,) = pullback(jnp.ones_like(y))
        return y, dx

    return run


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
        return lambda x, zero: fn(x)

    def run(x, zero):
        def body(i, carry):
            return fn(x + zero * i.astype(x.dtype))

        shapes = jax.eval_shape(fn, x)
        init = jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), shapes)
        return lax.fori_loop(0, chain, body, init)

    return run


def _timed_callable(fn, x: jax.Array, n_out: int, chain: int = 1):
    """A zero-argument callable running jitted ``fn`` on ``x`` into recycled output buffers
    (``chain`` times per call, see :func:`_chained`); it returns seconds per application."""
    run = _chained(fn, chain)

    def into_buffers(x, zero, *bufs):
        out = run(x, zero)
        out = out if isinstance(out, tuple) else (out,)
        # A full-size dynamic_update_slice into a donated buffer makes XLA write the
        # result in place (input_output_alias), instead of into a freshly mapped array.
        return tuple(
            lax.dynamic_update_slice(b, o, (0,) * o.ndim) for b, o in zip(bufs, out, strict=True)
        )

    jitted = jax.jit(into_buffers, donate_argnums=tuple(range(2, 2 + n_out)))
    zero = jnp.zeros((), x.dtype)
    first = [jnp.zeros_like(x) for _ in range(n_out)]
    state = {"bufs": first}
    jax.block_until_ready(jitted(x, zero, *first))
    if not all(b.is_deleted() for b in first):
        raise RuntimeError(
            "speed.py: output buffers were not donated; timings would include page faults"
        )
    state["bufs"] = [jnp.zeros_like(x) for _ in range(n_out)]

    def call() -> float:
        start = time.perf_counter()
        out = jitted(x, zero, *state["bufs"])
        jax.block_until_ready(out)
        elapsed = time.perf_counter() - start
        state["bufs"] = list(out)
        return elapsed / chain

    return call


def canonical_program(fn, x: jax.Array) -> str:
    """``fn``'s optimized XLA program for ``x`` with names, source locations and metadata
    removed: two functions with equal texts compile to the same kernels."""
    text = jax.jit(fn).lower(x).compile().as_text()
    text = re.sub(r", metadata=\{[^}]*\}", "", text)
    lines = [ln for ln in text.splitlines() if re.match(r"(ENTRY |%|\s+%|\s+ROOT |})", ln)]
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        return names.setdefault(m.group(0), f"%v{len(names)}")

    return re.sub(r"%[\w.\-]+", rename, "\n".join(lines))


def _paired(a: list[float], b: list[float]) -> float:
    """The median of the per-round ratios ``a[i] / b[i]``: each round times the two back to
    back, so a slow spell of the machine that spans a round cancels out of its ratio."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def time_case(
    name: str, params: dict[str, Any], size: int, repeats: int, chain: int = 1
) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(size).astype(np.float32) * 4
    if name == "log1mexp":
        x = np.abs(x) + 1e-3
    x = jnp.asarray(x)
    impls = implementations(name, params)
    row: dict[str, Any] = {"id": case_id(name, params), "name": name, "size": size}
    for mode, wrap, ref, n_out in (
        ("forward", lambda f: f, _reference_fwd, 1),
        ("forward_backward", _fwd_bwd, _reference_fwd_bwd, 2),
    ):
        calls = {k: _timed_callable(wrap(f), x, n_out, chain) for k, f in impls.items()}
        calls["reference"] = _timed_callable(ref, x, n_out, chain)
        # the same op again, with buffers of its own: how far two identical programs
        # drift apart in this run (an A/A comparison), the noise any ratio here carries
        calls["reference again"] = _timed_callable(ref, x, n_out, chain)
        for call in calls.values():  # compile and warm up
            for _ in range(3):
                call()
        times: dict[str, list[float]] = {k: [] for k in calls}
        for _ in range(repeats):
            for k, call in calls.items():
                times[k].append(call())
        again = times.pop("reference again")
        med = {k: statistics.median(v) for k, v in times.items()}
        entry = {"median_s": med, "runs": repeats}
        entry["noise_ratio"] = _paired(again, times["reference"])
        entry["ratio_to_reference"] = {k: _paired(times[k], times["reference"]) for k in impls}
        if "jax.nn" in med:
            entry["ratio_flaxact_to_jax_nn"] = _paired(times["flaxact"], times["jax.nn"])
            # then any difference in time is noise
            entry["same_program_as_jax_nn"] = canonical_program(
                wrap(impls["flaxact"]), x
            ) == canonical_program(wrap(impls["jax.nn"]), x)
        row[mode] = entry
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2**16, 2**24])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--only", nargs="*", help="case names to time (default: all)")
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
    chain = args.chain if args.chain is not None else (1 if jax.default_backend() == "cpu" else 64)
    if chain < 1:
        parser.error("--chain must be at least 1")
    warnings.filterwarnings("ignore", message="Some donated buffers were not usable")
    start = time.perf_counter()
    rows = []
    for name, params in cases(args.only):
        if args.defaults_only and params:
            continue
        for size in args.sizes:
            row = time_case(name, params, size, args.repeats, chain)
            rows.append(row)
            fwd, fb = row["forward"], row["forward_backward"]
            print(f"{row['id']:28s} n=2^{size.bit_length() - 1:<3d}"
                  f" fwd {fwd['median_s']['flaxact'] * 1e3:8.3f} ms"
                  f" vs jax.nn {fwd.get('ratio_flaxact_to_jax_nn', float('nan')):5.2f}x"
                  f" vs ref {fwd['ratio_to_reference']['flaxact']:5.2f}x |"
                  f" fwd+bwd vs jax.nn {fb.get('ratio_flaxact_to_jax_nn', float('nan')):5.2f}x"
                  f" vs ref {fb['ratio_to_reference']['flaxact']:5.2f}x", flush=True)  # fmt: skip
    method = (
        "jit, donated output buffers, interleaved implementations, median times; ratios are"
        " medians of the per-round ratios"
    )
    if chain > 1:
        method += f"; {chain} applications chained in each timed program, time divided by {chain}"
    return write_result("speed", start, rows, args.out, repeats=args.repeats, sizes=args.sizes,
                        chain=chain, method=method)  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main())
