"""Run every docstring example with JAX on a CUDA GPU and record the outcome.

    python3 tools/doctests_gpu.py [pytest args]     (or: nox -s doctests_gpu)

Made for GPU machines that already have jax with CUDA and pytest and no network: it
installs nothing and uses the interpreter that runs it (``nox -s doctests_gpu`` passes
``$FLAXACT_GPU_PYTHON`` or ``python3``). The checkout is put on ``PYTHONPATH``.

Exit status: 0 when the doctests pass, or when no GPU is visible (a skip, with a message
saying so); 1 when they fail, or when ``FLAXACT_REQUIRE_GPU=1`` and no GPU is visible.
On a run, the device, jax version and counts go to ``docs/_data/gpu_doctests.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "docs" / "_data" / "gpu_doctests.json"

PROBE = """
import jax
gpus = [d for d in jax.devices() if d.platform == "gpu"]
if gpus:
    print(f"gpu {len(gpus)}x {gpus[0].device_kind}, jax {jax.__version__}")
else:
    print(f"none: devices are {jax.devices()}")
"""


def probe(python: str) -> tuple[bool, str]:
    """Whether ``python`` sees a CUDA GPU, and a one-line description."""
    env = {k: v for k, v in os.environ.items() if k != "JAX_PLATFORMS"}
    try:
        res = subprocess.run(
            [python, "-c", PROBE],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return False, f"{python}: {err}"
    out = res.stdout.strip().splitlines()
    line = out[-1] if out else ""
    if res.returncode == 0 and line.startswith("gpu "):
        return True, line.removeprefix("gpu ")
    why = line or (res.stderr.strip().splitlines() or ["jax could not start"])[-1]
    return False, why


def pytest_command(python: str, junit: Path, extra: list[str]) -> list[str]:
    return [
        python,
        "-m",
        "pytest",
        "--doctest-modules",
        str(ROOT / "flaxact"),
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        f"--junitxml={junit}",
        *extra,
    ]


def pytest_env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "JAX_PLATFORMS": "cuda", "PYTHONPATH": path}


def record(info: str, junit: Path) -> dict | None:
    """Write the run's outcome to docs/_data/gpu_doctests.json."""
    if not junit.is_file():
        return None
    root = ET.parse(junit).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    counts = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
    device, _, jax_version = info.partition(", jax ")
    data = {
        "device": device,
        "jax": jax_version,
        "passed": counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"],
        **counts,
        "command": "nox -s doctests_gpu (python3 tools/doctests_gpu.py)",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    RECORD.write_text(json.dumps(data, indent=2) + "\n")
    return data


def main(argv: list[str]) -> int:
    python = sys.executable
    ok, info = probe(python)
    if not ok:
        msg = f"doctests_gpu: no CUDA GPU visible to {python} ({info})"
        if os.environ.get("FLAXACT_REQUIRE_GPU") == "1":
            print(msg + "; FLAXACT_REQUIRE_GPU=1 demands one", file=sys.stderr)
            return 1
        print(msg + ": skipped", file=sys.stderr)
        return 0
    print(f"doctests_gpu: {info} via {python}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "doctests_gpu.xml"
        rc = subprocess.run(
            pytest_command(python, junit, argv), env=pytest_env(), cwd=ROOT, check=False
        ).returncode
        data = record(info, junit)
    if data:
        print(json.dumps(data))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
