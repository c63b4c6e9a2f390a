#!/usr/bin/env bash
# Full-size check: our NASNet-A Mobile and Large against Keras 3.15's NASNetMobile/NASNetLarge on the same (random)
# weights and batch-norm statistics, all 1000 logits. Needs the Keras venv of make_fixtures.py and the built jar.
#   mvn -B -q package -DskipTests && tools/keras-reference/full-check.sh /tmp/keras-full
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/keras-full}
python=${KERAS_PYTHON:-/opt/kerasvenv/bin/python}
[ -f "$out/large.logits.f32" ] || TF_CPP_MIN_LOG_LEVEL=2 "$python" tools/keras-reference/full_models.py "$out"
for preset in mobile large; do
  TF_CPP_MIN_LOG_LEVEL=2 java -cp examples/target/nasnet.jar dev.nasnet.examples.KerasReferenceCheck "$preset" "$out"
done
