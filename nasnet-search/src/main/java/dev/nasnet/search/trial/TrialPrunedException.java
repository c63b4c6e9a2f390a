package dev.nasnet.search.trial;

/** Thrown by {@link TrialContext#report} when a pruner stops the trial; the trial is journaled as pruned. */
public final class TrialPrunedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long step;
  private final double value;

  public TrialPrunedException(long step, double value) {
    super("pruned at step " + step + " (value " + value + ")", null, false, false);
    this.step = step;
    this.value = value;
  }

  public long step() {
    return step;
  }

  public double value() {
    return value;
  }
}
