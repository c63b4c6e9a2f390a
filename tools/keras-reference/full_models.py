"""Keras 3.15's NASNetMobile and NASNetLarge with random weights and batch-norm statistics, for the full-size check.

Writes, for each of mobile and large, into OUT: NASNet-<name>-random.h5 (the published files' legacy layout),
<name>.input.f32 (2 images in [-1, 1]) and <name>.logits.f32 (Keras' 1000 logits, classifier_activation=None).
Then `tools/keras-reference/full-check.sh OUT` runs our models on the same weights and prints the max difference.

    /opt/kerasvenv/bin/python tools/keras-reference/full_models.py /tmp/keras-full
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import randomize, save_keras2_layout, write_f32  # noqa: E402

import keras  # noqa: E402


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, build, size in (("mobile", keras.applications.NASNetMobile, 224),
                              ("large", keras.applications.NASNetLarge, 331)):
        rng = np.random.default_rng(2026)
        model = build(weights=None, classifier_activation=None)
        randomize(model, rng)
        x = rng.uniform(-1, 1, (2, size, size, 3)).astype(np.float32)
        logits = model.predict(x, verbose=0)
        save_keras2_layout(model, os.path.join(out, f"NASNet-{name}-random.h5"))
        write_f32(os.path.join(out, name + ".input.f32"), x)
        write_f32(os.path.join(out, name + ".logits.f32"), logits)
        print(name, "params", model.count_params(), "max |logit|", float(np.abs(logits).max()), flush=True)


if __name__ == "__main__":
    main()
