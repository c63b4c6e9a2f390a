package dev.nasnet.core.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * One run of a prepared runner with TensorFlow's full trace: every kernel that executed, with its device, op type and
 * time. The op type is read from the trace itself, so ops the graph optimiser created (fused convolutions, oneDNN
 * kernels) count under their own type rather than vanishing.
 *
 * @param nodes the kernels in the order the trace lists them
 */
public record StepTrace(List<Node> nodes) {

  /**
   * One executed kernel.
   *
   * @param device device type, e.g. {@code CPU} or {@code GPU}
   * @param name the node's name in the optimised graph
   * @param opType the kernel's op type, e.g. {@code Conv2D} or {@code _FusedConv2D}
   * @param micros wall time from the kernel's start to its end
   */
  public record Node(String device, String name, String opType, long micros) {}

  /** Time per op type over one step: {@code count} kernels taking {@code micros} in all. */
  public record OpTypeTime(String opType, int count, long micros) {}

  public StepTrace {
    nodes = List.copyOf(nodes);
  }

  /** Runs {@code runner} once with a full trace; the fetched tensors are closed. */
  public static StepTrace run(Session.Runner runner) {
    runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
    List<Node> nodes = new ArrayList<>();
    try (Result r = runner.runAndFetchMetadata()) {
      RunMetadata metadata = r.getMetadata().orElseThrow(
          () -> new IllegalStateException("TensorFlow returned no run metadata for the traced run"));
      for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
        String type = deviceType(device.getDevice());
        for (NodeExecStats node : device.getNodeStatsList()) {
          String opType = opType(node.getTimelineLabel());
          // Step stats also list internal entries (_SOURCE, memcpy streams) that are not kernels of the graph.
          if (opType != null && !node.getNodeName().startsWith("_SOURCE")) {
            nodes.add(new Node(type, node.getNodeName().split(":")[0], opType, node.getAllEndRelMicros()));
          }
        }
      }
    }
    return new StepTrace(nodes);
  }

  /** Kernel counts per device type and op type, sorted. */
  public Map<String, Map<String, Integer>> countsByDevice() {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    nodes.forEach(n -> counts.computeIfAbsent(n.device(), k -> new TreeMap<>()).merge(n.opType(), 1, Integer::sum));
    return counts;
  }

  /** Time per op type, the most expensive first. */
  public List<OpTypeTime> timeByOpType() {
    Map<String, long[]> sums = new TreeMap<>();
    nodes.forEach(n -> {
      long[] s = sums.computeIfAbsent(n.opType(), k -> new long[2]);
      s[0]++;
      s[1] += n.micros();
    });
    List<OpTypeTime> times = new ArrayList<>();
    sums.forEach((type, s) -> times.add(new OpTypeTime(type, (int) s[0], s[1])));
    times.sort(Comparator.comparingLong(OpTypeTime::micros).reversed().thenComparing(OpTypeTime::opType));
    return times;
  }

  /**
   * The {@code limit} most expensive op types, one per line: total milliseconds, share of all kernel time, kernel
   * count. Kernels overlap when TensorFlow runs branches at once, so the total can exceed the step's wall time.
   */
  public String formatTimeByOpType(int limit) {
    List<OpTypeTime> times = timeByOpType();
    long total = times.stream().mapToLong(OpTypeTime::micros).sum();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "kernel time %.1f ms in %,d kernels%n",
        total / 1e3, nodes.size()));
    times.stream().limit(limit).forEach(t -> sb.append(String.format(Locale.ROOT, "  %-32s %9.1f ms %5.1f%% %6d%n",
        t.opType(), t.micros() / 1e3, total == 0 ? 0 : 100.0 * t.micros() / total, t.count())));
    return sb.toString();
  }

  /** "Conv2D" from a timeline label such as "cell_0/conv/Conv2D = Conv2D(x, w)"; null when it has none. */
  static String opType(String label) {
    int eq = label.indexOf(" = ");
    if (eq < 0) {
      return null;
    }
    int paren = label.indexOf('(', eq);
    return (paren < 0 ? label.substring(eq + 3) : label.substring(eq + 3, paren)).trim();
  }

  /** "CPU" from "/job:localhost/replica:0/task:0/device:CPU:0"; stream suffixes of GPU devices are dropped. */
  static String deviceType(String device) {
    int i = device.indexOf("device:");
    String rest = i < 0 ? device : device.substring(i + "device:".length());
    int colon = rest.indexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }
}
