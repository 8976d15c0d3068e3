"""Run every registered activation inside jax.jit on arrays sharded over 8 CPU devices.

Started by tests/library/test_sharding.py in a fresh interpreter, because the simulated device
count must be fixed before JAX initialises. Prints one JSON line per check.
"""

from __future__ import annotations

import functools
import json
import os

os.environ["XLA_FLAGS"] = (
    os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=8"
).strip()
os.environ["JAX_PLATFORMS"] = "cpu"

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

import flaxact

REQUIRED = {"one_hot": {"num_classes": 5}}


def main() -> None:
    assert jax.device_count() == 8, jax.devices()
    mesh = Mesh(np.array(jax.devices()).reshape(8), ("d",))
    rng = np.random.default_rng(0)
    for rec in flaxact.records():
        fn = functools.partial(rec.example_fn, **REQUIRED.get(rec.name, {}))
        if rec.name == "one_hot":
            x = rng.integers(-1, 6, size=(16, 32)).astype(np.int32)
        else:
            x = (rng.standard_normal((16, 32)) * 3).astype(np.float32)
            if rec.name == "log1mexp":
                x = np.abs(x) + 0.01
        want = np.asarray(jax.jit(fn)(x))
        # shard the batch axis, then the last axis: the one softmax, glu & co. reduce or split
        for spec in (P("d", None), P(None, "d")):
            xs = jax.device_put(x, NamedSharding(mesh, spec))
            out = jax.jit(fn)(xs)
            got = np.asarray(out)
            ok = got.shape == want.shape and np.allclose(got, want, rtol=1e-6, atol=1e-6)
            print(
                json.dumps(
                    {
                        "name": rec.name,
                        "spec": str(spec),
                        "ok": bool(ok),
                        "devices": len(out.sharding.device_set),
                        "max_abs_diff": float(np.max(np.abs(got - want)))
                        if got.shape == want.shape
                        else None,
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
