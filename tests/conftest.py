"""Test-session setup: JAX runs on the CPU unless the caller chose a platform."""

from __future__ import annotations

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
