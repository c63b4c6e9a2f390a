package dev.nasnet.search.trial;

import com.google.common.collect.ImmutableMap;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.TrialOutcome;

/** A finished trial as an executor hands it back: the outcome the strategy sees, plus metrics and wall time. */
public record TrialReport(TrialOutcome outcome, ImmutableMap<String, Double> metrics, double seconds) {
  public static TrialReport completed(Proposal p, TrialResult r, double seconds) {
    return new TrialReport(TrialOutcome.completed(p, r.reward()), r.metrics(), seconds);
  }

  /** Stopped early by a pruner at {@code step}; strategies see it as failed with the reason "pruned at step N". */
  public static TrialReport pruned(Proposal p, long step, double value, double seconds) {
    return new TrialReport(TrialOutcome.failed(p, "pruned at step " + step), ImmutableMap.of("pruned_step",
        (double) step, "pruned_value", value), seconds);
  }

  /** Whether a pruner stopped this trial. */
  public boolean isPruned() {
    return metrics.containsKey("pruned_step");
  }

  public static TrialReport failed(Proposal p, String why, double seconds) {
    return new TrialReport(TrialOutcome.failed(p, why), ImmutableMap.of(), seconds);
  }
}
