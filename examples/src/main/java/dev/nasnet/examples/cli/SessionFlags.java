package dev.nasnet.examples.cli;

import dev.nasnet.core.runtime.SessionOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * TensorFlow session options for every command ({@code nasnet train --threads 2 ...}): each flag sets the library's
 * {@link SessionOptions#defaults()}, which every session the command creates uses.
 */
final class SessionFlags {
  /** The command these flags were given to, for the usage line of a refused value. */
  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  /** The split {@code auto} stands for on this machine. */
  private static final SessionOptions AUTO = SessionOptions.branchParallel(Runtime.getRuntime().availableProcessors());

  private static int intraOp = AUTO.intraOpThreads();
  private static int interOp = AUTO.interOpThreads();
  private static boolean memoryGrowth = true;
  private static double memoryFraction;
  private static String gpus = "";
  private static boolean logPlacement;
  private static boolean bfloat16;

  @Option(names = "--threads", defaultValue = "auto", scope = ScopeType.INHERIT, paramLabel = "N|auto",
      description = "threads one TensorFlow op may use; 0 lets TensorFlow choose (all cores); auto splits the cores "
          + "with --inter-op-threads for NASNet's branches (on 2 cores: 1 thread per op, 2 ops at once)")
  void threads(String v) {
    intraOp = threadCount("--threads", v, AUTO.intraOpThreads());
    apply();
  }

  @Option(names = "--inter-op-threads", defaultValue = "auto", scope = ScopeType.INHERIT, paramLabel = "N|auto",
      description = "TensorFlow ops run at once (NASNet's branches are independent); 0 lets TensorFlow choose; auto "
          + "as for --threads")
  void interOpThreads(String v) {
    interOp = threadCount("--inter-op-threads", v, AUTO.interOpThreads());
    apply();
  }

  private int threadCount(String flag, String v, int auto) {
    if (v.equals("auto")) {
      return auto;
    }
    int[] n = new int[1];
    check(() -> {
      try {
        n[0] = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " takes a thread count or auto, got '" + v + "'");
      }
      CliChecks.inRange(flag, n[0], 0, 1024);
    });
    return n[0];
  }

  @Option(names = "--gpu-memory-growth", defaultValue = "true", arity = "1", paramLabel = "true|false",
      scope = ScopeType.INHERIT, description = "take GPU memory as needed instead of nearly all of it at start")
  void gpuMemoryGrowth(boolean v) {
    memoryGrowth = v;
    apply();
  }

  @Option(names = "--gpu-memory-fraction", defaultValue = "0", scope = ScopeType.INHERIT, paramLabel = "F",
      description = "the largest share of each GPU's memory to take; 0 for TensorFlow's default")
  void gpuMemoryFraction(double v) {
    check(() -> CliChecks.inRange("--gpu-memory-fraction", v, 0, true, 1));
    memoryFraction = v;
    apply();
  }

  @Option(names = "--visible-gpus", defaultValue = "", scope = ScopeType.INHERIT, paramLabel = "LIST",
      description = "GPUs this process may use, e.g. 0 or 0,1; none for the CPU only (empty: all; "
          + "CUDA_VISIBLE_DEVICES also applies)")
  void gpus(String v) {
    check(() -> {
      if (!v.isEmpty() && !v.equals(SessionOptions.NO_GPU) && !v.matches("\\d+(,\\d+)*")) {
        throw new IllegalArgumentException("--visible-gpus takes GPU indices such as 0 or 0,1, or none, got '" + v
            + "'");
      }
    });
    gpus = v;
    apply();
  }

  @Option(names = "--log-placement", scope = ScopeType.INHERIT,
      description = "log the device of every op (TensorFlow's log, on stderr)")
  void logPlacement(boolean v) {
    logPlacement = v;
    apply();
  }

  @Option(names = "--bf16", scope = ScopeType.INHERIT,
      description = "run convolutions and matrix products in bfloat16 (TensorFlow's oneDNN mixed precision; "
          + "variables and updates stay float32); needs a CPU with AVX512_BF16 or AMX")
  void bf16(boolean v) {
    check(() -> {
      if (v && !SessionOptions.cpuHasBfloat16()) {
        throw new IllegalArgumentException("--bf16: this CPU has neither AVX512_BF16 nor AMX-BF16 (per "
            + "/proc/cpuinfo), so bfloat16 would be emulated and slower than float32");
      }
    });
    bfloat16 = v;
    apply();
  }

  /** A refused value as picocli's own parameter error: one line naming the option, then the usage. */
  private void check(Runnable rule) {
    try {
      rule.run();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
    }
  }

  private static void apply() {
    SessionOptions.setDefaults(SessionOptions.defaults().withThreads(intraOp, interOp)
        .withGpuMemory(memoryGrowth, memoryFraction).withVisibleGpus(gpus).withLogPlacement(logPlacement).withBfloat16(bfloat16));
  }
}
