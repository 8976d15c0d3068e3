#!/usr/bin/env python3
"""The two README commands, on a machine that has only Python 3.11+.

    python3 dev.py docs   build the whole site (docs/_build/html/index.html)
    python3 dev.py test   run every check: lint; the tests and doctests at both ends of the
                          supported range; the package (sdist and wheel built, the wheel
                          installed into a fresh environment and used); the site build +
                          browser check
    python3 dev.py test --end lowest   (or newest) the same, with only that end's tests
                                       and doctests

The two ends of the supported range (nox sessions ``tests(lowest)``, ``doctests(lowest)``,
``tests(newest)``, ``doctests(newest)``):

    lowest   the lowest Python of requires-python, with pyproject.toml's lower bounds of
             jax, jaxlib, flax and numpy pinned (.ci/constraints-lowest.txt)
    newest   the newest Python found here, with the newest releases that install on it

Interpreters are looked up as ``pythonX.Y`` on PATH. Where pyenv is installed, every
CPython it has becomes reachable there: PYENV_VERSION lists them all, the selected one
first (so ``python3`` stays what it was) and then newest first. Without a Python newer
than the lowest, the newest end is not run and dev.py says so, before and after the run;
with CI=true (as .ci/run and GitHub Actions set it) that is a failure instead.

Creates ``.venv-dev`` with nox, PyYAML and uv on first use, then hands over to ``nox``;
extra arguments go to nox (``python3 dev.py test -- -k gelu``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv-dev"
#: nox and what the noxfile imports (its script metadata names the same), and uv.
TOOLS = ["nox>=2025.2.9", "pyyaml>=6", "uv>=0.5"]
#: The two ends of the supported range, as the noxfile names them: ``tests(lowest)``, ...
ENDS = ("lowest", "newest")
#: The nox sessions of each command; ``{end}`` stands for each end that runs.
TARGETS = {
    "test": ["lint", "tests({end})", "doctests({end})", "package", "site"],
    "docs": ["docs"],
}


def _bin(name: str) -> Path:
    sub = "Scripts" if os.name == "nt" else "bin"
    return VENV / sub / name


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def lowest_python() -> str:
    """The lowest Python of pyproject.toml's ``requires-python`` (``">=3.11"``: ``"3.11"``)."""
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as f:
        spec = tomllib.load(f)["project"]["requires-python"]
    m = re.fullmatch(r">=\s*(\d+\.\d+)", spec.strip())
    if m is None:
        raise SystemExit(f"dev.py: requires-python {spec!r} is not '>=X.Y'")
    return m.group(1)


