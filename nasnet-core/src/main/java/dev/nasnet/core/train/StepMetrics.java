package dev.nasnet.core.train;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * What one training step reports: the loss it minimised and further named values (top-1, or a detector's loss
 * terms), each a mean over the step's {@code examples}. The loop averages them over its logging window, weighted by
 * examples.
 */
public record StepMetrics(double loss, ImmutableMap<String, Double> values, int examples) {
  public StepMetrics {
    Preconditions.checkNotNull(values, "values");
    Preconditions.checkArgument(examples > 0, "a step sees at least one example, got %s", examples);
  }

  public static StepMetrics of(double loss, Map<String, Double> values, int examples) {
    return new StepMetrics(loss, ImmutableMap.copyOf(values), examples);
  }

  /** A named value, or NaN when the step does not report it. */
  public double get(String name) {
    return name.equals(MetricsLog.LOSS) ? loss : values.getOrDefault(name, Double.NaN);
  }
}
