"""Where Keras' time goes: kernel time per TensorFlow op type for one step of a peer.py row, in the layout of ours.

Not part of the build or the tests. Runs in the same venv as peer.py (see its docstring), offline, one row or all:

    /opt/kerasvenv/bin/python docs/bench/keras_ops.py --row mobile-b32
    /opt/kerasvenv/bin/python docs/bench/keras_ops.py --row all

and is the Keras side of `examples/target/bin/nasnet bench -p mobile --batch 32 --profile` (ours reads the same numbers
from a FULL_TRACE run's step stats). Rows are peer.py's ROWS, built by its keras_step, the step its keras_row times (random
weights, weights=None, random images, `--keras-bf16` for its mixed_bfloat16 policy):

    mobile-b32    NASNetMobile 224 inference, batch 32
    mobile-b1     NASNetMobile 224 inference, batch 1
    large-b4      NASNetLarge 331 inference, batch 4
    mobile-train  NASNetMobile 224 training step, batch 32 (SGD with momentum 0.9)

`all` means mobile-b32, large-b4 and mobile-train, each in a fresh process of this script so none inherits another's
thread pools or caches. Per row: 3 untimed steps, ONE step under TensorFlow's profiler
(`tf.profiler.experimental.start`/`stop` into a temporary directory under /tmp), then `--runs` untraced steps timed
to show what the profiler itself costs. The profiler writes an XSpace protobuf (`*.xplane.pb`), read here with the
`xplane_pb2` module TensorFlow ships: on the "/host:CPU" plane each thread is a line, and each TensorFlow op kernel the
executor ran is an event named "node_name:OpType" whose display name is the op type (`_MklNativeFusedConv2D` and other
oneDNN rewrites keep their own names, as in ours). Their durations are the kernel's wall time from start to end, like
the step stats ours reads; summed per op type they give the table. Kernels of independent branches overlap, so the
total can exceed the step's wall time, up to about wall time x cores.

TensorFlow 2.21's eager run metadata (`context.enable_run_metadata`) returns no kernel statistics for a tf.function,
which is why this goes through the profiler instead.
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # importing peer must leave no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import ROWS, keras_step  # noqa: E402  (the rows, and the step peer.py times)

ALL_ROWS = ["mobile-b32", "large-b4", "mobile-train"]


def xplane_module():
    """TensorFlow's generated protobuf module for the XSpace format; its package moved between releases."""
    for name in ("tensorflow.tsl.profiler.protobuf.xplane_pb2", "tsl.profiler.protobuf.xplane_pb2",
                 "tensorflow.core.profiler.protobuf.xplane_pb2"):
        try:
            return __import__(name, fromlist=["XSpace"])
        except ImportError:
            pass
    sys.exit("no xplane_pb2 module in this TensorFlow; look for it with find / -name xplane_pb2.py")


def kernels(space):
    """(op type, duration in ps) of every op kernel on the host CPU plane of an XSpace, plus how many were left out.

    Counted: events whose metadata name is "node:OpType" with the op type as display name, the TraceMe TensorFlow's
    executor puts around each OpKernel::Compute on its inter-op threads (lines "tf_Compute/..."). Not counted, by
    that rule, because they nest kernels or sit inside one: the executor's wrappers on the same threads
    (ExecutorState::Process spans the run of many kernels, ExecutorDoneCallback), the Python thread's tf.function /
    EagerExecute / KernelAndDeviceFunc::Run events that span the whole step, the ParallelFor and Memory(De)Allocation
    events inside a kernel, and the zero-length ThreadpoolListener markers (the intra-op "Eigen" threads have only
    those: the work they do for a kernel is inside that kernel's wall time on the executor thread, as in step stats).
    An op event that encloses another op event on the same thread would be a call op (PartitionedCall and the like)
    running its function body inline; counting both would count the body twice, so such enclosing events are left
    out and returned as `dropped` (none in these rows: Keras' tf.functions are inlined into one graph).
    """
    op_types = []
    dropped = 0
    for plane in space.planes:
        if plane.name != "/host:CPU":
            continue
        meta = plane.event_metadata
        for line in plane.lines:
            events = []
            for e in line.events:
                m = meta[e.metadata_id]
                if m.display_name and m.name.endswith(":" + m.display_name) and "::" not in m.name:
                    events.append((e.offset_ps, e.offset_ps + e.duration_ps, m.display_name))
            events.sort(key=lambda t: (t[0], -t[1]))
            encloses = [False] * len(events)
            open_events = []  # indices of events still running at the current start time, outermost first
            for i, (start, end, _) in enumerate(events):
                while open_events and events[open_events[-1]][1] <= start:
                    open_events.pop()
                for j in open_events:
                    encloses[j] = True
                open_events.append(i)
            for (start, end, op_type), outer in zip(events, encloses):
                if outer:
                    dropped += 1
                else:
                    op_types.append((op_type, end - start))
    return op_types, dropped


