#!/usr/bin/env python3
"""The two README commands, on a machine that has only Python 3.11+.

    python3 dev.py docs   build the whole site (docs/_build/html/index.html)
    python3 dev.py test   run every check: lint, tests, doctests, the package (sdist and wheel
                          built, the wheel installed into a fresh environment and used),
                          the site build + browser check

Creates ``.venv-dev`` with nox and uv on first use, then hands over to ``nox``;
extra arguments go to nox (``python3 dev.py test -- -k gelu``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv-dev"
TOOLS = ["nox>=2025.2.9", "uv>=0.5"]
TARGETS = {
    "test": ["lint", "tests", "doctests", "package", "site"],
    "docs": ["docs"],
}


def _bin(name: str) -> Path:
    sub = "Scripts" if os.name == "nt" else "bin"
    return VENV / sub / name


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TARGETS:
        print(__doc__, file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        print("flaxact needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not _bin("nox").exists():
        print(f"dev.py: creating {VENV.name} with {', '.join(TOOLS)}", flush=True)
        venv.create(VENV, with_pip=True)
        subprocess.run([_bin("python"), "-m", "pip", "install", "-q", *TOOLS], check=True)
    env = dict(os.environ, PATH=f"{_bin('nox').parent}{os.pathsep}{os.environ['PATH']}")
    cmd = [str(_bin("nox")), "-f", str(ROOT / "noxfile.py"), "-s", *TARGETS[argv[0]], *argv[1:]]
    return subprocess.run(cmd, env=env, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
