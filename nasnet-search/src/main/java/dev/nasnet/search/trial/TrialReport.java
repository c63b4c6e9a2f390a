package dev.nasnet.search.trial;

import com.google.common.collect.ImmutableMap;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.TrialOutcome;

/** A finished trial as an executor hands it back: the outcome the strategy sees, plus metrics and wall time. */
public record TrialReport(TrialOutcome outcome, ImmutableMap<String, Double> metrics, double seconds) {
  public static TrialReport completed(Proposal p, TrialResult r, double seconds) {
    return new TrialReport(TrialOutcome.completed(p, r.reward()), r.metrics(), seconds);
  }

  public static TrialReport failed(Proposal p, String why, double seconds) {
    return new TrialReport(TrialOutcome.failed(p, why), ImmutableMap.of(), seconds);
  }
}
