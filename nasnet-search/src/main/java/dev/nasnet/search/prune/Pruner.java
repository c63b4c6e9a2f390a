package dev.nasnet.search.prune;

/**
 * Decides from intermediate results whether a running trial should stop early (multi-fidelity search). A pruner
 * sees every report of every trial in journal order, also those replayed on resume, so its decisions after a resume
 * are those an uninterrupted search would make. Higher values are better. Calls come from one thread at a time.
 */
public interface Pruner {
  /** Records trial {@code trialId}'s {@code value} at {@code step} and says whether to stop the trial there. */
  boolean report(long trialId, long step, double value);

  /** Records a report from the journal on resume, without deciding anything. */
  void replay(long trialId, long step, double value);

  /** A short description recorded with the search (e.g. "asha(min 1, eta 3)"). */
  String describe();

  /** The pruner that never prunes. */
  static Pruner none() {
    return new Pruner() {
      @Override
      public boolean report(long trialId, long step, double value) {
        return false;
      }

      @Override
      public void replay(long trialId, long step, double value) {}

      @Override
      public String describe() {
        return "none";
      }
    };
  }
}
