package dev.nasnet.search.trial;

/**
 * Turns an architecture into a reward and metrics. Throwing marks the trial failed; the search goes on.
 *
 * @param <A> what the search space decodes to
 */
@FunctionalInterface
public interface TrialEvaluator<A> {
  TrialResult evaluate(A architecture, long trialId) throws Exception;
}
