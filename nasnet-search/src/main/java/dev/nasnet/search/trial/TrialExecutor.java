package dev.nasnet.search.trial;

import dev.nasnet.search.strategy.Proposal;
import java.util.concurrent.CompletableFuture;

/**
 * Runs trials, up to {@link #workers()} at a time. A trial's future always completes normally: a crash, an exception
 * or a blown time budget is a failed {@link TrialReport}, never an exceptional future, so one bad child cannot stop
 * the search. Implementations: {@link ThreadTrialExecutor} (this JVM), {@link ProcessTrialExecutor} (a JVM per
 * trial), and executors that farm trials out to other machines.
 */
public interface TrialExecutor extends AutoCloseable {
  /** How many trials may run at once; the search keeps this many busy. */
  int workers();

  /** Starts a trial; called only while fewer than {@link #workers()} trials are running. */
  CompletableFuture<TrialReport> start(Proposal proposal);

  /**
   * Starts a trial whose intermediate results go to {@code context}. Executors that cannot carry reports back (a
   * JVM per trial, a cluster) ignore it by default: their trials run to the end.
   */
  default CompletableFuture<TrialReport> start(Proposal proposal, TrialContext context) {
    return start(proposal);
  }

  /** Whether {@link #start(Proposal, TrialContext)} delivers reports, so a pruner can act. */
  default boolean reportsIntermediateResults() {
    return false;
  }

  /** Stops running trials and releases threads and processes. */
  @Override
  void close();
}
