package dev.nasnet.search.strategy;

/**
 * What became of a proposal: a reward (higher is better), or a failure with its reason.
 *
 * @param reward NaN when failed
 */
public record TrialOutcome(long id, int[] decisions, double reward, String failure) {
  public TrialOutcome {
    decisions = decisions.clone();
  }

  public static TrialOutcome completed(Proposal p, double reward) {
    return new TrialOutcome(p.id(), p.decisions(), reward, null);
  }

  public static TrialOutcome failed(Proposal p, String why) {
    return new TrialOutcome(p.id(), p.decisions(), Double.NaN, why);
  }

  public boolean isFailed() {
    return failure != null;
  }

  @Override
  public int[] decisions() {
    return decisions.clone();
  }
}
