"""Reference speed of Keras NASNet on this machine, for comparison with `nasnet.jar bench`.

Not part of the build or the tests. Run it in a venv with the tensorflow_cpu and keras wheels:
    python3 docs/bench/keras_reference.py
It times the forward pass like the Java bench: warm-up, then the median of 10 runs, random weights.
"""
import statistics
import time

import numpy as np
import tensorflow as tf
import keras


def bench(name, model, size, batch, runs=10, warmup=3):
    x = tf.constant(np.random.default_rng(1).uniform(-1, 1, (batch, size, size, 3)).astype("float32"))
    forward = tf.function(lambda t: model(t, training=False))
    for _ in range(warmup):
        forward(x).numpy()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        forward(x).numpy()
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(f"keras {name} batch {batch}: median {median * 1e3:.1f} ms = {batch / median:.1f} images/s "
          f"(params {model.count_params():,})")


mobile = keras.applications.NASNetMobile(weights=None)
bench("NASNetMobile", mobile, 224, 32)
bench("NASNetMobile", mobile, 224, 1, runs=20)
large = keras.applications.NASNetLarge(weights=None)
bench("NASNetLarge", large, 331, 4)
