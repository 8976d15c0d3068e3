# /// script
# dependencies = ["nox>=2025.2.9", "pyyaml>=6"]
# ///
"""Development sessions: ``nox -s tests``, ``doctests``, ``lint`` (and ``package``, ``docs``,
``site``, ``doctests_gpu``, ``bench``).

Every session installs the package and a dependency group from pyproject.toml into a
fresh virtual environment, with uv when it is available (several times faster);
``package`` builds the sdist and wheel and installs the wheel alone into one of its own.

``tests`` and ``doctests`` run at both ends of the supported range: ``tests(lowest)`` on
the lowest Python of requires-python with pyproject's lower bounds pinned
(``.ci/constraints-lowest.txt``), ``tests(newest)`` on the newest Python found with the
newest releases. dev.py finds the interpreters (pyenv's too, see its docstring).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nox
from packaging.version import Version

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "tests", "doctests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
CPU_ENV = {"JAX_PLATFORMS": "cpu", "PYTHONHASHSEED": "0"}

# The repository's own modules: dev.py (the README's commands), the scripts in tools/ and
# the development package flaxact_dev
sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev  # noqa: E402
from flaxact_dev import docs_env  # noqa: E402
from tools import check_package  # noqa: E402
from tools import doctests_gpu as gpu_doctests  # noqa: E402

# --- the supported range: its two ends -----------------------------------------------------
# pyenv's Pythons made reachable as pythonX.Y, for nox's interpreter search (dev.py does
# this for the sessions it starts; here for nox run directly)
os.environ.update(dev.python_env(os.environ))
#: The lowest end: requires-python's lowest Python, with these pins (pyproject's lower
#: bounds; tests/tooling/test_supported_range.py checks they agree).
LOWEST_PYTHON = dev.lowest_python()
LOWEST_PINS = ".ci/constraints-lowest.txt"
#: The newest end: the newest Python found, with the newest releases that install on it.
#: Without one newer than the lowest, a version range nox reports as not found.
_major, _minor = LOWEST_PYTHON.split(".")
NEWEST_PYTHON = dev.newest_python(os.environ, LOWEST_PYTHON) or f">={_major}.{int(_minor) + 1}"
ENDS = [
    nox.param(LOWEST_PYTHON, "lowest", id="lowest"),
    nox.param(NEWEST_PYTHON, "newest", id="newest"),
]
#: The distributions whose versions each end reports (and the lowest end checks).
REPORTED = ("jax", "jaxlib", "flax", "numpy")
_VERSIONS = (
    "import json, sys; from importlib.metadata import version as v; "
    "print(json.dumps({'python': sys.version.split()[0], **{n: v(n) for n in sys.argv[1:]}}))"
)


def _pins(path: str = LOWEST_PINS) -> dict[str, str]:
    """``{name: version}`` of the ``name==version`` lines of a constraints file."""
    lines = Path(path).read_text(encoding="utf8").splitlines()
    pairs = (line.split("#")[0].strip().split("==") for line in lines)
    return {pair[0].strip(): pair[1].strip() for pair in pairs if len(pair) == 2}


def _install_end(session: nox.Session, end: str) -> None:
    """The package and the test group at one end of the supported range; logs the versions
    installed, and fails where the lowest end's differ from its pins."""
    how = ["-c", LOWEST_PINS] if end == "lowest" else ["--upgrade"]  # newest: the highest
    session.install(*how, "-e", ".", *nox.project.dependency_groups(PYPROJECT, "test"))
    pins = _pins()
    out = session.run("python", "-c", _VERSIONS, *dict.fromkeys([*REPORTED, *pins]), silent=True)
    if not out:  # nothing ran (nox --install-only)
        return
    versions = json.loads(out.strip().splitlines()[-1])
    session.log(f"{end} end: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    if end == "lowest":
        wrong = [
            f"{name} {versions.get(name)}, pinned {pin}"
            for name, pin in pins.items()
            if Version(versions.get(name, "0")) != Version(pin)
        ]
        if wrong:
            session.error(f"the lowest end has {'; '.join(wrong)} ({LOWEST_PINS})")


def _install(session: nox.Session, *groups: str) -> None:
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting of the whole repository."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
@nox.parametrize(("python", "end"), ENDS)
def tests(session: nox.Session, end: str) -> None:
    """Unit, property, numerical-accuracy, module, registry and sharding tests on CPU."""
    _install_end(session, end)
    workers = os.environ.get("FLAXACT_TEST_WORKERS", "auto")
    session.run("pytest", "-n", workers, *session.posargs, env=CPU_ENV)


@nox.session
@nox.parametrize(("python", "end"), ENDS)
def doctests(session: nox.Session, end: str) -> None:
    """Every docstring example in the package, run as a doctest on CPU."""
    _install_end(session, end)
    session.run(
        "pytest",
        "--doctest-modules",
        "flaxact",
        "-p",
        "no:randomly",
        *session.posargs,
        env=CPU_ENV,
    )


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and wheel, check what they hold, install the wheel (not editable) into
    a fresh environment and use it from outside the checkout (logic in ``tools/check_package.py``).

    Builds with uv (``uv build``: the sdist, then the wheel from it) where nox has it, else
    with ``python -m build``; jax, flax and numpy come from the package index.
    """
    check = check_package
    script = str(Path(check.__file__).resolve())
    tmp = Path(session.create_tmp()).resolve()
    dist, env, cwd = tmp / "dist", tmp / "fresh-env", tmp / "cwd"
    for path in (dist, env, cwd):
        shutil.rmtree(path, ignore_errors=True)
    cwd.mkdir()
    python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
    uv = session.venv_backend == "uv"
    if uv:
        session.run("uv", "build", "--out-dir", str(dist), external=True)
    else:
        session.install("build")
        session.run("python", "-m", "build", "--outdir", str(dist))
    wheel, version, problems = check.check_dists(dist)
    if problems:
        session.error("package: " + "; ".join(problems))
    session.log(f"package: {wheel.name} and its sdist hold what they should")
    if uv:
        session.run("uv", "venv", "--quiet", "--python", sys.executable, str(env), external=True)
        session.run(
            "uv", "pip", "install", "--quiet", "--python", str(python), str(wheel), external=True
        )
    else:
        session.run("python", "-m", "venv", str(env))
        session.run(str(python), "-m", "pip", "install", "-q", str(wheel), external=True)
    with session.chdir(cwd):  # -I: neither the checkout nor PYTHONPATH on sys.path
        session.run(str(python), "-I", script, "installed", version, env=CPU_ENV, external=True)


# --- documentation site ------------------------------------------------------------------
# The docs and site sessions build as Read the Docs does, from .readthedocs.yaml: its Python,
# its install commands (which install with the pinned docs/constraints.txt), then Sphinx with
# its configuration and fail_on_warning (flaxact_dev/docs_env.py reads the file, with the
# PyYAML that the script metadata above has nox install beside itself).

DOCS_PYTHON = docs_env.python_version()
DOCS_OUT = "docs/_build/html"
#: Read the Docs' Sphinx arguments, and -j: the same build, read and executed in parallel.
SPHINX_ARGS = [*docs_env.sphinx_build_args(DOCS_OUT, "docs/_build/doctrees"), "-j", "auto"]
# python<version> where nox looks for it, on PATH: pyenv's when PATH has none that runs
_DOCS_INTERPRETER = docs_env.expose_python(
    DOCS_PYTHON, Path(__file__).resolve().parent / ".nox" / "interpreters"
)
_NO_DOCS_PYTHON = (
    f"Read the Docs builds with Python {DOCS_PYTHON} (.readthedocs.yaml, build.tools.python) "
    f"and so do the docs and site sessions, but no python{DOCS_PYTHON} is on PATH or in pyenv "
    f"(${{PYENV_ROOT:-~/.pyenv}}/versions/{DOCS_PYTHON}.*): install Python {DOCS_PYTHON} "
    f"(e.g. `pyenv install {DOCS_PYTHON}`) or put its python{DOCS_PYTHON} on PATH"
)


def _docs_session(func):
    """A session on Read the Docs' Python; without that Python, one that says so."""
    if _DOCS_INTERPRETER:
        return nox.session(python=DOCS_PYTHON)(func)

    def missing(session: nox.Session) -> None:
        session.error(_NO_DOCS_PYTHON)

    missing.__name__, missing.__doc__ = func.__name__, func.__doc__
    return nox.session(python=False, name=func.__name__)(missing)


def _install_docs(session: nox.Session, *groups: str) -> None:
    """Read the Docs' install commands, then the ``groups`` (with the same constraints),
    byte-compiled.

    Each ``python -m pip install ARGS`` of .readthedocs.yaml runs as ``session.install(ARGS)``:
    pip's own arguments, given to uv (``uv pip install``) where nox has it, else to pip.
    Any other command runs as written, in the session's environment.

    A build starts a dozen Python processes (Sphinx, notebook kernels, gallery workers). Without
    .pyc files, each compiles jax, flax and matplotlib from source again (seconds per process)
    wherever PYTHONDONTWRITEBYTECODE is set, as on this project's machines. pip compiles
    at install; uv does when asked; an environment made before is compiled once.
    """
    env = {"UV_COMPILE_BYTECODE": "1"}
    for argv in docs_env.install_commands():
        args = docs_env.pip_install_args(argv)
        if args is None:
            session.run_install(*argv, env=env)
        else:
            session.install(*args, env=env)
    constraints = [a for c in docs_env.constraints_files() for a in ("-c", c)]
    for group in groups:
        session.install("--group", group, *constraints, env=env)
    marker = Path(session.virtualenv.location, ".bytecode-compiled")
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = None if marker.exists() else session.run_install("python", "-c", purelib, silent=True)
    if site:  # None where nox skips installs (--no-install)
        # -qq: a few packages ship files for other Pythons that do not compile
        session.run_install(
            "python", "-m", "compileall", "-qq", "-j", "0", site.strip(), success_codes=[0, 1]
        )
        marker.touch()
    # The guides' notebook kernels run on this machine only, over loopback TCP; ipykernel 7.4
    # warns at every kernel start that such a connection is unencrypted (eight lines a
    # build). The venv's own IPython configuration (sys.prefix/etc/ipython, read by every
    # kernel of this environment) raises the kernels' log level past that warning.
    config = Path(session.virtualenv.location, "etc", "ipython", "ipython_kernel_config.py")
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('c.IPKernelApp.log_level = "ERROR"\n')


@_docs_session
def docs(session: nox.Session) -> None:
    """Build the site warning-free and offline, as Read the Docs does (.readthedocs.yaml);
    ``nox -s docs -- --serve`` rebuilds live."""
    _install_docs(session)
    if "--serve" in session.posargs:
        session.install("sphinx-autobuild>=2025.8.25")
        extra = [a for a in session.posargs if a != "--serve"]
        session.run(
            "sphinx-autobuild",
            "docs",
            DOCS_OUT,
            "-n",
            "--keep-going",
            "--watch",
            "flaxact",
            "--watch",
            "gallery",
            # written by the build itself: watching them would rebuild forever
            "--ignore",
            "*/auto_gallery/*",
            "--ignore",
            "*/generated/*",
            "--ignore",
            "*/_build/*",
            "--ignore",
            "*/gen_modules/*",
            "--ignore",
            "*/sg_execution_times.rst",
            *extra,
            env=CPU_ENV,
        )
        return
    session.run("python", "-m", "sphinx", *SPHINX_ARGS, *session.posargs, env=CPU_ENV)
    index = Path(DOCS_OUT, "index.html").resolve()
    session.log(f"The site is built: open file://{index}")


#: The documentation tests (the site's and the results'), run again against the built site
#: by ``nox -s site``: the folders that hold them.
SITE_TESTS = ["tests/site", "tests/results"]


@_docs_session
def site(session: nox.Session) -> None:
    """Build the site as Read the Docs does (``docs``), then check it: its pages and
    results (against the built site too), the environment it was built in, and, in
    headless Chromium, how it renders."""
    _install_docs(session, "site")  # besides Read the Docs' own: pytest, Playwright
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        # Debian's Chromium; the test skips (saying why) only when this is impossible.
        for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
            session.run(*cmd, external=True, success_codes=[0, 100])
    session.run("python", "-m", "sphinx", *SPHINX_ARGS, env=CPU_ENV)
    # Read the Docs installs the project as a wheel, which leaves out flaxact_dev: the
    # tests import it (and the library) from the checkout
    root = str(Path(__file__).resolve().parent)
    session.run(
        "pytest",
        *SITE_TESTS,
        "-p",
        "no:randomly",
        *session.posargs,
        env={**CPU_ENV, "FLAXACT_SITE": str(Path(DOCS_OUT).resolve()), "PYTHONPATH": root},
    )


@nox.session(venv_backend="none")
def docs_lock(session: nox.Session) -> None:
    """Pin the docs environment: resolve the project's dependencies and the ``site``
    dependency group (which includes ``docs``) for Read the Docs' Python and platform into
    docs/constraints.txt, with uv. Keeps the pins already there where they still fit;
    ``nox -s docs_lock -- --upgrade`` takes the newest releases."""
    # uv on PATH, else the one installed beside nox (python3 dev.py installs both)
    uv = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if not uv:
        session.error("docs_lock needs uv: on PATH or installed beside nox")
    cmd = [
        "uv",
        "pip",
        "compile",
        "pyproject.toml",
        "--group",
        "site",
        "--python-version",
        DOCS_PYTHON,
        "--python-platform",
        docs_env.PLATFORM,
        "--output-file",
        docs_env.CONSTRAINTS,
    ]
    session.run(uv, *cmd[1:], "--no-header", "--quiet", *session.posargs, external=True)
    path = Path(docs_env.CONSTRAINTS)
    header = (
        "# The docs environment, pinned: what Read the Docs (.readthedocs.yaml) and the docs and\n"
        f"# site sessions install, for Python {DOCS_PYTHON} on {docs_env.PLATFORM}. Written by\n"
        "# `nox -s docs_lock` (`-- --upgrade` for the newest releases), which runs\n"
        f"#    {' '.join(cmd)}\n"
    )
    path.write_text(header + path.read_text())


@nox.session(venv_backend="none")
def doctests_gpu(session: nox.Session) -> None:
    """Every docstring example with JAX on a CUDA GPU (logic in ``tools/doctests_gpu.py``).

    Uses an existing interpreter that already has jax with CUDA and pytest (no install,
    so it works offline): ``$FLAXACT_GPU_PYTHON``, else ``python3`` on PATH. Skips when
    that interpreter sees no GPU, unless ``FLAXACT_REQUIRE_GPU=1``, which makes it fail.
    """
    python = os.environ.get("FLAXACT_GPU_PYTHON") or shutil.which("python3") or sys.executable
    gpu = gpu_doctests
    ok, info = gpu.probe(python)
    if not ok:
        msg = f"doctests_gpu: no CUDA GPU visible to {python} ({info})"
        if os.environ.get("FLAXACT_REQUIRE_GPU") == "1":
            session.error(msg + "; FLAXACT_REQUIRE_GPU=1 demands one")
        session.skip(msg)
    session.log(f"doctests_gpu: {info} via {python}")
    junit = Path(session.create_tmp()).resolve() / "doctests_gpu.xml"
    junit.unlink(missing_ok=True)
    try:
        session.run(
            *gpu.pytest_command(python, junit, list(session.posargs)),
            env=gpu.pytest_env(),
            external=True,
        )
    finally:
        gpu.record(info, junit)


@nox.session
def bench(session: nox.Session) -> None:
    """Accuracy, speed, cost and exhaustive-sweep benchmarks: results to
    benchmarks/results/{accuracy,speed,cost,exhaustive}-<platform>.json.

    ``nox -s bench -- --quick`` runs a reduced grid, one size and shape and the default
    parameters only, writing to a temporary folder (a smoke test, not a result).
    """
    _install(session, "test")
    quick = "--quick" in session.posargs
    acc = ["--dense", "200001", "--logs", "20000"] if quick else []
    speed = ["--sizes", "65536", "--shapes", "256x1024", "--repeats", "20", "--defaults-only"]
    speed = speed if quick else []
    # compile time, program size and saved memory (quick: the minimum of 5 compiles)
    cost = ["--repeats", "5", "--defaults-only"] if quick else []
    tmp = session.create_tmp()
    acc_out = ["--out", os.path.join(tmp, "accuracy.json")] if quick else []
    speed_out = ["--out", os.path.join(tmp, "speed.json")] if quick else []
    cost_out = ["--out", os.path.join(tmp, "cost.json")] if quick else []
    session.run("python", "benchmarks/accuracy.py", *acc, *acc_out, env=CPU_ENV)
    session.run("python", "benchmarks/speed.py", *speed, *speed_out, env=CPU_ENV)
    session.run("python", "benchmarks/cost.py", *cost, *cost_out, env=CPU_ENV)
    # every float32 in 1/16 <= |x| < 128, minutes (quick: two cases, one binade pair)
    sweep = ["--only", "sigmoid", "gelu", "--lo", "-1", "--hi", "1"] if quick else []
    sweep_out = ["--out", os.path.join(tmp, "exhaustive.json")] if quick else []
    session.run("python", "benchmarks/exhaustive.py", *sweep, *sweep_out, env=CPU_ENV)
