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
import _source  # noqa: E402  (benchmarks/_source.py)


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


def test_same_program_tells_equal_kernels_from_different_ones():
    """Equal canonical programs (names and metadata aside) mean the same kernels."""
    from _common import implementations

    x = jnp.linspace(-3.0, 3.0, 1024)
    relu, sigmoid = implementations("relu", {}), implementations("sigmoid", {})
    text = speed.canonical_program(relu["flaxact"], x)
    assert "ENTRY" in text
    assert "relu" not in text  # no names left
    assert text == speed.canonical_program(relu["jax.nn"], x)
    assert speed.canonical_program(sigmoid["flaxact"], x) != speed.canonical_program(
        sigmoid["jax.nn"], x
    )


def test_chain_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        speed.main(["--chain", "0", "--only", "relu", "--sizes", "1024"])
    assert "--chain must be at least 1" in capsys.readouterr().err


def _copy_package(tmp_path: Path) -> Path:
    pkg = tmp_path / "flaxact"
    pkg.mkdir()
    for path in _source.PACKAGE.glob("*.py"):
        (pkg / path.name).write_text(path.read_text())
    return pkg


def test_source_digest_ignores_text_and_sees_code(tmp_path):
    """The digest the results record changes with the kernels, not with their prose."""
    pkg = _copy_package(tmp_path)
    base = _source.digest(pkg)
    assert base == _source.digest(_source.PACKAGE)
    kernels = pkg / "_kernels.py"
    text = kernels.read_text()
    doc = text.index('"""', text.index("def ")) + 3  # inside the first function's docstring
    kernels.write_text(text[:doc] + "Reworded. " + text[doc:] + "\n# a comment\n")
    assert _source.digest(pkg) == base
    rect = pkg / "_rectifiers.py"
    rect.write_text(rect.read_text().replace("@activation(\n", "@activation(\n    note='x',\n", 1))
    assert "note='x'" in rect.read_text()
    assert _source.digest(pkg) == base
    registry = pkg / "_registry.py"
    registry.write_text(registry.read_text() + "\nNOTE = 'records are documentation'\n")
    assert _source.digest(pkg) == base
    kernels.write_text(text + "\nEXTRA = 1.0\n")
    assert _source.digest(pkg) != base
