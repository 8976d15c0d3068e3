"""Check the built distributions, then the wheel installed into a fresh environment.

    python tools/check_package.py dists DIST          the sdist and wheel in DIST (stdlib only)
    python -I tools/check_package.py installed VERSION   in the fresh environment, from a
                                                       folder outside the checkout

``nox -s package`` builds, runs the first, installs the wheel and runs the second.
Each mode exits non-zero with one line per problem, naming what is missing or wrong.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

PACKAGE = "flaxact"
#: Files the sdist must hold (relative to its top folder), for a build from it to work.
SDIST_FILES = ["pyproject.toml", "README.md", "LICENSE", "flaxact/py.typed", "PKG-INFO"]


def check_dists(dist: Path) -> tuple[Path | None, str, list[str]]:
    """The wheel, its version and the problems found in the wheel and sdist of ``dist``."""
    wheels = sorted(dist.glob(f"{PACKAGE}-*.whl"))
    sdists = sorted(dist.glob(f"{PACKAGE}-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        return (
            None,
            "",
            [
                f"expected one wheel and one sdist in {dist}, found {[p.name for p in wheels + sdists]}"
            ],
        )
    wheel, sdist = wheels[0], sdists[0]
    problems = []
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        info = next((n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA")), None)
        if info is None:
            return wheel, "", [f"wheel {wheel.name} has no *.dist-info/METADATA"]
        version = HeaderParser().parsestr(zf.read(f"{info}/METADATA").decode())["Version"]
    if info != f"{PACKAGE}-{version}.dist-info":
        problems.append(f"wheel's metadata folder is {info}/, not {PACKAGE}-{version}.dist-info/")
    for need in (f"{PACKAGE}/__init__.py", f"{PACKAGE}/py.typed", f"{info}/licenses/LICENSE"):
        if need not in names:
            problems.append(f"wheel lacks {need}")
    tops = {n.split("/")[0] + ("/" if "/" in n else "") for n in names}
    if extra := sorted(tops - {f"{PACKAGE}/", f"{info}/"}):
        problems.append(f"wheel ships more than {PACKAGE}/ and {info}/: {', '.join(extra)}")

    top = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as tf:
        members = set(tf.getnames())
    problems += [f"sdist lacks {f}" for f in SDIST_FILES if f"{top}/{f}" not in members]
    return wheel, version, problems


def check_installed(version: str) -> list[str]:
    """Use the installed package as a user would; the problems found."""
    import importlib.resources
    import sysconfig

    import jax
    import jax.numpy as jnp
    import numpy as np

    import flaxact

    problems = []
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    where = Path(flaxact.__file__).resolve()
    if not where.is_relative_to(site):
        problems.append(f"flaxact imported from {where}, not from the environment's {site}")
    if flaxact.__version__ != version:
        problems.append(f"flaxact.__version__ is {flaxact.__version__!r}, the wheel's {version!r}")
    if not importlib.resources.files(flaxact).joinpath("py.typed").is_file():
        problems.append("installed flaxact lacks py.typed")

    x = jnp.linspace(-8.0, 8.0, 1001, dtype=jnp.float32)

    def close(what: str, got, want) -> None:  # float32: a few ulps apart at most
        got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
        if got.shape != want.shape:
            problems.append(f"{what} has shape {got.shape}, jax.nn's {want.shape}")
            return
        bad = ~np.isclose(got, want, rtol=1e-6, atol=1e-6)
        if bad.any():
            i = np.argmax(np.where(bad, np.abs(got - want), -1))
            problems.append(
                f"{what} differs from jax.nn at {bad.sum()} of {bad.size} points"
                f" (worst at x={float(x[i])}: {float(got[i])}, jax.nn {float(want[i])})"
            )

    for name in ("relu", "gelu", "silu", "sigmoid", "softplus", "softmax", "log_softmax"):
        close(f"flaxact.{name}", getattr(flaxact, name)(x), getattr(jax.nn, name)(x))
    grad = jax.vmap(jax.grad(flaxact.silu))(x)
    close("jax.grad of flaxact.silu", grad, jax.vmap(jax.grad(jax.nn.silu))(x))

    want = jax.nn.leaky_relu(x, 0.25)
    linen = flaxact.PReLU(negative_slope_init=0.25)
    close(
        "flaxact.PReLU (linen) init+apply", linen.apply(linen.init(jax.random.key(0), x), x), want
    )
    close("flaxact.nnx.PReLU", flaxact.nnx.PReLU(0.25)(x), want)
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("dists", "installed"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "dists":
        wheel, version, problems = check_dists(Path(argv[1]))
        if wheel:
            print(f"package: {wheel.name}, version {version}")
    else:
        problems = check_installed(argv[1])
    for problem in problems:
        print(f"package: {problem}", file=sys.stderr)
    if not problems and argv[0] == "installed":
        print(f"package: flaxact {argv[1]} from site-packages: py.typed, matches jax.nn, PReLU OK")
    elif not problems:
        print("package: dists OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