def python_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with every CPython release that pyenv has installed made runnable as
    ``pythonX.Y`` through pyenv's shims: PYENV_VERSION lists the selected version(s) first,
    then the others, newest first. Unchanged where pyenv is not on PATH."""
    env = dict(environ)
    pyenv = shutil.which("pyenv", path=env.get("PATH"))
    if pyenv is None:
        return env

    def ask(*args: str) -> str:
        out = subprocess.run([pyenv, *args], env=env, capture_output=True, text=True)
        return out.stdout if out.returncode == 0 else ""

    selected = [v for v in ask("version-name").strip().split(":") if v]
    installed = [v for v in ask("versions", "--bare").split() if re.fullmatch(r"\d+(\.\d+)+", v)]
    others = sorted(set(installed) - set(selected), key=_version, reverse=True)
    if others:
        env["PYENV_VERSION"] = ":".join([*selected, *others])
    return env


def find_python(version: str, env: Mapping[str, str]) -> str | None:
    """``python<version>`` on ``env``'s PATH, if it runs (a pyenv shim of a version that is
    not selected is on PATH but does not)."""
    exe = shutil.which(f"python{version}", path=env.get("PATH"))
    if exe is None:
        return None
    ok = subprocess.run([exe, "-c", "pass"], env=dict(env), capture_output=True).returncode == 0
    return exe if ok else None


def newest_python(env: Mapping[str, str], above: str) -> str | None:
    """The newest ``X.Y`` newer than ``above`` whose ``pythonX.Y`` on PATH runs, or None."""
    found = set()
    for folder in env.get("PATH", "").split(os.pathsep):
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        found.update(m.group(1) for n in names if (m := re.fullmatch(r"python(3\.\d+)", n)))
    for version in sorted(found, key=_version, reverse=True):
        if _version(version) > _version(above) and find_python(version, env):
            return version
    return None


def sessions(target: str, ends: tuple[str, ...] | list[str]) -> list[str]:
    """The nox sessions of a command, for the ``ends`` that run."""
    out = []
    for name in TARGETS[target]:
        out.extend(dict.fromkeys(name.format(end=end) for end in ends))
    return out


def plan(
    target: str, ends: list[str], found: Mapping[str, str | None], lowest: str, ci: bool
) -> tuple[list[str] | None, list[str]]:
    """The sessions to run, and what to say about the ends that cannot run.

    ``found`` maps each end to its interpreter (None where there is none); ``lowest`` is
    the lowest Python's version. Returns ``(None, messages)`` where the command must
    fail: an end cannot run under CI, or no requested end can run at all.
    """
    if target != "test":
        return sessions(target, ends), []
    why = {
        "lowest": f"no python{lowest} (requires-python's lowest) was found",
        "newest": f"no Python newer than {lowest} was found",
    }
    missing = [end for end in ends if not found.get(end)]
    messages = [
        f"dev.py: the {end} end of the supported range was NOT run: {why[end]}"
        " (on PATH, or installed by pyenv)"
        for end in missing
    ]
    if missing and ci:
        return None, [*messages, "dev.py: with CI=true every end must run: failing"]
    runnable = [end for end in ends if end not in missing]
    if not runnable:
        return None, [*messages, "dev.py: no end of the supported range can run: failing"]
    return sessions(target, runnable), messages


def _split_end(args: list[str]) -> tuple[list[str], list[str]]:
    """``--end lowest|newest`` (before any ``--``) taken out of the arguments for nox."""
    k = args.index("--") if "--" in args else len(args)
    ends, rest, head = list(ENDS), [], iter(args[:k])
    for arg in head:
        if arg == "--end":
            arg = "--end=" + next(head, "")
        if not arg.startswith("--end="):
            rest.append(arg)
        elif (value := arg.removeprefix("--end=")) in ENDS:
            ends = [value]
        else:
            raise SystemExit(f"dev.py: --end takes one of {', '.join(ENDS)}, not {value!r}")
    return ends, [*rest, *args[k:]]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TARGETS:
        print(__doc__, file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        print("flaxact needs Python 3.11 or newer", file=sys.stderr)
        return 2
    target, (ends, nox_args) = argv[0], _split_end(argv[1:])
    if not _bin("nox").exists():
        print(f"dev.py: creating {VENV.name} with {', '.join(TOOLS)}", flush=True)
        venv.create(VENV, with_pip=True)
        subprocess.run([_bin("python"), "-m", "pip", "install", "-q", *TOOLS], check=True)
    env = python_env(os.environ)
    env["PATH"] = f"{_bin('nox').parent}{os.pathsep}{env['PATH']}"
    found: dict[str, str | None] = {}
    lowest = lowest_python()
    if target == "test":
        newest = newest_python(env, lowest)
        found = {"lowest": find_python(lowest, env), "newest": newest and find_python(newest, env)}
        for end, version in (("lowest", lowest), ("newest", newest)):
            if end in ends and found[end]:
                print(f"dev.py: the {end} end runs on Python {version} ({found[end]})", flush=True)
    ci = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
    chosen, messages = plan(target, ends, found, lowest, ci)
    for line in messages:
        print(line, file=sys.stderr, flush=True)
    if chosen is None:
        return 1
    cmd = [str(_bin("nox")), "-f", str(ROOT / "noxfile.py"), "-s", *chosen, *nox_args]
    code = subprocess.run(cmd, env=env, cwd=ROOT).returncode
    for line in messages:  # again after the run's output, where it is read
        print(line, file=sys.stderr, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
