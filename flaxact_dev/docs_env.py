"""The documentation's environment: what ``.readthedocs.yaml`` says, what the constraints
file pins, and what the interpreter running a build has.

Read the Docs builds the site from ``.readthedocs.yaml``: its Python
(``build.tools.python``), its install commands (``build.jobs``), then Sphinx with its
configuration and ``fail_on_warning``. The ``docs`` and ``site`` sessions of the noxfile
build the same way, from this module: :func:`python_version`, :func:`install_commands` and
:func:`sphinx_build_args` read the file, so the Python version and the install commands
are written once, there. The install commands install with ``docs/constraints.txt``
(:data:`CONSTRAINTS`), every package of the docs environment pinned for that Python.

The noxfile imports it with nox's own interpreter, which has PyYAML beside nox (the
noxfile's script metadata asks nox for it; ``dev.py`` installs it with nox).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
READTHEDOCS = ROOT / ".readthedocs.yaml"
#: The pinned docs environment, relative to the repository root (as the install commands
#: name it): written by ``nox -s docs_lock``.
CONSTRAINTS = "docs/constraints.txt"
#: The platform the constraints are resolved for: Read the Docs' builders.
PLATFORM = "x86_64-unknown-linux-gnu"
#: The build jobs that install the environment, in the order Read the Docs runs them.
INSTALL_JOBS = ("pre_install", "install", "post_install")
#: Build jobs that would change how Read the Docs builds in a way the sessions do not
#: follow: a configuration using them fails :func:`install_commands` loudly.
UNFOLLOWED_JOBS = ("pre_build", "build", "post_build")
#: Where the build records the environment it ran in (in the HTML output folder).
BUILD_INFO = "build-info.json"


# --------------------------------------------------------------------------- the configuration
def config(path: Path = READTHEDOCS) -> dict[str, Any]:
    """``.readthedocs.yaml``, parsed."""
    return yaml.safe_load(path.read_text(encoding="utf8"))


def python_version(conf: dict[str, Any] | None = None) -> str:
    """The Python Read the Docs builds with (``build.tools.python``), e.g. ``"3.12"``."""
    conf = config() if conf is None else conf
    return str(conf["build"]["tools"]["python"])


def install_commands(conf: dict[str, Any] | None = None) -> list[list[str]]:
    """The commands Read the Docs runs to install the environment, split as a shell would:
    the ``pre_install``, ``install`` and ``post_install`` build jobs, in that order.

    Raises ``ValueError`` for a configuration the sessions could not follow: no ``install``
    job (Read the Docs would then install by its defaults), ``python.install`` entries,
    or jobs that replace the Sphinx build."""
    conf = config() if conf is None else conf
    jobs = conf.get("build", {}).get("jobs") or {}
    if not jobs.get("install"):
        raise ValueError(".readthedocs.yaml: build.jobs.install must list the install commands")
    if (conf.get("python") or {}).get("install"):
        raise ValueError(
            ".readthedocs.yaml: python.install is not followed; use build.jobs.install"
        )
    replaced = [job for job in UNFOLLOWED_JOBS if jobs.get(job)]
    if replaced:
        raise ValueError(
            f".readthedocs.yaml: build.jobs {replaced} are not followed by the sessions"
        )
    return [shlex.split(cmd) for job in INSTALL_JOBS for cmd in jobs.get(job) or []]


def pip_install_args(argv: list[str]) -> list[str] | None:
    """The arguments of a ``python -m pip install ...`` command (what ``session.install``
    takes, with pip or with uv), or ``None`` for any other command."""
    if argv[:4] == ["python", "-m", "pip", "install"]:
        return argv[4:]
    return None


def constraints_files(conf: dict[str, Any] | None = None) -> list[str]:
    """The constraints files the install commands pass (``-c`` / ``--constraint``)."""
    out = []
    for argv in install_commands(conf):
        for i, arg in enumerate(argv):
            if arg in ("-c", "--constraint") and i + 1 < len(argv):
                out.append(argv[i + 1])
            elif arg.startswith("--constraint="):
                out.append(arg.split("=", 1)[1])
    return out


def sphinx_build_args(
    outdir: str, doctreedir: str, conf: dict[str, Any] | None = None
) -> list[str]:
    """The arguments Read the Docs gives ``python -m sphinx`` for its HTML build: the folder
    of ``sphinx.configuration`` as the source, ``-W --keep-going`` when
    ``sphinx.fail_on_warning`` is set."""
    conf = config() if conf is None else conf
    sphinx = conf.get("sphinx") or {}
    if conf.get("mkdocs") or sphinx.get("builder", "html") != "html":
        raise ValueError(".readthedocs.yaml: the sessions follow a Sphinx HTML build only")
    source = Path(sphinx.get("configuration") or "docs/conf.py").parent.as_posix()
    strict = ["-W", "--keep-going"] if sphinx.get("fail_on_warning") else []
    return ["-T", *strict, "-b", "html", "-d", doctreedir, "-D", "language=en", source, outdir]


# --------------------------------------------------------------------------- the interpreter
def runs(exe: str, version: str) -> bool:
    """Whether ``exe`` starts and is Python ``version`` (a pyenv shim on PATH may name a
    version that the selected pyenv versions do not provide, and fail)."""
    try:
        out = subprocess.run(
            [exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and out.stdout.strip() == version


def find_python(version: str, path: str | None = None) -> str | None:
    """A ``python<version>`` that runs: from ``PATH``, else pyenv's (``$PYENV_ROOT``, by
    default ``~/.pyenv``: the newest ``versions/<version>.*``). ``None`` when neither has one."""
    found = shutil.which(f"python{version}", path=path)
    if found and runs(found, version):
        return found
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")

    def patch(p: Path) -> tuple[int, ...]:
        return tuple(int(v) for v in p.name.split("."))

    candidates = [
        p
        for p in root.glob(f"versions/{version}*")
        if re.fullmatch(rf"{re.escape(version)}(\.\d+)*", p.name)
    ]
    for prefix in sorted(candidates, key=patch, reverse=True):
        exe = prefix / "bin" / f"python{version}"
        if exe.is_file() and runs(str(exe), version):
            return str(exe)
    return None


def expose_python(version: str, folder: Path) -> str | None:
    """Make ``python<version>`` on ``PATH`` run: where the one found there does not (or
    there is none) and pyenv has one, link pyenv's into ``folder`` as its only file and
    put ``folder`` first on ``PATH``, so that nothing else on ``PATH`` is shadowed.
    Returns the interpreter, or ``None`` when there is none to be found."""
    exe = find_python(version)
    name = f"python{version}"
    on_path = shutil.which(name)
    if exe is None or (on_path and Path(on_path).resolve() == Path(exe).resolve()):
        return exe
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / name
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(exe)
    os.environ["PATH"] = str(folder) + os.pathsep + os.environ.get("PATH", "")
    return exe


# --------------------------------------------------------------------------- the constraints
def pins(path: Path | None = None) -> dict[str, str]:
    """``{normalised name: version}`` of each ``name==version`` line of the constraints file."""
    path = ROOT / CONSTRAINTS if path is None else path
    out = {}
    for line in path.read_text(encoding="utf8").splitlines():
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)", line)
        if m:
            out[normalise(m.group(1))] = m.group(2)
    return out


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


# --------------------------------------------------------------------------- the build's record
#: The distributions whose versions a build records, beside Python's and jax's own.
RECORDED = ("jax", "jaxlib", "flax", "numpy", "sphinx", "myst-nb", "sphinx-gallery")


def environment() -> dict[str, str]:
    """What the running interpreter builds with: the Python version, ``jax.__version__``
    and the installed versions of :data:`RECORDED` (``"not installed"`` where absent)."""
    from importlib import metadata

    out = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in RECORDED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    import jax  # the version the pages computed with, whatever the metadata says

    out["jax"] = jax.__version__
    return out


def cache_key(inputs: str, env: dict[str, str] | None = None) -> str:
    """16 hex digits over ``inputs`` (the digest of what the executed pages read,
    ``flaxact_dev.source.executed_inputs``) and :func:`environment`: the build keys its
    caches of executed output on it, so that pages computed with one jax are computed
    again with another."""
    env = environment() if env is None else env
    return hashlib.sha256(f"{inputs}\0{json.dumps(env, sort_keys=True)}".encode()).hexdigest()[:16]
