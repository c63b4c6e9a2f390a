package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * What an evaluator measured for one architecture: the reward the strategy learns from (higher is better) and any
 * metrics worth keeping next to it in the journal (validation accuracy, multiply-adds, latency, seconds...).
 */
public record TrialResult(double reward, ImmutableMap<String, Double> metrics) {
  public TrialResult {
    Preconditions.checkArgument(Double.isFinite(reward), "reward must be finite, got %s", reward);
    metrics = ImmutableMap.copyOf(metrics);
  }

  public static TrialResult of(double reward) {
    return new TrialResult(reward, ImmutableMap.of());
  }

  public static TrialResult of(double reward, Map<String, Double> metrics) {
    return new TrialResult(reward, ImmutableMap.copyOf(metrics));
  }
}
