package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import dev.nasnet.search.space.SearchSpace;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.strategy.TrialOutcome;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a search: keeps every worker of a {@link TrialExecutor} busy, asking the strategy for more as soon as one frees
 * up, and writes every transition to the journal. A search directory that already has a journal is resumed:
 * completed and failed trials count towards the budget and are not run again, trials that were running are run again,
 * and the strategy continues from its last saved state. The search owns its executor and closes it when done.
 */
public final class Search<A> {
  private static final Logger LOG = LoggerFactory.getLogger(Search.class);

  private final SearchSpace<A> space;
  private final Strategy strategy;
  private final TrialExecutor executor;
  private final Path dir;
  private final int budget;
  private Listener listener = new Listener() {};

  /** Hears about progress, e.g. to drive a progress bar; called on the search's thread. */
  public interface Listener {
    /** Before the first new trial; {@code finished} counts trials a resumed journal already holds. */
    default void started(int finished, int budget) {}

    default void trialFinished(TrialReport report, int finished, int budget) {}
  }

  /** The outcome of every trial, in completion order. */
  public record Result(List<TrialOutcome> trials) {
    public TrialOutcome best() {
      return trials.stream().filter(t -> !t.isFailed()).max(Comparator.comparingDouble(TrialOutcome::reward))
          .orElse(null);
    }
  }

  /** A search whose trials run on {@code workers} threads of this JVM ({@code trialTimeoutMillis} 0: no limit). */
  public Search(SearchSpace<A> space, Strategy strategy, TrialEvaluator<A> evaluator, Path dir, int budget,
      int workers, long trialTimeoutMillis) {
    this(space, strategy, new ThreadTrialExecutor<>(space, evaluator, workers, trialTimeoutMillis), dir, budget);
  }

  public Search(SearchSpace<A> space, Strategy strategy, TrialExecutor executor, Path dir, int budget) {
    Preconditions.checkArgument(budget > 0, "budget must be positive, got %s", budget);
    this.space = space;
    this.strategy = strategy;
    this.executor = executor;
    this.dir = dir;
    this.budget = budget;
  }

  public Search<A> withListener(Listener l) {
    this.listener = l;
    return this;
  }

  public Result run() {
    space.checkUsable();
    SearchHistory history = SearchHistory.read(dir);
    if (history.strategyState() != null) {
      strategy.restore(history.strategyState());
    }
    Deque<Proposal> rerun = new ArrayDeque<>(history.unfinished());
    List<TrialOutcome> results = new ArrayList<>();
    history.finished().forEach(t -> results.add(t.outcome()));
    if (!results.isEmpty() || !rerun.isEmpty()) {
      LOG.info("resuming {}: {} trials done, {} to run again, budget {}", dir, results.size(), rerun.size(), budget);
    }
    BlockingQueue<TrialReport> done = new LinkedBlockingQueue<>();
    int running = 0;
    listener.started(results.size(), budget);
    try (SearchJournal journal = new SearchJournal(dir); executor) {
      while (results.size() < budget) {
        int want = Math.min(executor.workers() - running, budget - results.size() - running);
        List<Proposal> batch = new ArrayList<>();
        while (!rerun.isEmpty() && batch.size() < want) {
          batch.add(rerun.poll());
        }
        if (batch.size() < want) {
          List<Proposal> asked;
          try {
            asked = strategy.ask(want - batch.size());
          } catch (RuntimeException e) {
            throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName() + " failed to propose: "
                + e.getMessage() + " (the journal in " + dir + " is intact; fix the strategy and resume)", e);
          }
          for (Proposal p : asked) {
            try {
              space.validate(p.decisions());
            } catch (IllegalArgumentException e) {
              throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName() + " proposed an "
                  + "invalid sequence for trial " + p.id() + ": " + e.getMessage(), e);
            }
            journal.proposed(p.id(), p.decisions());
            batch.add(p);
          }
          journal.strategy(strategy.snapshot());
        }
        for (Proposal p : batch) {
          executor.start(p).whenComplete((r, e) -> done.add(r != null ? r
              : TrialReport.failed(p, "executor failed: " + e, 0)));
          running++;
        }
        if (running == 0) {
          throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName()
              + " proposed nothing while no trial was running; the search cannot go on");
        }
        TrialReport report = take(done);
        running--;
        TrialOutcome outcome = report.outcome();
        if (outcome.isFailed()) {
          journal.failed(outcome.id(), outcome.failure(), report.seconds());
          LOG.warn("trial {} failed: {}", outcome.id(), outcome.failure());
        } else {
          journal.completed(outcome.id(), outcome.reward(), report.seconds(), report.metrics());
          LOG.info("trial {} reward {} ({} s)", outcome.id(), outcome.reward(), Math.round(report.seconds()));
        }
        results.add(outcome);
        listener.trialFinished(report, results.size(), budget);
        try {
          strategy.tell(outcome);
        } catch (RuntimeException e) {
          throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName() + " failed on the "
              + "outcome of trial " + outcome.id() + ": " + e.getMessage(), e);
        }
        journal.strategy(strategy.snapshot());
      }
    }
    return new Result(List.copyOf(results));
  }

  private static TrialReport take(BlockingQueue<TrialReport> done) {
    try {
      return done.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("search interrupted", e);
    }
  }
}
