package dev.nasnet.search.strategy;

import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * A search strategy in ask/tell form: it proposes decision sequences for trials the search numbers, and learns from
 * their outcomes. Its whole state fits in a JSON object, so a search can snapshot it and a resumed search restore it.
 *
 * <p><b>Exact resume.</b> A search restores the latest snapshot and then replays the journal's later events: every
 * outcome is {@link #tell told} again and every proposal {@link #replay replayed}, so the strategy ends in the state
 * of an uninterrupted run. That holds when a proposal depends only on the strategy's state and the trial's id, not on
 * how proposals are batched ({@code ask(id, 20)} equals {@code ask(id, 1)}, {@code ask(id + 1, 1)}, ...): draw each
 * proposal's randomness from {@link #randomFor(long, long)}.
 *
 * <p>A custom strategy implements {@link #ask}, {@link #tell}, {@link #snapshot} and {@link #restore}; see the
 * README for one in 30 lines. Strategies holding native resources override {@link #close}.
 */
public interface Strategy extends AutoCloseable {
  /**
   * Proposals for new trials numbered {@code firstId}, {@code firstId + 1}, ...: up to {@code n} of them, in that
   * order (fewer, even none, when it must wait for outcomes first).
   */
  List<Proposal> ask(long firstId, int n);

  /** The outcome of an earlier proposal: completed, failed or pruned. */
  void tell(TrialOutcome outcome);

  /** Everything needed to continue later, deterministic for equal states (no clocks, no hash-map order). */
  JsonObject snapshot();

  /** Continues from a {@link #snapshot()} of a strategy built with the same space and settings. */
  void restore(JsonObject state);

  /**
   * Re-registers {@code proposal}, which this strategy made after the snapshot a search resumes from, so the strategy
   * holds what asking for it left behind (a PPO controller its sampling log-probability). The default asks again for
   * the same id and checks that the strategy proposes the same decisions: true for strategies whose proposals depend
   * only on their state and the id.
   *
   * @throws IllegalStateException when the strategy proposes something else: it cannot be resumed exactly
   */
  default void replay(Proposal proposal) {
    List<Proposal> again = ask(proposal.id(), 1);
    if (again.isEmpty() || !Arrays.equals(again.get(0).decisions(), proposal.decisions())) {
      throw new IllegalStateException(getClass().getSimpleName() + " proposes "
          + (again.isEmpty() ? "nothing" : Arrays.toString(again.get(0).decisions())) + " for trial "
          + proposal.id() + " on replay, but proposed " + Arrays.toString(proposal.decisions())
          + " before: its proposals depend on more than its state and the trial id, so it cannot resume exactly "
          + "(draw randomness from Strategy.randomFor, or override replay)");
    }
  }

  /** A short description of the strategy and its settings, recorded in the search directory. */
  default String describe() {
    return getClass().getName();
  }

  /** Releases native resources; nothing by default. */
  @Override
  default void close() {}

  /** The random stream of one proposal: a function of (strategy seed, trial id) only. */
  static java.util.SplittableRandom randomFor(long seed, long trialId) {
    return Seeds.forProposal(seed, trialId);
  }
}
