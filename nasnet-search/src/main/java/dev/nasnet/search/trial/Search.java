package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.nasnet.search.space.SearchSpace;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.strategy.TrialOutcome;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  public Result run() {
    Map<Long, int[]> proposed = new LinkedHashMap<>();
    Map<Long, TrialOutcome> finished = new LinkedHashMap<>();
    JsonObject state = null;
    for (JsonObject e : SearchJournal.read(dir)) {
      String type = e.get("type").getAsString();
      switch (type) {
        case "proposed" -> proposed.put(e.get("id").getAsLong(), ints(e.getAsJsonArray("decisions")));
        case "completed", "failed" -> {
          long id = e.get("id").getAsLong();
          int[] d = proposed.get(id);
          if (d != null) {
            finished.put(id, new TrialOutcome(id, d, type.equals("completed") ? e.get("reward").getAsDouble()
                : Double.NaN, type.equals("failed") ? e.get("error").getAsString() : null));
          }
        }
        case "strategy" -> state = e.getAsJsonObject("state");
        default -> LOG.warn("unknown journal event type '{}' skipped", type);
      }
    }
    if (state != null) {
      strategy.restore(state);
    }
    Deque<Proposal> rerun = new ArrayDeque<>();
    proposed.forEach((id, d) -> {
      if (!finished.containsKey(id)) {
        rerun.add(new Proposal(id, d));
      }
    });
    if (!proposed.isEmpty()) {
      LOG.info("resuming {}: {} trials done, {} to run again, budget {}", dir, finished.size(), rerun.size(), budget);
    }
    List<TrialOutcome> results = new ArrayList<>(finished.values());
    BlockingQueue<TrialReport> done = new LinkedBlockingQueue<>();
    int running = 0;
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
            space.validate(p.decisions());
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

  private static int[] ints(JsonArray a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsInt();
    }
    return out;
  }
}
