package dev.nasnet.search.trial;

/**
 * What a running trial can tell its search: intermediate results (validation accuracy after an epoch, say), which
 * the search journals and shows to its pruner. When the pruner stops the trial, {@link #report} throws
 * {@link TrialPrunedException}; let it propagate.
 */
public interface TrialContext {
  /** A context that records nothing and never prunes. */
  TrialContext NONE = (step, value) -> {};

  /**
   * Reports {@code value} at {@code step} (an epoch, a number of images: the same unit for every trial).
   *
   * @throws TrialPrunedException when the search stops this trial here
   */
  void report(long step, double value);
}
