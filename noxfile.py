"""Development sessions: ``nox -s tests``, ``doctests``, ``lint`` (and ``docs``, ``doctests_gpu``, ``bench``).

Every session installs the package and a dependency group from pyproject.toml into a
fresh virtual environment, with uv when it is available (several times faster).
"""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "tests", "doctests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
CPU_ENV = {"JAX_PLATFORMS": "cpu", "PYTHONHASHSEED": "0"}


def _install(session: nox.Session, *groups: str) -> None:
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting of the whole repository."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, property, numerical-accuracy, module, registry and sharding tests on CPU."""
    _install(session, "test")
    workers = os.environ.get("FLAXACT_TEST_WORKERS", "auto")
    session.run("pytest", "-n", workers, *session.posargs, env=CPU_ENV)


@nox.session
def doctests(session: nox.Session) -> None:
    """Every docstring example in the package, run as a doctest on CPU."""
    _install(session, "test")
    session.run(
        "pytest", "--doctest-modules", "flaxact", "-p", "no:randomly", *session.posargs,
        env=CPU_ENV,
    )
