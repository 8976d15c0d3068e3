"""The benchmarks measure what they claim: speed.py's timing programs do the work they time,
its cases are the registry's, and cost.py's rows carry every figure of the contract."""

from __future__ import annotations

import re
from pathlib import Path

import jax
import jax.numpy as jnp
import pytest

import flaxact
from benchmarks import cost, speed
from flaxact_dev import source as _source
from flaxact_dev.bench import canonical_program, cases, compared, whole_axis_cases
from flaxact_dev.testing import case_id, elementwise_records, whole_axis_records


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
    # in the entry computation, or (newer XLA) in a computation the entry calls
    whiles = [ln for c in comps.values() for ln in c.splitlines() if " while(" in ln]
    assert len(whiles) == 1, hlo
    body = re.search(r"body=%([\w.\-]+)", whiles[0]).group(1)
    assert "exponential(" in _reachable(comps, body, skip_while=False), hlo
    assert "exponential(" not in _reachable(comps, "ENTRY", skip_while=True), hlo


def test_chain_gives_the_function_value():
    x = jnp.linspace(-3.0, 3.0, 1024)
    ct = speed._cotangent(jnp.tanh, x)
    y, dx = jax.jit(speed._chained(speed._fwd_bwd(jnp.tanh), 3))(x, jnp.float32(0), ct)
    assert jnp.array_equal(y, jnp.tanh(x))
    assert jnp.allclose(dx, ct * (1 - jnp.tanh(x) ** 2), rtol=1e-6, atol=1e-7)
    assert float(jnp.std(ct)) > 0.5  # a random cotangent, not ones


@pytest.mark.parametrize(
    ("name", "params", "shape", "baseline"),
    [
        ("relu", {}, 2**10, "jax.nn"),
        ("swish", {"beta": 0.5}, 2**10, "jnp: x * jax.nn.sigmoid(beta * x)"),
        ("logsumexp", {}, (8, 64), "jax.nn"),  # output (8, 1): keepdims=True
        ("swiglu", {}, (8, 64), "jnp: a * jax.nn.silu(b)"),  # output (8, 32)
    ],
)
def test_time_case_reports_ratios(name, params, shape, baseline):
    row = speed.time_case(name, params, shape, repeats=20, chain=2)
    assert row["baseline"] == baseline
    assert row["shape"] == ([shape] if isinstance(shape, int) else list(shape))
    for mode in ("forward", "forward_backward"):
        entry = row[mode]
        assert set(entry["median_s"]) == {"flaxact", "baseline", "reference"}
        assert all(t > 0 for t in entry["median_s"].values())
        assert entry["ratio_flaxact_to_baseline"] > 0
        assert isinstance(entry["same_program_as_baseline"], bool)


def test_rounds_fill_the_time_budget():
    """``seconds`` adds rounds beyond ``repeats`` where calls are short (a round of four
    calls on 256 elements takes well under a millisecond), up to MAX_ROUNDS."""
    row = speed.time_case("relu", {}, 2**8, repeats=20, seconds=0.2)
    for mode in ("forward", "forward_backward"):
        assert 20 < row[mode]["runs"] <= speed.MAX_ROUNDS
    assert speed.time_case("relu", {}, 2**8, repeats=20)["forward"]["runs"] == 20


def test_seconds_must_not_be_negative(capsys):
    with pytest.raises(SystemExit):
        speed.main(["--seconds", "-1", "--only", "relu", "--sizes", "1024"])
    assert "--seconds must not be negative" in capsys.readouterr().err


def test_cases_come_from_the_registry():
    """Every element-wise function and every differentiable function of a whole axis is
    timed, each against a baseline; a function of indices (one_hot) is not."""
    timed = {name for name, _ in cases()} | {name for name, _ in whole_axis_cases()}
    assert {r.name for r in elementwise_records()} <= timed
    assert {r.name for r in whole_axis_records()} == {
        "softmax",
        "log_softmax",
        "logsumexp",
        "standardize",
        "glu",
        "swiglu",
        "geglu",
        "reglu",
        "logmeanexp",
        "softmin",
        "sparsemax",
        "clamped_swiglu",
    }
    assert timed == {r.name for r in flaxact.records()} - {"one_hot"}
    for name, params in [*cases(), *whole_axis_cases()]:
        label, impls = compared(name, params)
        assert label is not None, f"{case_id((name, params))}: no baseline"
        assert set(impls) == {"flaxact", "baseline"}
    assert compared("gelu", {"approximate": "sigmoid"})[0] == "jnp: x * jax.nn.sigmoid(1.702 * x)"
    assert compared("gelu", {"approximate": False})[0] == "jax.nn"


