"""The supported range pyproject.toml states is the range the test command runs.

Its lowest end is requires-python's lowest Python with pyproject's lower bounds pinned:
the pins the noxfile installs (``.ci/constraints-lowest.txt``) must equal those bounds.
``python3 dev.py test`` runs the tests and doctests at both ends, and says so, or fails
under CI, where an end cannot run. Reads the files and calls dev.py's functions; runs no nox.
"""

from __future__ import annotations

import ast
import os
import re
import tomllib
from pathlib import Path

import pytest

import dev

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf8"))
NOXFILE = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf8"))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bounds(requirements: list[str]) -> dict[str, str | None]:
    """``{name: X}`` for each requirement, X its ``>=X`` clause (None where it has none)."""
    out = {}
    for req in requirements:
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)", req.strip())
        clauses = [c.strip() for c in m.group(2).split(";")[0].split(",")]
        bounds = [c[2:].strip() for c in clauses if c.startswith(">=")]
        out[_norm(m.group(1))] = bounds[0] if bounds else None
    return out


def _noxfile_assignment(name: str) -> ast.expr:
    for node in NOXFILE.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node.value
    raise AssertionError(f"noxfile.py assigns no {name}")


def _noxfile_function(name: str) -> ast.FunctionDef:
    for node in NOXFILE.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise AssertionError(f"noxfile.py defines no {name}()")


