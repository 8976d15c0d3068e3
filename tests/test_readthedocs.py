"""The Read the Docs configuration: valid against its published schema, and strict."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flaxact_dev.docs_testing import ROOT


def test_readthedocs_config_matches_schema():
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the test group")
    exe = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    result = subprocess.run(
        [exe, "--builtin-schema", "vendor.readthedocs", str(ROOT / ".readthedocs.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readthedocs_config_builds_strictly():
    yaml = pytest.importorskip("yaml", reason="pyyaml is in the test group")
    conf = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert conf["version"] == 2
    assert conf["build"]["os"] == "ubuntu-24.04"
    assert isinstance(conf["build"]["tools"]["python"], str)
    assert conf["sphinx"]["configuration"] == "docs/conf.py"
    assert conf["sphinx"]["fail_on_warning"] is True
    jobs = " ".join(" ".join(v) for v in conf["build"].get("jobs", {}).values())
    assert "--group docs" in jobs, "Read the Docs must install the docs dependency group"