def format_table(op_types, limit):
    """Ours' StepTrace.formatTimeByOpType layout: the total, then per op type ms, share and kernel count."""
    sums = {}
    for op_type, ps in op_types:
        s = sums.setdefault(op_type, [0, 0])
        s[0] += 1
        s[1] += ps
    total = sum(s[1] for s in sums.values())
    rows = sorted(sums.items(), key=lambda kv: (-kv[1][1], kv[0]))
    out = [f"kernel time {total / 1e9:.1f} ms in {len(op_types):,} kernels"]
    for op_type, (count, ps) in rows[:limit] if limit > 0 else rows:
        share = 100.0 * ps / total if total else 0.0
        out.append(f"  {op_type:<32s} {ps / 1e9:9.1f} ms {share:5.1f}% {count:6d}")
    return "\n".join(out), total


def profile_row(row, bf16, runs, limit, keep):
    import tensorflow as tf

    step = keras_step(row, bf16)
    for _ in range(3):
        step().numpy()

    logdir = tempfile.mkdtemp(prefix="keras_ops_", dir="/tmp")
    options = tf.profiler.experimental.ProfilerOptions(host_tracer_level=2, python_tracer_level=0,
                                                       device_tracer_level=0)
    tf.profiler.experimental.start(logdir, options=options)
    t0 = time.perf_counter()
    step().numpy()
    traced = time.perf_counter() - t0
    tf.profiler.experimental.stop()

    untraced = []
    for _ in range(runs):
        t0 = time.perf_counter()
        step().numpy()
        untraced.append(time.perf_counter() - t0)

    files = glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True)
    if len(files) != 1:
        sys.exit(f"expected one *.xplane.pb under {logdir}, found {files}")
    space = xplane_module().XSpace()
    with open(files[0], "rb") as f:
        space.ParseFromString(f.read())
    op_types, dropped = kernels(space)
    if keep:
        print(f"trace kept in {files[0]}", file=sys.stderr)
    else:
        shutil.rmtree(logdir, ignore_errors=True)
    if not op_types:
        sys.exit("the trace holds no op kernels on /host:CPU")

    _, model_name, size, batch, training, _ = ROWS[row]
    table, total_ps = format_table(op_types, limit)
    cores = os.cpu_count()
    print(f"Keras {row}: {model_name} {size}, batch {batch}, {'training step' if training else 'inference'}, "
          f"{'mixed_bfloat16' if bf16 else 'float32'}")
    print(f"wall time: traced step {traced * 1e3:.1f} ms"
          + (f", untraced median of {runs} {statistics.median(untraced) * 1e3:.1f} ms" if runs else "")
          + f"; kernel time / (traced wall x {cores} cores) = {100 * total_ps / 1e12 / (traced * cores):.0f}%"
          + (f"; {dropped} enclosing call-op events left out" if dropped else ""))
    print("profile (one traced step, kernel time per op type):")
    print(table, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--row", required=True, help="one of " + ", ".join(ROWS) + ", or all (" + ", ".join(ALL_ROWS)
                        + ", each in its own process)")
    parser.add_argument("--runs", type=int, default=5, help="untraced steps timed after the traced one (default 5)")
    parser.add_argument("--limit", type=int, default=25, help="op types listed, the most expensive first; 0 for all "
                        "(default 25, as ours)")
    parser.add_argument("--keras-bf16", action="store_true", help="run Keras under its mixed_bfloat16 policy")
    parser.add_argument("--keep-trace", action="store_true", help="keep the profiler's directory under /tmp")
    args = parser.parse_args()
    if args.row == "all":
        for n, r in enumerate(ALL_ROWS):
            if n:
                print(flush=True)
            command = [sys.executable, os.path.abspath(__file__), "--row", r, "--runs", str(args.runs),
                       "--limit", str(args.limit)] + (["--keras-bf16"] if args.keras_bf16 else []) \
                + (["--keep-trace"] if args.keep_trace else [])
            if subprocess.run(command).returncode != 0:
                sys.exit(f"failed: {' '.join(command)}")
        return
    if args.row not in ROWS:
        sys.exit(f"unknown row '{args.row}'; rows are {', '.join(ROWS)}, all")
    profile_row(args.row, args.keras_bf16, args.runs, args.limit, args.keep_trace)


if __name__ == "__main__":
    main()
