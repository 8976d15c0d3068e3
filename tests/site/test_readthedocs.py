"""The Read the Docs configuration: valid against its published schema, strict, pinned, and
followed by the ``docs`` and ``site`` sessions (its Python, its install commands, its Sphinx
build), which read it through ``flaxact_dev/docs_env.py``."""

from __future__ import annotations

import ast
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from flaxact_dev import docs_env
from flaxact_dev.docs_testing import ROOT


def test_readthedocs_config_matches_schema():
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the test group")
    exe = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    result = subprocess.run(
        [exe, "--builtin-schema", "vendor.readthedocs", str(ROOT / ".readthedocs.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readthedocs_config_builds_strictly():
    yaml = pytest.importorskip("yaml", reason="pyyaml is in the test group")
    conf = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert conf["version"] == 2
    assert conf["build"]["os"] == "ubuntu-24.04"
    assert isinstance(conf["build"]["tools"]["python"], str)
    assert conf["sphinx"]["configuration"] == "docs/conf.py"
    assert conf["sphinx"]["fail_on_warning"] is True
    jobs = " ".join(" ".join(v) for v in conf["build"].get("jobs", {}).values())
    assert "--group docs" in jobs, "Read the Docs must install the docs dependency group"


# --------------------------------------------------------------------------- the YAML reader
def test_the_sessions_read_the_file_with_pyyaml():
    """The noxfile reads the file with PyYAML in nox's own interpreter: its script metadata
    asks nox for PyYAML, and dev.py installs it beside nox."""
    yaml = pytest.importorskip("yaml", reason="pyyaml is in the test group")
    assert docs_env.config() == yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    block = re.search(r"^# /// script\n((?:#.*\n)*?)# ///$", _noxfile_text(), re.MULTILINE)
    assert block, "the noxfile has no script metadata"
    script = tomllib.loads("".join(line[2:] + "\n" for line in block[1].splitlines()))
    dev = ast.parse((ROOT / "dev.py").read_text())
    tools = next(
        n.value
        for n in dev.body
        if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "TOOLS"
    )
    for requirements in (script["dependencies"], ast.literal_eval(tools)):
        assert any(r.lower().startswith("pyyaml") for r in requirements), requirements


# --------------------------------------------------------------------------- what the sessions run
def test_install_commands_are_the_files_and_pinned():
    """The sessions install with Read the Docs' own commands, and those pin every package
    with the constraints file."""
    conf = docs_env.config()
    listed = [c for job in docs_env.INSTALL_JOBS for c in conf["build"]["jobs"].get(job) or []]
    commands = docs_env.install_commands()
    assert [" ".join(c) for c in commands] == [c.replace('"', "") for c in listed]
    assert docs_env.constraints_files() == [docs_env.CONSTRAINTS]
    for argv in commands:
        args = docs_env.pip_install_args(argv)
        assert args is not None, f"not a pip install: {argv}"
        if "." in args or "--group" in args:  # the project and its groups: pinned
            assert args[args.index("-c") + 1] == docs_env.CONSTRAINTS, argv


def test_sphinx_arguments_are_read_the_docs():
    conf = docs_env.config()
    args = docs_env.sphinx_build_args("out", "doctrees", conf)
    assert args[-2:] == [str(Path(conf["sphinx"]["configuration"]).parent), "out"]
    assert conf["sphinx"]["fail_on_warning"] is True
    assert "-W" in args
    assert "--keep-going" in args
    assert args[args.index("-b") + 1] == "html"
    relaxed = {**conf, "sphinx": {**conf["sphinx"], "fail_on_warning": False}}
    assert "-W" not in docs_env.sphinx_build_args("out", "doctrees", relaxed)


def test_configurations_the_sessions_cannot_follow_are_refused():
    conf = docs_env.config()
    with pytest.raises(ValueError, match=r"python\.install"):
        docs_env.install_commands({**conf, "python": {"install": [{"path": "."}]}})
    jobs = {**conf["build"]["jobs"], "build": {"html": ["mkdocs build"]}}
    with pytest.raises(ValueError, match="not followed"):
        docs_env.install_commands({**conf, "build": {**conf["build"], "jobs": jobs}})
    with pytest.raises(ValueError, match="must list"):
        docs_env.install_commands({**conf, "build": {**conf["build"], "jobs": {}}})


def _noxfile_text() -> str:
    return (ROOT / "noxfile.py").read_text()


def _noxfile() -> ast.Module:
    return ast.parse(_noxfile_text())


def _calls(node: ast.AST) -> set[str]:
    """``a.b`` for every call ``a.b(...)`` (and ``f`` for ``f(...)``) under ``node``."""
    return {ast.unparse(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}


def test_docs_and_site_sessions_are_built_from_the_configuration():
    """The docs and site sessions run on the configuration's Python (``_docs_session``:
    ``nox.session(python=DOCS_PYTHON)``), install with its commands and build with its
    Sphinx arguments: each read from the file, none written in the noxfile."""
    tree = _noxfile()
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    assigned = {
        ast.unparse(t): n.value for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
    }
    assert ast.unparse(assigned["DOCS_PYTHON"]) == "docs_env.python_version()"
    assert "docs_env.sphinx_build_args" in _calls(assigned["SPHINX_ARGS"])
    session_kw = [
        kw
        for n in ast.walk(funcs["_docs_session"])
        if isinstance(n, ast.Call) and ast.unparse(n.func) == "nox.session"
        for kw in n.keywords
    ]
    assert any(kw.arg == "python" and ast.unparse(kw.value) == "DOCS_PYTHON" for kw in session_kw)
    assert {
        "docs_env.install_commands",
        "docs_env.pip_install_args",
        "docs_env.constraints_files",
    } <= _calls(funcs["_install_docs"])
    for name in ("docs", "site"):
        func = funcs[name]
        assert [ast.unparse(d) for d in func.decorator_list] == ["_docs_session"], name
        assert "_install_docs" in _calls(func), name
        runs = [
            ast.unparse(n)
            for n in ast.walk(func)
            if isinstance(n, ast.Call) and ast.unparse(n.func) == "session.run"
        ]
        assert any(
            r.startswith("session.run('python', '-m', 'sphinx', *SPHINX_ARGS") for r in runs
        ), name
        # nothing installed besides the configuration's commands but a dependency group
        installs = [
            n
            for n in ast.walk(func)
            if isinstance(n, ast.Call) and ast.unparse(n.func) == "session.install"
        ]
        assert all("sphinx-autobuild" in ast.unparse(n) for n in installs), name


# --------------------------------------------------------------------------- the constraints file
def _requirements() -> list[str]:
    """The project's dependencies and the ``site`` group's (``docs`` included)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    groups = project["dependency-groups"]

    def group(name: str) -> list[str]:
        out = []
        for item in groups[name]:
            out += group(item["include-group"]) if isinstance(item, dict) else [item]
        return out

    return [*project["project"]["dependencies"], *group("site")]


def test_constraints_pin_every_requirement_within_its_range():
    """docs/constraints.txt pins each package the docs environment asks for, at a version
    its requirement allows (``nox -s docs_lock`` rewrites it after a change)."""
    from packaging.requirements import Requirement

    pins = docs_env.pins()
    for text in _requirements():
        req = Requirement(text)
        name = docs_env.normalise(req.name)
        assert name in pins, f"{req.name} is not pinned in {docs_env.CONSTRAINTS}: nox -s docs_lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{docs_env.CONSTRAINTS} pins {req.name}=={pins[name]}, outside {text!r}: nox -s docs_lock"
        )
    for name in ("jax", "jaxlib", "flax", "numpy", "sphinx"):
        assert name in pins, name


def test_constraints_are_resolved_for_the_configurations_python():
    header = [
        line
        for line in (ROOT / docs_env.CONSTRAINTS).read_text().splitlines()
        if line.startswith("#    uv pip compile")
    ]
    assert len(header) == 1, "the file does not say how it was written"
    args = header[0].split()
    assert args[args.index("--python-version") + 1] == docs_env.python_version()
    assert args[args.index("--python-platform") + 1] == docs_env.PLATFORM


# --------------------------------------------------------------------------- the interpreter
def _script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_find_python_skips_a_shim_that_fails_and_finds_pyenvs(tmp_path, monkeypatch):
    """A pyenv shim for a version pyenv does not select exits with an error: the
    interpreter comes from pyenv's versions instead; none at all gives None."""
    shims = tmp_path / "shims"
    _script(shims / "python3.99", "echo 'pyenv: python3.99: command not found' >&2; exit 127")
    root = tmp_path / "pyenv"
    for v in ("3.99.1", "3.99.10", "3.990.0"):
        _script(
            root / "versions" / v / "bin" / "python3.99",
            "echo 3.99" if v != "3.990.0" else "echo 3.990",
        )
    monkeypatch.setenv("PYENV_ROOT", str(root))
    found = docs_env.find_python("3.99", path=str(shims))
    assert found == str(root / "versions" / "3.99.10" / "bin" / "python3.99")
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "none"))
    assert docs_env.find_python("3.99", path=str(shims)) is None


def test_expose_python_puts_only_that_interpreter_on_path(tmp_path, monkeypatch):
    root = tmp_path / "pyenv"
    exe = _script(root / "versions" / "3.99.2" / "bin" / "python3.99", "echo 3.99")
    _script(root / "versions" / "3.99.2" / "bin" / "python3", "echo 3.99")
    monkeypatch.setenv("PYENV_ROOT", str(root))
    monkeypatch.setenv("PATH", os.environ["PATH"])
    folder = tmp_path / "interpreters"
    assert docs_env.expose_python("3.99", folder) == str(exe)
    assert [p.name for p in folder.iterdir()] == ["python3.99"]
    assert shutil.which("python3.99") == str(folder / "python3.99")
    assert os.environ["PATH"].split(os.pathsep)[0] == str(folder)
