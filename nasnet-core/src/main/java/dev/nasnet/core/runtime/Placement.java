package dev.nasnet.core.runtime;

import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * Where a run's ops executed: one traced run of a prepared runner, its step statistics counted by device type (CPU,
 * GPU) and op type, so a user sees at a glance whether the GPU did the work.
 */
public final class Placement {
  private Placement() {}

  /**
   * Runs {@code runner} once with a full trace and counts the kernels it executed, under the op types the graph
   * optimiser gave them.
   *
   * @return device type (e.g. {@code CPU}, {@code GPU}) to op type to count, sorted
   */
  public static Map<String, Map<String, Integer>> count(Graph graph, Session.Runner runner) {
    return StepTrace.run(runner).countsByDevice();
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