def lowest_pins() -> dict[str, str]:
    """The pins the noxfile's lowest end installs with: each line ``name==version``."""
    path = ROOT / ast.literal_eval(_noxfile_assignment("LOWEST_PINS"))
    pins = {}
    for line in path.read_text(encoding="utf8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
            assert m, f"{path.name}: {line!r} is not a pin (name==version)"
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def test_every_dependency_has_a_lower_bound():
    bounds = lower_bounds(PYPROJECT["project"]["dependencies"])
    assert bounds, "pyproject.toml lists no dependencies"
    assert [name for name, bound in bounds.items() if bound is None] == []


def test_lowest_pins_are_pyprojects_lower_bounds():
    bounds = lower_bounds(PYPROJECT["project"]["dependencies"])
    # jaxlib is jax's compiled half: the lowest end takes jax's lowest version of it
    assert lowest_pins() == {**bounds, "jaxlib": bounds["jax"]}


def test_lower_bound_parsing():
    assert lower_bounds(
        ["jax>=0.10.2", "Flax_X >= 1.2, <2", "numpy[x]>=2.0; python_version>'3'"]
    ) == {"jax": "0.10.2", "flax-x": "1.2", "numpy": "2.0"}
    assert lower_bounds(["scipy<2", "mpmath"]) == {"scipy": None, "mpmath": None}


def test_lowest_python_is_requires_pythons():
    lowest = dev.lowest_python()
    assert PYPROJECT["project"]["requires-python"].replace(" ", "") == f">={lowest}"
    # ruff checks the code for the same lowest Python
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + lowest.replace(".", "")


def test_noxfile_installs_the_lowest_end_with_the_pins():
    names = {n.id for n in ast.walk(_noxfile_function("_install_end")) if isinstance(n, ast.Name)}
    assert "LOWEST_PINS" in names


def test_noxfile_runs_tests_and_doctests_at_the_ends_dev_py_names():
    ends = _noxfile_assignment("ENDS")
    ids = [kw.value.value for call in ends.elts for kw in call.keywords if kw.arg == "id"]
    assert ids == list(dev.ENDS)
    for name in ("tests", "doctests"):
        parametrized = [
            d
            for d in _noxfile_function(name).decorator_list
            if isinstance(d, ast.Call)
            and ast.unparse(d.func) == "nox.parametrize"
            and ast.unparse(d.args[1]) == "ENDS"
        ]
        assert parametrized, f"noxfile.py: {name} is not parametrized over ENDS"


def test_the_test_command_runs_both_ends():
    ends, rest = dev._split_end(["--", "-k", "gelu"])
    assert (ends, rest) == (list(dev.ENDS), ["--", "-k", "gelu"])
    run = dev.sessions("test", ends)
    for end in ("lowest", "newest"):
        assert {f"tests({end})", f"doctests({end})"} <= set(run), run
    assert {"lint", "package", "site"} <= set(run)
    assert dev.sessions("docs", ends) == ["docs"]


def test_end_option_picks_one_end():
    assert dev._split_end(["--end", "lowest", "--", "--end", "x"]) == (
        ["lowest"],
        ["--", "--end", "x"],
    )
    assert dev._split_end(["--end=newest", "-r"]) == (["newest"], ["-r"])
    with pytest.raises(SystemExit):
        dev._split_end(["--end", "middle"])


FOUND = {"lowest": "/usr/bin/python3.11", "newest": "/usr/bin/python3.13"}


def test_plan_runs_both_ends_when_both_are_found():
    for ci in (False, True):
        run, messages = dev.plan("test", list(dev.ENDS), FOUND, "3.11", ci)
        assert run == dev.sessions("test", dev.ENDS)
        assert messages == []


def test_plan_without_a_newer_python_runs_the_lowest_end_and_says_so():
    run, messages = dev.plan("test", list(dev.ENDS), {**FOUND, "newest": None}, "3.11", ci=False)
    assert run == dev.sessions("test", ["lowest"])
    assert "tests(newest)" not in run
    assert len(messages) == 1
    assert "newest end" in messages[0]
    assert "NOT run" in messages[0]


def test_plan_without_a_newer_python_fails_under_ci():
    run, messages = dev.plan("test", list(dev.ENDS), {**FOUND, "newest": None}, "3.11", ci=True)
    assert run is None
    assert any("newest end" in m for m in messages)
    # one end asked for and found: no failure
    run, _ = dev.plan("test", ["lowest"], {**FOUND, "newest": None}, "3.11", ci=True)
    assert run == dev.sessions("test", ["lowest"])


def test_plan_with_no_end_to_run_fails():
    run, messages = dev.plan("test", ["newest"], {**FOUND, "newest": None}, "3.11", ci=False)
    assert run is None
    assert messages


def _script(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf8")
    path.chmod(0o755)


posix = pytest.mark.skipif(os.name != "posix", reason="stand-in executables are shell scripts")


@posix
def test_newest_python_is_the_newest_that_runs(tmp_path):
    _script(tmp_path, "python3.10", "exit 0")
    _script(tmp_path, "python3.12", "exit 0")
    _script(tmp_path, "python3.98", "exit 0")
    _script(tmp_path, "python3.99", "exit 1")  # a pyenv shim of a version not selected
    _script(tmp_path, "python3.97t", "exit 0")
    env = {"PATH": str(tmp_path)}
    assert dev.newest_python(env, "3.11") == "3.98"
    (tmp_path / "python3.98").unlink()
    assert dev.newest_python(env, "3.11") == "3.12"
    (tmp_path / "python3.12").unlink()
    assert dev.newest_python(env, "3.11") is None


@posix
def test_python_env_makes_every_pyenv_version_reachable(tmp_path):
    _script(
        tmp_path,
        "pyenv",
        'case "$1" in version-name) echo 3.11.7 ;;'
        " versions) printf '3.9.18\\n3.11.7\\n3.13.0\\n3.12.1\\n3.13.0t\\nmyenv\\n' ;; esac",
    )
    env = dev.python_env({"PATH": str(tmp_path)})
    assert env["PYENV_VERSION"] == "3.11.7:3.13.0:3.12.1:3.9.18"
    assert dev.python_env({"PATH": str(tmp_path / "none")}) == {"PATH": str(tmp_path / "none")}


@posix
def test_main_fails_under_ci_without_a_newer_python(tmp_path, monkeypatch, capsys):
    _script(tmp_path, "nox", "exit 0")
    calls = []

    class Done:
        returncode = 0

    def run(cmd, **kwargs):
        calls.append(cmd)
        return Done

    monkeypatch.setattr(dev, "_bin", lambda name: tmp_path / name)
    monkeypatch.setattr(dev, "python_env", lambda environ: {"PATH": "/nowhere"})
    monkeypatch.setattr(dev, "newest_python", lambda env, above: None)
    monkeypatch.setattr(dev, "find_python", lambda version, env: f"/x/python{version}")
    monkeypatch.setattr(dev.subprocess, "run", run)
    monkeypatch.setenv("CI", "true")
    assert dev.main(["test"]) == 1
    assert calls == []
    assert "newest end" in capsys.readouterr().err
    monkeypatch.delenv("CI")
    assert dev.main(["test", "--", "-k", "relu"]) == 0
    (cmd,) = calls
    assert cmd[cmd.index("-s") + 1 :] == [*dev.sessions("test", ["lowest"]), "--", "-k", "relu"]
    assert capsys.readouterr().err.count("newest end of the supported range was NOT run") == 2
