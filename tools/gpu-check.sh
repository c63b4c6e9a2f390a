#!/usr/bin/env bash
# GPU smoke check: builds with -Pgpu (TensorFlow Java's CUDA native jar), confirms TensorFlow places NASNet-A Mobile's
# ops on a GPU, runs inference and a few training steps there, compares the GPU's logits with the CPU's on the same
# weights (max difference) and prints images/s and steps/s for both.
#
#   tools/gpu-check.sh            # build, then check
#   tools/gpu-check.sh --no-build # check with the jar already in examples/target
#
# Exit codes: 0 passed; 1 the GPU's results differ from the CPU's or the check failed; 2 the build failed;
# 3 no GPU (no driver, no device, or a CPU-only jar): a machine without a GPU says so and exits 3.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--no-build" ]; then
  if ! mvn -B -q -Pgpu package -DskipTests; then
    echo "gpu-check: the -Pgpu build failed" >&2
    exit 2
  fi
fi
jar=examples/target/nasnet.jar
echo "jar: $jar ($(du -h "$jar" | cut -f1))"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
else
  echo "nvidia-smi: not found (no NVIDIA driver on this machine)"
fi
start=$(date +%s%N)
TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-1} java -cp "$jar" dev.nasnet.examples.GpuCheck
code=$?
echo "gpu-check: exit $code after $(( ($(date +%s%N) - start) / 1000000 )) ms"
exit $code
