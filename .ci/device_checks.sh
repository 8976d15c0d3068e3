#!/usr/bin/env bash
# Everything a GPU machine is asked for, in one run (docs/development.md, "On a GPU"):
# the docstring examples on the GPU, then the accuracy, speed and cost benchmarks there
# (cost: compile time, program size, kernels launched and saved memory against jax.nn).
#
#   bash .ci/device_checks.sh        # from the repository root, with jax[cuda] installed
#
# Results go into the folder $OUT names when it is set (to collect them from one folder
# on a remote machine), else in place: docs/_data/gpu_doctests.json and
# benchmarks/results/{accuracy,speed,cost}-gpu.json.
# Installs nothing and needs no network. Exit status: the first failing step's.
set -u
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
unset JAX_PLATFORMS
PY=${FLAXACT_GPU_PYTHON:-python3}
dest=${OUT:-}
status=0
step() {  # step NAME COMMAND...: run, time and report one step; keep the first failure
    local name=$1 start=$SECONDS rc
    shift
    echo "== $name"
    "$@"
    rc=$?
    echo "== $name: exit $rc after $((SECONDS - start)) s"
    if [ "$status" -eq 0 ] && [ "$rc" -ne 0 ]; then status=$rc; fi
}
out() {  # out FILE: --out where the result should go
    if [ -n "$dest" ]; then echo "--out $dest/$1"; fi
}
FLAXACT_REQUIRE_GPU=1 step doctests "$PY" tools/doctests_gpu.py
if [ -n "$dest" ]; then cp docs/_data/gpu_doctests.json "$dest/" 2>/dev/null; fi
# shellcheck disable=SC2046
step accuracy "$PY" benchmarks/accuracy.py $(out accuracy-gpu.json)
# shellcheck disable=SC2046
step speed "$PY" benchmarks/speed.py --defaults-only $(out speed-gpu.json)
# shellcheck disable=SC2046
step cost "$PY" benchmarks/cost.py --defaults-only $(out cost-gpu.json)
exit "$status"
