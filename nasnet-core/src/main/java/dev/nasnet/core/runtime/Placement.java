package dev.nasnet.core.runtime;

import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Where a run's ops executed: one traced run of a prepared runner, its step statistics counted by device type (CPU,
 * GPU) and op type, so a user sees at a glance whether the GPU did the work.
 */
public final class Placement {
  private Placement() {}

  /**
   * Runs {@code runner} once with a full trace and counts the ops it executed.
   *
   * @return device type (e.g. {@code CPU}, {@code GPU}) to op type to count, sorted
   */
  public static Map<String, Map<String, Integer>> count(Graph graph, Session.Runner runner) {
    runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    try (Result r = runner.runAndFetchMetadata()) {
      RunMetadata metadata = r.getMetadata().orElseThrow(
          () -> new IllegalStateException("TensorFlow returned no run metadata for the traced run"));
      for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
        String type = deviceType(device.getDevice());
        for (NodeExecStats node : device.getNodeStatsList()) {
          // Step stats also list internal nodes (_SOURCE, memcpy streams) that are not ops of the graph.
          GraphOperation op = graph.operation(node.getNodeName().split(":")[0]);
          if (op != null) {
            counts.computeIfAbsent(type, k -> new TreeMap<>()).merge(op.type(), 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  /** "CPU" from "/job:localhost/replica:0/task:0/device:CPU:0"; stream suffixes of GPU devices are dropped. */
  static String deviceType(String device) {
    int i = device.indexOf("device:");
    String rest = i < 0 ? device : device.substring(i + "device:".length());
    int colon = rest.indexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }

  /** A short table: per device type, the total and the ten most frequent op types. */
  public static String format(Map<String, Map<String, Integer>> counts) {
    StringBuilder sb = new StringBuilder();
    counts.forEach((device, ops) -> {
      int total = ops.values().stream().mapToInt(Integer::intValue).sum();
      sb.append(String.format(java.util.Locale.ROOT, "%s: %,d ops", device, total));
      ops.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
          .forEach(e -> sb.append(String.format(java.util.Locale.ROOT, ", %s %,d", e.getKey(), e.getValue())));
      sb.append('\n');
    });
    return sb.toString();
  }
}
