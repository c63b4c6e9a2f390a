package dev.nasnet.search.trial;

/**
 * Turns an architecture into a reward and metrics. Throwing marks the trial failed; the search goes on.
 *
 * @param <A> what the search space decodes to
 */
@FunctionalInterface
public interface TrialEvaluator<A> {
  TrialResult evaluate(A architecture, long trialId) throws Exception;

  /**
   * As {@link #evaluate(Object, long)}, with a context to report intermediate results to (and be pruned through).
   * The default ignores the context; multi-fidelity evaluators override this one.
   */
  default TrialResult evaluate(A architecture, long trialId, TrialContext context) throws Exception {
    return evaluate(architecture, trialId);
  }
}
