package dev.nasnet.search.prune;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Median stopping (Golovin et al., Google Vizier): a trial stops at a step when its value there is below the median
 * of the values other trials reported at the same step. Nothing is pruned before {@code warmupSteps}, nor at a step
 * fewer than {@code minTrials} trials have reached.
 */
public final class MedianPruner implements Pruner {
  private final int minTrials;
  private final long warmupSteps;
  private final Map<Long, List<Double>> valuesAtStep = new HashMap<>();

  public MedianPruner(int minTrials, long warmupSteps) {
    Preconditions.checkArgument(minTrials >= 1, "minTrials must be at least 1, got %s", minTrials);
    Preconditions.checkArgument(warmupSteps >= 0, "warmupSteps must not be negative, got %s", warmupSteps);
    this.minTrials = minTrials;
    this.warmupSteps = warmupSteps;
  }

  /** 5 trials before pruning, from step 1 on. */
  public static MedianPruner defaults() {
    return new MedianPruner(5, 1);
  }

  @Override
  public boolean report(long trialId, long step, double value) {
    List<Double> others = valuesAtStep.getOrDefault(step, List.of());
    boolean prune = step >= warmupSteps && others.size() >= minTrials && value < median(others);
    replay(trialId, step, value);
    return prune;
  }

  @Override
  public void replay(long trialId, long step, double value) {
    valuesAtStep.computeIfAbsent(step, s -> new ArrayList<>()).add(value);
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  @Override
  public String describe() {
    return "median(min trials " + minTrials + ", warm-up " + warmupSteps + ")";
  }
}
