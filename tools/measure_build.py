"""Measure the site's build times and write them to ``docs/_data/build_times.json``.

    python tools/measure_build.py   (with the docs environment's Python, e.g.
                                    .nox/docs/bin/python after ``nox -s docs``)

Runs the same command as ``nox -s docs`` twice: a cold build (every output, generated
page, gallery example, notebook and cache removed first) and then a rebuild with nothing
changed. The development page shows the JSON file, and the script writes the summary
line of the README's development section (between ``<!-- build-times -->`` markers):
nobody types the numbers.

Next to each wall time it records what else the machine was doing, since other work on
a 2-core machine shows up in the times: the load average before and after, the CPU time
the build itself used (Sphinx and every process it started), and the CPU time the rest
of the machine used meanwhile (from ``/proc/stat``, where there is one). It also records
whether the environment's packages are byte-compiled: without ``.pyc`` files (and with
``PYTHONDONTWRITEBYTECODE`` set) every process of the build compiles jax from source.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GENERATED = ("_build", "generated", "auto_gallery", "gen_modules")
# run as a script by the docs environment's Python, which has flaxact but not the
# repository's development package installed
sys.path.insert(0, str(ROOT))
from flaxact_dev import docs_env  # noqa: E402

#: The build of ``nox -s docs``: Read the Docs' Sphinx arguments (.readthedocs.yaml), run
#: from the repository root, and -j auto.
ARGS = [*docs_env.sphinx_build_args("docs/_build/html", "docs/_build/doctrees"), "-j", "auto"]
CMD = [sys.executable, "-m", "sphinx", *ARGS]


def _load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def _busy_cpu_s() -> float | None:
    """CPU seconds all processes of the machine have used so far (None off Linux)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _build(name: str) -> dict[str, object]:
    """One build: wall time, whether it was clean (exit 0 under -W), CPU time, load."""
    load_before, busy0, own0 = _load(), _busy_cpu_s(), _children_cpu_s()
    start = time.perf_counter()
    rc = subprocess.run(
        CMD,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "JAX_PLATFORMS": "cpu"},
    ).returncode
    wall = time.perf_counter() - start
    own = _children_cpu_s() - own0
    busy1 = _busy_cpu_s()
    record: dict[str, object] = {
        f"{name}_s": round(wall, 1),
        f"{name}_clean": rc == 0,
        f"{name}_cpu_s": round(own, 1),
    }
    if busy0 is not None and busy1 is not None:
        record[f"{name}_other_processes_cpu_s"] = round(max(0.0, busy1 - busy0 - own), 1)
    record[f"{name}_load_average_before"] = load_before
    record[f"{name}_load_average_after"] = _load()
    return record


def _byte_compiled() -> bool:
    """Whether jax, the largest package a build imports, has .pyc files for this Python."""
    spec = importlib.util.find_spec("jax")
    origin = Path(spec.origin) if spec and spec.origin else None
    if origin is None:
        return False
    return Path(importlib.util.cache_from_source(str(origin))).is_file()


def _where(prefix: Path) -> str:
    return str(prefix.relative_to(ROOT)) if prefix.is_relative_to(ROOT) else str(prefix)


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(DOCS), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def main() -> None:
    import sphinx

    for name in GENERATED:
        shutil.rmtree(DOCS / name, ignore_errors=True)
    cold = _build("cold_build")
    rebuild = _build("no_change_rebuild")
    record = {
        "cold_build_s": cold.pop("cold_build_s"),
        "no_change_rebuild_s": rebuild.pop("no_change_rebuild_s"),
        "targets_s": {"cold_build": 90, "no_change_rebuild": 10},
        "builds_clean": cold.pop("cold_build_clean") & rebuild.pop("no_change_rebuild_clean"),
        **cold,
        **rebuild,
        "cpu_cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "environment": f"{_where(Path(sys.prefix))}, byte-compiled: {_byte_compiled()}",
        "sphinx": sphinx.__version__,
        "command": "python -m sphinx " + " ".join(ARGS),
        "commit": _commit(),
        "measured": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    path = DOCS / "_data" / "build_times.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))
    _readme(record)


def _readme(r: dict[str, object]) -> None:
    """The README's summary line, from the record."""
    readme = ROOT / "README.md"
    other = r.get("cold_build_other_processes_cpu_s")
    line = (
        f"Measured {str(r['measured'])[:10]} ({r['commit']}, {r['cpu_cores']} cores): cold build"
        f" {r['cold_build_s']} s, no-change rebuild {r['no_change_rebuild_s']} s; load"
        f" average before the cold build {r['cold_build_load_average_before']}"
        + (f", other processes' CPU time during it {other} s" if other is not None else "")
        + ("." if r["builds_clean"] else "; a build was NOT clean.")
    )
    text = readme.read_text()
    new = re.sub(
        r"(<!-- build-times -->).*?(<!-- /build-times -->)",
        lambda m: m.group(1) + line + m.group(2),
        text,
        flags=re.DOTALL,
    )
    if new != text:
        readme.write_text(new)


if __name__ == "__main__":
    main()
