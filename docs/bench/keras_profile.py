"""Where Keras' NASNet forward pass spends its time: kernel time per op type from TensorFlow's step statistics, the
Keras side of `nasnet bench --profile` (same machine, same TensorFlow kernels, so the two lists compare line by line).

Not part of the build or the tests. In the venv of docs/bench/peer.py:

    /opt/kerasvenv/bin/python docs/bench/keras_profile.py NASNetLarge 4
    examples/target/bin/nasnet bench --preset large --batch 4 --profile
"""
import collections
import sys

import numpy as np
import tensorflow as tf
import keras
from tensorflow.python.eager import context

name, batch = sys.argv[1], int(sys.argv[2])
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
model = getattr(keras.applications, name)(weights=None)
size = model.input_shape[1]
x = tf.constant(np.random.default_rng(1).uniform(-1, 1, (batch, size, size, 3)).astype("float32"))
forward = tf.function(lambda t: model(t, training=False))
for _ in range(3):
    forward(x).numpy()
context.enable_run_metadata()
forward(x).numpy()
metadata = context.export_run_metadata()
context.disable_run_metadata()

times = collections.defaultdict(lambda: [0, 0])


def collect(step_stats):
    for device in step_stats.dev_stats:
        for node in device.node_stats:
            label = node.timeline_label
            if " = " not in label:
                continue
            op = label.split(" = ", 1)[1].split("(", 1)[0].strip()
            times[op][0] += 1
            times[op][1] += node.all_end_rel_micros


collect(metadata.step_stats)
total = sum(t for _, t in times.values())
print(f"profile (Keras {name} batch {batch}, one traced call, kernel time per op type):")
print(f"kernel time {total / 1e3:.1f} ms in {sum(c for c, _ in times.values()):,} kernels")
for op, (count, micros) in sorted(times.items(), key=lambda kv: -kv[1][1])[:top]:
    print(f"  {op:<32} {micros / 1e3:9.1f} ms {100 * micros / max(total, 1):5.1f}% {count:6d}")
