package dev.nasnet.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Accuracy and mean cross-entropy of a network on one split. */
public record EvalResult(long examples, double top1, double top5, double loss) {
  /** As the metric columns of {@link MetricsLog}: loss, top1, top5. */
  public Map<String, Double> asMetrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(MetricsLog.LOSS, loss);
    m.put("top1", top1);
    m.put("top5", top5);
    return m;
  }
}
