package dev.nasnet.search.trial;

/** Turns an architecture into a reward (higher is better). Throwing marks the trial failed; the search goes on. */
@FunctionalInterface
public interface TrialEvaluator<A> {
  double evaluate(A architecture, long trialId) throws Exception;
}
