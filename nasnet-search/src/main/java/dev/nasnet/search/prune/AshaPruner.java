package dev.nasnet.search.prune;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning"): rungs at
 * steps {@code minStep * eta^k}; a trial reaching a rung goes on only if its value there is among the best
 * {@code 1/eta} of the values recorded at that rung so far. While a rung holds fewer than {@code eta} values every
 * trial goes on, so the first trials are never starved (the asynchronous variant promotes without waiting for a full
 * rung).
 */
public final class AshaPruner implements Pruner {
  private final long minStep;
  private final int eta;
  private final long maxStep;
  private final Map<Long, List<Double>> rungs = new HashMap<>();

  public AshaPruner(long minStep, int eta) {
    this(minStep, eta, Long.MAX_VALUE);
  }

  /**
   * @param maxStep the last step a trial reports (its full budget, e.g. the epochs): a trial that got there has
   *     finished, and stopping it would only throw its result away
   */
  public AshaPruner(long minStep, int eta, long maxStep) {
    Preconditions.checkArgument(minStep >= 1, "minStep must be at least 1, got %s", minStep);
    Preconditions.checkArgument(eta >= 2, "eta must be at least 2, got %s", eta);
    Preconditions.checkArgument(maxStep >= minStep, "maxStep must be at least minStep %s, got %s", minStep, maxStep);
    this.minStep = minStep;
    this.eta = eta;
    this.maxStep = maxStep;
  }

  /** Rungs at steps 1, 3, 9, ...: a third of the trials go on at each. */
  public static AshaPruner defaults() {
    return new AshaPruner(1, 3);
  }

  /** Whether {@code step} is a rung: minStep * eta^k. */
  boolean isRung(long step) {
    for (long r = minStep; r <= step; r *= eta) {
      if (r == step) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean report(long trialId, long step, double value) {
    if (!isRung(step)) {
      return false;
    }
    if (step >= maxStep) {
      replay(trialId, step, value);
      return false;
    }
    List<Double> recorded = rungs.computeIfAbsent(step, s -> new ArrayList<>());
    recorded.add(value);
    if (recorded.size() < eta) {
      return false;
    }
    // Promote the best ceil(n / eta) values recorded at this rung; a tie with the cut goes on.
    double[] sorted = recorded.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int keep = (int) Math.ceil(sorted.length / (double) eta);
    double cut = sorted[sorted.length - keep];
    return value < cut;
  }

  @Override
  public void replay(long trialId, long step, double value) {
    if (isRung(step)) {
      rungs.computeIfAbsent(step, s -> new ArrayList<>()).add(value);
    }
  }

  @Override
  public String describe() {
    return "asha(min step " + minStep + ", eta " + eta + (maxStep < Long.MAX_VALUE ? ", max step " + maxStep : "")
        + ")";
  }
}
