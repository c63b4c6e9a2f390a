package dev.nasnet.search.strategy;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * A search strategy in ask/tell form: it proposes decision sequences and learns from their outcomes. Its whole state
 * fits in a JSON object, so a search journal can save it and a resumed search can restore it.
 *
 * <p>A custom strategy implements these four methods; see the README for one in 30 lines.
 */
public interface Strategy {
  /** Up to {@code n} new proposals; fewer (even none) when it must wait for outcomes first. */
  List<Proposal> ask(int n);

  /** The outcome of an earlier proposal, completed or failed. */
  void tell(TrialOutcome outcome);

  /** Everything needed to continue later. */
  JsonObject snapshot();

  /** Continues from a {@link #snapshot()} of a strategy built with the same space and settings. */
  void restore(JsonObject state);
}
