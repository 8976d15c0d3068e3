"""The speed benchmark's timing programs do the work they claim to time (benchmarks/speed.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
speed = pytest.importorskip("speed")


def _computations(hlo: str) -> dict[str, str]:
    """Optimized HLO text split into its computations, by name (ENTRY as "ENTRY")."""
    out: dict[str, str] = {}
    for block in re.split(r"\n(?=(?:ENTRY )?%\S+ \()", hlo):
        m = re.match(r"(ENTRY )?%(\S+) \(", block)
        if m:
            out["ENTRY" if m.group(1) else m.group(2)] = block
    return out


def _reachable(comps: dict[str, str], start: str, skip_while: bool) -> str:
    """The text of ``start`` and every computation it calls (not through a while loop's
    condition or body when ``skip_while``)."""
    seen, todo, text = set(), [start], []
    while todo:
        name = todo.pop()
        if name in seen or name not in comps:
            continue
        seen.add(name)
        block = comps[name]
        text.append(block)
        for line in block.splitlines():
            if skip_while and " while(" in line:
                continue
            todo += re.findall(
                r"(?:calls|to_apply|body|condition|branch_computations)=\{?%([\w.\-]+)", line
            )
    return "\n".join(text)


@pytest.mark.parametrize("chain", [2, 5])
def test_chain_runs_the_function_inside_the_loop(chain):
    """XLA does not hoist the loop-invariant application out of the timing loop."""
    x = jnp.linspace(-3.0, 3.0, 1024)
    zero = jnp.zeros((), x.dtype)
    hlo = jax.jit(speed._chained(jnp.exp, chain)).lower(x, zero).compile().as_text()
    comps = _computations(hlo)
    whiles = [ln for ln in comps["ENTRY"].splitlines() if " while(" in ln]
    assert len(whiles) == 1, hlo
    body = re.search(r"body=%([\w.\-]+)", whiles[0]).group(1)
    assert "exponential(" in _reachable(comps, body, skip_while=False), hlo
    assert "exponential(" not in _reachable(comps, "ENTRY", skip_while=True), hlo


def test_chain_gives_the_function_value():
    x = jnp.linspace(-3.0, 3.0, 1024)
    y, dx = jax.jit(speed._chained(speed._fwd_bwd(jnp.tanh), 3))(x, jnp.float32(0))
    assert jnp.array_equal(y, jnp.tanh(x))
    assert jnp.allclose(dx, 1 - jnp.tanh(x) ** 2, rtol=1e-6, atol=1e-7)


def test_time_case_reports_ratios():
    row = speed.time_case("relu", {}, 2**10, repeats=20, chain=2)
    for mode in ("forward", "forward_backward"):
        entry = row[mode]
        assert set(entry["median_s"]) == {"flaxact", "jax.nn", "reference"}
        assert all(t > 0 for t in entry["median_s"].values())
        assert entry["ratio_flaxact_to_jax_nn"] > 0


def test_chain_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        speed.main(["--chain", "0", "--only", "relu", "--sizes", "1024"])
    assert "--chain must be at least 1" in capsys.readouterr().err
