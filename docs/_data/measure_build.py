"""Measure the site's build times and write them to ``docs/_data/build_times.json``.

    python docs/_data/measure_build.py   (with the docs environment active, e.g. in nox)

Runs the same command as ``nox -s docs`` twice: a cold build (every output, generated
page, gallery example and notebook removed first) and then a rebuild with nothing
changed. The development page and the README show the numbers from the JSON file;
nobody types them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
OUT = DOCS / "_build" / "html"
GENERATED = ("_build", "generated", "auto_gallery", "gen_modules")
CMD = [
    sys.executable,
    "-m",
    "sphinx",
    "-W",
    "-n",
    "--keep-going",
    "-j",
    "auto",
    "-b",
    "html",
    str(DOCS),
    str(OUT),
]


def _build() -> tuple[float, bool]:
    """Seconds for one build, and whether it was clean (exit status 0 under -W)."""
    start = time.perf_counter()
    rc = subprocess.run(
        CMD,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JAX_PLATFORMS": "cpu"},
    ).returncode
    return round(time.perf_counter() - start, 1), rc == 0


def main() -> None:
    import sphinx

    for name in GENERATED:
        shutil.rmtree(DOCS / name, ignore_errors=True)
    load = os.getloadavg()[0]
    cold, cold_clean = _build()
    rebuild, rebuild_clean = _build()
    record = {
        "cold_build_s": cold,
        "no_change_rebuild_s": rebuild,
        "builds_clean": cold_clean and rebuild_clean,
        "load_average_at_start": round(load, 1),
        "targets_s": {"cold_build": 90, "no_change_rebuild": 10},
        "cpu_cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "sphinx": sphinx.__version__,
        "command": "sphinx-build -W -n --keep-going -j auto -b html docs docs/_build/html",
        "measured": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    path = DOCS / "_data" / "build_times.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
