package dev.nasnet.detection;

import dev.nasnet.core.train.StepMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named losses of one training step, before weighting except {@code total} (the weighted sum plus L2):
 * {@code rpnLocalization} and {@code rpnObjectness} of the first stage, {@code localization} and
 * {@code classification} of the box classifier, and {@code regularization} (weight decay).
 */
public record StepLosses(double rpnLocalization, double rpnObjectness, double localization, double classification,
    double regularization, double total) {
  /** The detector's columns of {@code metrics.csv}: {@code loss} is the total. */
  public static final List<String> COLUMNS = List.of("loss", "rpn_localization", "rpn_objectness", "localization",
      "classification", "regularization");

  /** As the training loop's step metrics, the total as the loss. */
  public StepMetrics asMetrics(int examples) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rpn_localization", rpnLocalization);
    m.put("rpn_objectness", rpnObjectness);
    m.put("localization", localization);
    m.put("classification", classification);
    m.put("regularization", regularization);
    return StepMetrics.of(total, m, examples);
  }
}
