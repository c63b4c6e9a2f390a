"""nasnet-java against Keras on the same machine, alternating, in one run: one table of medians and ratios.

Not part of the build or the tests. Needs the `nasnet` launcher (`mvn -B -q package -DskipTests` builds
examples/target/bin/nasnet) and a Python with the tensorflow_cpu and keras wheels installed offline:

    python3 -m venv /opt/kerasvenv
    /opt/kerasvenv/bin/pip install --no-index --find-links "$(dirname "$(find / -name 'tensorflow_cpu-*.whl' \
        2>/dev/null | head -1)")" tensorflow_cpu keras
    /opt/kerasvenv/bin/python docs/bench/peer.py --rounds 2

Every measurement runs in a fresh process (ours: `nasnet bench ...`; Keras: this script with --keras-row), so each
has its own peak resident set size (wait4's ru_maxrss) and no warm cache from the other side. Within a round the rows
alternate ours, Keras, ours, Keras...; the table gives the median over rounds of each process's median time. Rows:

    mobile-b32    NASNet-A Mobile 224 inference, batch 32
    mobile-b1     NASNet-A Mobile 224 inference, batch 1
    large-b4      NASNet-A Large 331 inference, batch 4
    mobile-train  NASNet-A Mobile 224 training step, batch 32 (SGD with momentum 0.9; ours also runs its aux head,
                  label smoothing, drop path, weight decay and gradient clipping, Keras' application has none)

Both sides: random weights and images, 3 untimed runs, then the median of 10 (20 at batch 1). `--ours-flags` adds
flags to every `nasnet bench` call (e.g. `--ours-flags=--bf16`; the = keeps argparse from reading it as an option), `--keras-bf16` runs Keras under its
mixed_bfloat16 policy.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROWS = {
    # row: (our bench arguments, Keras model, image size, batch, training, timed runs)
    "mobile-b32": (["--preset", "mobile", "--batch", "32"], "NASNetMobile", 224, 32, False, 10),
    "mobile-b1": (["--preset", "mobile", "--batch", "1", "--runs", "20"], "NASNetMobile", 224, 1, False, 20),
    "large-b4": (["--preset", "large", "--batch", "4"], "NASNetLarge", 331, 4, False, 10),
    "mobile-train": (["--preset", "mobile", "--batch", "32", "--train"], "NASNetMobile", 224, 32, True, 10),
}


def keras_step(row, bf16):
    """One Keras step of a row, built in this process: a function that runs it and returns a tensor."""
    import numpy as np
    import tensorflow as tf
    import keras

    if bf16:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")

    _, model_name, size, batch, training, _ = ROWS[row]
    model = getattr(keras.applications, model_name)(weights=None)
    rng = np.random.default_rng(1)
    x = tf.constant(rng.uniform(-1, 1, (batch, size, size, 3)).astype("float32"))
    if training:
        y = tf.constant(np.arange(batch) % 1000, dtype=tf.int32)
        optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
        loss_fn = keras.losses.SparseCategoricalCrossentropy()

        @tf.function
        def step():
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            return loss
        return step
    forward = tf.function(lambda t: model(t, training=False))
    return lambda: forward(x)


def keras_row(row, bf16):
    """Runs one Keras measurement in this process and prints it as one JSON line."""
    _, _, _, batch, _, runs = ROWS[row]
    step = keras_step(row, bf16)
    for _ in range(3):
        step().numpy()
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        step().numpy()
        seconds.append(time.perf_counter() - t0)
    print(json.dumps({"images_per_second": batch / statistics.median(seconds)}))


def measure(command):
    """Runs command; returns (its stdout, its peak RSS in MB)."""
    with tempfile.TemporaryFile("w+") as out:
        p = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit(f"failed ({status}): {' '.join(command)}")
        out.seek(0)
        return out.read(), usage.ru_maxrss / 1024


def ours(nasnet, row, flags):
    text, rss = measure([nasnet, "bench", *ROWS[row][0], *flags])
    m = re.search(r"= ([0-9.]+) images/s, ([0-9.]+) GFLOP/s", text)
    if not m:
        sys.exit(f"no result in: {text}")
    return float(m.group(1)), rss, float(m.group(2))


def keras(row, bf16):
    text, rss = measure([sys.executable, os.path.abspath(__file__), "--keras-row", row]
                        + (["--keras-bf16"] if bf16 else []))
    return json.loads(text.strip().splitlines()[-1])["images_per_second"], rss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated, from: " + ", ".join(ROWS))
    parser.add_argument("--nasnet", default=os.path.join(os.path.dirname(__file__), "../../examples/target/bin/nasnet"))
    parser.add_argument("--ours-flags", default="", help="extra flags for every nasnet bench call")
    parser.add_argument("--keras-bf16", action="store_true",
                        help="run Keras under its mixed_bfloat16 policy (compare with --ours-flags --bf16)")
    parser.add_argument("--keras-row", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.keras_row:
        keras_row(args.keras_row, args.keras_bf16)
        return
    rows = args.rows.split(",")
    for r in rows:
        if r not in ROWS:
            sys.exit(f"unknown row '{r}'; rows are {', '.join(ROWS)}")
    flags = args.ours_flags.split()
    results = {r: {"ours": [], "keras": [], "ours_rss": [], "keras_rss": [], "peak_pct": []} for r in rows}
    peaks = []
    for n in range(args.rounds):
        text, _ = measure([args.nasnet, "bench", "--peak"])
        peaks.append(float(re.search(r"median ([0-9.]+) GFLOP/s", text).group(1)))
        for r in rows:
            ips, rss, gflops = ours(args.nasnet, r, flags)
            results[r]["ours"].append(ips)
            results[r]["ours_rss"].append(rss)
            results[r]["peak_pct"].append(100 * gflops / peaks[-1])
            kips, krss = keras(r, args.keras_bf16)
            results[r]["keras"].append(kips)
            results[r]["keras_rss"].append(krss)
            print(f"round {n + 1} {r}: ours {ips:.1f} images/s ({rss:.0f} MB), Keras {kips:.1f} images/s "
                  f"({krss:.0f} MB)", file=sys.stderr, flush=True)
    med = statistics.median
    print(f"FP32 matmul peak (nasnet bench --peak), per round: {', '.join(f'{p:.1f}' for p in peaks)} GFLOP/s")
    print(f"ours: nasnet bench {' '.join(flags)}".rstrip() + "; Keras: "
          + ("mixed_bfloat16" if args.keras_bf16 else "float32") + f"; {args.rounds} rounds, medians")
    print()
    print("| row | ours (images/s) | Keras (images/s) | ours/Keras | ours, % of the round's peak | ours peak RSS (MB) "
          "| Keras peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        x = results[r]
        print(f"| {r} | {med(x['ours']):.1f} | {med(x['keras']):.1f} | {med(x['ours']) / med(x['keras']):.2f}x "
              f"| {med(x['peak_pct']):.0f}% | {med(x['ours_rss']):.0f} | {med(x['keras_rss']):.0f} |")
    print()
    print("per round, ours / Keras images/s: " + "; ".join(
        f"{r} " + ", ".join(f"{a:.1f}/{b:.1f}" for a, b in zip(results[r]["ours"], results[r]["keras"]))
        for r in rows))


if __name__ == "__main__":
    main()