def test_jnp_compositions_compute_the_same_function():
    """Each baseline that is not jax.nn computes what flaxact's function does, in the
    same half order for the gated family (flaxact/_gated.py: the second half is gated)."""
    x = jnp.linspace(-3.0, 3.0, 64).reshape(4, 16)
    for name, params in [*cases(), *whole_axis_cases()]:
        label, impls = compared(name, params)
        if label == "jax.nn":
            continue
        ours, theirs = impls["flaxact"](x), impls["baseline"](x)
        assert ours.shape == theirs.shape, name
        assert jnp.allclose(ours, theirs, rtol=2e-3, atol=1e-5), case_id((name, params))


def test_same_program_tells_equal_kernels_from_different_ones():
    """Equal canonical programs (names and metadata aside) mean the same kernels."""
    x = jnp.linspace(-3.0, 3.0, 1024)
    relu = compared("relu", {})[1]
    text = canonical_program(relu["flaxact"], x)
    assert "ENTRY" in text
    assert "relu" not in text  # no names left
    assert text == canonical_program(relu["baseline"], x)
    # two different functions (not flaxact's, whose kernels may come to match jax.nn's)
    assert canonical_program(jax.nn.sigmoid, x) != canonical_program(jnp.tanh, x)


def test_speed_shapes_parse(capsys):
    assert speed._shape("4096x1024") == (4096, 1024)
    assert speed._shape("4194304") == (4194304,)
    with pytest.raises(SystemExit):
        speed.main(["--shapes", "4096x", "--only", "softmax"])
    assert "not a shape" in capsys.readouterr().err


def test_cost_rows_carry_every_figure(tmp_path):
    """cost.py writes, per case, compile times and their ratio, HLO instruction counts and
    saved bytes for flaxact and its baseline (two cheap cases, the fewest compiles)."""
    import json

    out = tmp_path / "cost.json"
    assert (
        cost.main(
            [
                "--only",
                "relu",
                "one_hot",
                "--repeats",
                "5",
                "--depth",
                "2",
                "--width",
                "8",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    data = json.loads(out.read_text())
    assert data["kind"] == "cost"
    assert data["machine"]["flaxact_source"] == _source.digest()
    rows = {r["id"]: r for r in data["cases"]}
    assert set(rows) == {"relu", "one_hot"}
    for row in rows.values():
        assert row["baseline"] == "jax.nn"
        assert row["compile"]["runs"] == 5
        assert all(t > 0 for t in row["compile"]["median_s"].values())
        assert row["compile"]["ratio"] > 0
        assert row["hlo_instructions"]["flaxact"] > 0
        assert row["hlo_instructions"]["ratio"] > 0
    assert rows["relu"]["residual_bytes"]["flaxact"] > 0
    assert rows["one_hot"]["residual_bytes"] == {"flaxact": 0, "baseline": 0, "ratio": None}


def test_cost_needs_five_compiles(capsys):
    with pytest.raises(SystemExit):
        cost.main(["--repeats", "4", "--only", "relu"])
    assert "--repeats must be at least 5" in capsys.readouterr().err


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
    for unmeasured in ("linen.py", "nnx.py", "_modules.py"):  # the Flax modules: not timed
        module = pkg / unmeasured
        module.write_text(module.read_text() + "\nEXTRA = 1.0\n")
        assert _source.digest(pkg) == base, unmeasured
    kernels.write_text(text + "\nEXTRA = 1.0\n")
    assert _source.digest(pkg) != base


def test_executed_inputs_cover_library_and_results(tmp_path):
    """The key of the docs build's executed output changes with the library (its prose
    too), the development package and the committed results, and with nothing else."""
    root = tmp_path / "repo"
    for pattern in (*_source.EXECUTED_INPUTS, "docs/index.md", "README.md"):
        for path in _source.ROOT.glob(pattern):
            dest = root / path.relative_to(_source.ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(path.read_bytes())
    base = _source.executed_inputs(root)
    assert base == _source.executed_inputs(_source.ROOT)
    for unread in ("docs/index.md", "README.md"):  # pages key on their own code
        (root / unread).write_text((root / unread).read_text() + "\nedited\n")
        assert _source.executed_inputs(root) == base, unread
    for read in (
        "flaxact/_core.py",
        "flaxact_dev/report/judge.py",
        "benchmarks/results/speed-cpu.json",
    ):
        path = root / read
        text = path.read_text()
        path.write_text(text + ("\n" if read.endswith(".json") else "\n# a comment\n"))
        assert _source.executed_inputs(root) != base, read
        path.write_text(text)
    assert _source.executed_inputs(root) == base
