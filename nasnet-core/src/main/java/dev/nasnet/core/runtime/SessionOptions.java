package dev.nasnet.core.runtime;

import com.google.common.base.Preconditions;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * How TensorFlow runs a session, set in one place for every session the library creates ({@link GraphSession}):
 * thread pools, GPU memory, visible GPUs, the number of CPU devices, soft placement and placement logging.
 * {@link #defaults()} is process-wide (the CLI sets it from {@code --threads}, {@code --inter-op-threads},
 * {@code --gpu-memory-growth}, {@code --gpu-memory-fraction}, {@code --visible-gpus}, {@code --log-placement}); a component
 * that needs its own, such as the search controller's single thread, passes them explicitly.
 *
 * @param intraOpThreads threads one op may use; 0 lets TensorFlow choose (the machine's cores). The defaults split
 *     the cores between this and {@code interOpThreads}, see {@link #branchParallel}
 * @param interOpThreads ops run at once; 0 lets TensorFlow choose. NASNet's branches are independent, so both pools
 *     matter
 * @param gpuMemoryGrowth allocate GPU memory as needed instead of nearly all of it up front
 * @param gpuMemoryFraction the largest share of each GPU's memory to take; 0 for TensorFlow's default
 * @param visibleGpus comma-separated GPU indices this process may use, e.g. "0,1"; empty for all; {@link #NO_GPU}
 *     for none (CPU only)
 * @param cpuDevices how many CPU devices to expose (more than 1 gives virtual devices, e.g. to test data-parallel
 *     towers without GPUs); 0 for TensorFlow's default of one
 * @param softPlacement place an op on the CPU when the requested device cannot run it
 * @param logPlacement log each op's device when the graph first runs (TensorFlow's own log, on stderr)
 * @param bfloat16 let TensorFlow's graph optimiser run the numerically safe ops (convolutions, matrix products and
 *     what lies between them) in bfloat16 on CPUs with oneDNN, keeping variables, updates and reductions in float32
 *     (its {@code auto_mixed_precision_onednn_bfloat16} pass). Fast where the CPU has AVX512_BF16 or AMX; results
 *     change in the third significant digit
 */
public record SessionOptions(int intraOpThreads, int interOpThreads, boolean gpuMemoryGrowth,
    double gpuMemoryFraction, String visibleGpus, int cpuDevices, boolean softPlacement, boolean logPlacement,
    boolean bfloat16) {

  /** {@link #visibleGpus()} that hides every GPU: the session runs on the CPU even where a GPU is present. */
  public static final String NO_GPU = "none";

  private static volatile SessionOptions defaults = branchParallel(Runtime.getRuntime().availableProcessors());

  public SessionOptions {
    Preconditions.checkArgument(intraOpThreads >= 0, "intra-op threads must not be negative, got %s",
        intraOpThreads);
    Preconditions.checkArgument(interOpThreads >= 0, "inter-op threads must not be negative, got %s",
        interOpThreads);
    Preconditions.checkArgument(gpuMemoryFraction >= 0 && gpuMemoryFraction <= 1,
        "GPU memory fraction must be in [0, 1], got %s", gpuMemoryFraction);
    Preconditions.checkNotNull(visibleGpus, "visibleGpus");
    Preconditions.checkArgument(visibleGpus.isEmpty() || visibleGpus.equals(NO_GPU)
        || visibleGpus.matches("\\d+(,\\d+)*"), "visible GPUs must be indices such as 0 or 0,1 (or '%s'), got '%s'",
        NO_GPU, visibleGpus);
    Preconditions.checkArgument(cpuDevices >= 0 && cpuDevices <= 64, "CPU devices must be in 0..64, got %s",
        cpuDevices);
  }

  /**
   * The options sessions get unless given others: threads split for NASNet's branches ({@link #branchParallel}), GPU
   * memory grown as needed (so several sessions, e.g. trials, can share a GPU), soft placement on, no placement log,
   * float32.
   */
  public static SessionOptions defaults() {
    return defaults;
  }

  /**
   * The initial {@link #defaults()} on a machine with {@code cores} cores: NASNet's threads split for its branches.
   * A cell's five blocks are independent, so running up to four ops side by side ({@code interOpThreads}) with the
   * cores shared among them ({@code intraOpThreads}) beats giving every op all cores one op at a time. Measured on
   * 2 cores (1 x 2 against TensorFlow's 2 x 2, Mobile inference, {@code nasnet bench}): batch 1 73.6 against 42.2
   * images/s, batch 32 109.5 against 103.0; Large batch 4 and training unchanged within noise. The split for more
   * cores follows the same rule and was not measured.
   */
  public static SessionOptions branchParallel(int cores) {
    Preconditions.checkArgument(cores >= 1, "cores must be positive, got %s", cores);
    int interOp = Math.min(cores, 4);
    return new SessionOptions(Math.max(1, cores / interOp), interOp, true, 0, "", 0, true, false, false);
  }

  /** Replaces {@link #defaults()} for sessions created from now on. */
  public static void setDefaults(SessionOptions options) {
    defaults = Preconditions.checkNotNull(options, "options");
  }

  /** One thread per op and one op at a time: reductions add in a fixed order, so runs repeat bit for bit. */
  public static SessionOptions deterministic() {
    return defaults().withThreads(1, 1);
  }

  public SessionOptions withThreads(int intraOp, int interOp) {
    return new SessionOptions(intraOp, interOp, gpuMemoryGrowth, gpuMemoryFraction, visibleGpus, cpuDevices,
        softPlacement, logPlacement, bfloat16);
  }

  public SessionOptions withGpuMemory(boolean growth, double fraction) {
    return new SessionOptions(intraOpThreads, interOpThreads, growth, fraction, visibleGpus, cpuDevices,
        softPlacement, logPlacement, bfloat16);
  }

  public SessionOptions withVisibleGpus(String gpus) {
    return new SessionOptions(intraOpThreads, interOpThreads, gpuMemoryGrowth, gpuMemoryFraction, gpus, cpuDevices,
        softPlacement, logPlacement, bfloat16);
  }

  public SessionOptions withCpuDevices(int n) {
    return new SessionOptions(intraOpThreads, interOpThreads, gpuMemoryGrowth, gpuMemoryFraction, visibleGpus, n,
        softPlacement, logPlacement, bfloat16);
  }

  public SessionOptions withSoftPlacement(boolean v) {
    return new SessionOptions(intraOpThreads, interOpThreads, gpuMemoryGrowth, gpuMemoryFraction, visibleGpus,
        cpuDevices, v, logPlacement, bfloat16);
  }

  public SessionOptions withLogPlacement(boolean v) {
    return new SessionOptions(intraOpThreads, interOpThreads, gpuMemoryGrowth, gpuMemoryFraction, visibleGpus,
        cpuDevices, softPlacement, v, bfloat16);
  }

  /** With bfloat16 mixed precision on or off (see {@link #bfloat16()}). */
  public SessionOptions withBfloat16(boolean v) {
    return new SessionOptions(intraOpThreads, interOpThreads, gpuMemoryGrowth, gpuMemoryFraction, visibleGpus,
        cpuDevices, softPlacement, logPlacement, v);
  }

  /** Whether this CPU has bfloat16 arithmetic (AVX512_BF16 or AMX-BF16, from /proc/cpuinfo); false where unknown. */
  public static boolean cpuHasBfloat16() {
    try {
      String info = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
      return info.contains(" avx512_bf16") || info.contains(" amx_bf16");
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  /** As JSON, e.g. to hand a trial JVM the options of the process that starts it. */
  public com.google.gson.JsonObject toJson() {
    com.google.gson.JsonObject o = new com.google.gson.JsonObject();
    o.addProperty("intra_op_threads", intraOpThreads);
    o.addProperty("inter_op_threads", interOpThreads);
    o.addProperty("gpu_memory_growth", gpuMemoryGrowth);
    o.addProperty("gpu_memory_fraction", gpuMemoryFraction);
    o.addProperty("visible_gpus", visibleGpus);
    o.addProperty("cpu_devices", cpuDevices);
    o.addProperty("soft_placement", softPlacement);
    o.addProperty("log_placement", logPlacement);
    o.addProperty("bfloat16", bfloat16);
    return o;
  }

  /** Reads {@link #toJson()}'s form; a missing field names itself. */
  public static SessionOptions fromJson(com.google.gson.JsonObject o) {
    java.util.function.Function<String, com.google.gson.JsonElement> f =
        k -> dev.nasnet.core.json.JsonFields.required(o, k, "session options");
    return new SessionOptions(f.apply("intra_op_threads").getAsInt(), f.apply("inter_op_threads").getAsInt(),
        f.apply("gpu_memory_growth").getAsBoolean(), f.apply("gpu_memory_fraction").getAsDouble(),
        f.apply("visible_gpus").getAsString(), f.apply("cpu_devices").getAsInt(),
        f.apply("soft_placement").getAsBoolean(), f.apply("log_placement").getAsBoolean(),
        // Absent in options written before bfloat16 existed.
        o.has("bfloat16") && o.get("bfloat16").getAsBoolean());
  }

  /** As TensorFlow's session config. */
  public ConfigProto toConfigProto() {
    GPUOptions.Builder gpu = GPUOptions.newBuilder().setAllowGrowth(gpuMemoryGrowth);
    if (gpuMemoryFraction > 0) {
      gpu.setPerProcessGpuMemoryFraction(gpuMemoryFraction);
    }
    if (!visibleGpus.isEmpty() && !visibleGpus.equals(NO_GPU)) {
      gpu.setVisibleDeviceList(visibleGpus);
    }
    ConfigProto.Builder b = ConfigProto.newBuilder().setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads).setAllowSoftPlacement(softPlacement)
        .setLogDevicePlacement(logPlacement).setGpuOptions(gpu);
    if (bfloat16) {
      b.setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder().setRewriteOptions(
          org.tensorflow.proto.RewriterConfig.newBuilder().setAutoMixedPrecisionOnednnBfloat16(
              org.tensorflow.proto.RewriterConfig.Toggle.ON)));
    }
    if (cpuDevices > 0) {
      b.putDeviceCount("CPU", cpuDevices);
    }
    if (visibleGpus.equals(NO_GPU)) {
      b.putDeviceCount("GPU", 0);
    }
    return b.build();
  }
}
