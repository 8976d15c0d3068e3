"""Every activation works inside jax.jit on arrays sharded over 8 (simulated CPU) devices."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import flaxact

WORKER = Path(__file__).with_name("_sharding_worker.py")


def test_every_activation_under_sharding():
    env = dict(os.environ)
    env.pop("XLA_FLAGS", None)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, str(WORKER)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    checked = {r["name"] for r in rows}
    assert checked == set(flaxact.names()), set(flaxact.names()) ^ checked
    bad = [r for r in rows if not r["ok"]]
    assert not bad, bad
    # the computation really ran on all 8 devices where the input was sharded
    assert all(r["devices"] == 8 for r in rows if r["name"] not in ("logsumexp",)), rows
