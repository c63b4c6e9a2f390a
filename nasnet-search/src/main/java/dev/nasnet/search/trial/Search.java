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
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a search with W trials in parallel on threads of this JVM: the strategy is asked for more as soon as a worker
 * frees up, every transition goes to the journal, and a search directory that already has a journal is resumed:
 * completed and failed trials count towards the budget and are not run again, trials that were running are run again,
 * and the strategy continues from its last saved state.
 *
 * <p>A trial that throws or outlives its time budget is recorded as failed and the search goes on. (Running each trial
 * in its own JVM, so native memory and crashes stay contained, is the next step of the search issue.)
 */
public final class Search<A> {
  private static final Logger LOG = LoggerFactory.getLogger(Search.class);

  private final SearchSpace<A> space;
  private final Strategy strategy;
  private final TrialEvaluator<A> evaluator;
  private final Path dir;
  private final int budget;
  private final int workers;
  private final long trialTimeoutMillis;

  /** The outcome of every trial, in completion order. */
  public record Result(List<TrialOutcome> trials) {
    public TrialOutcome best() {
      return trials.stream().filter(t -> !t.isFailed())
          .max(java.util.Comparator.comparingDouble(TrialOutcome::reward)).orElse(null);
    }
  }

  public Search(SearchSpace<A> space, Strategy strategy, TrialEvaluator<A> evaluator, Path dir, int budget,
      int workers, long trialTimeoutMillis) {
    Preconditions.checkArgument(budget > 0, "budget must be positive, got %s", budget);
    Preconditions.checkArgument(workers > 0, "workers must be positive, got %s", workers);
    this.space = space;
    this.strategy = strategy;
    this.evaluator = evaluator;
    this.dir = dir;
    this.budget = budget;
    this.workers = workers;
    this.trialTimeoutMillis = trialTimeoutMillis;
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
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "nasnet-trial");
      t.setDaemon(true);
      return t;
    });
    CompletionService<TrialOutcome> done = new ExecutorCompletionService<>(pool);
    Map<Future<TrialOutcome>, Long> started = new HashMap<>();
    Map<Future<TrialOutcome>, Proposal> running = new HashMap<>();
    try (SearchJournal journal = new SearchJournal(dir)) {
      while (results.size() < budget) {
        int free = workers - running.size();
        int left = budget - results.size() - running.size();
        List<Proposal> batch = new ArrayList<>();
        while (!rerun.isEmpty() && batch.size() < Math.min(free, left)) {
          batch.add(rerun.poll());
        }
        if (batch.size() < Math.min(free, left)) {
          List<Proposal> asked;
          try {
            asked = strategy.ask(Math.min(free, left) - batch.size());
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
          Future<TrialOutcome> f = done.submit(() -> evaluate(p));
          started.put(f, System.currentTimeMillis());
          running.put(f, p);
        }
        if (running.isEmpty()) {
          throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName()
              + " proposed nothing while no trial was running; the search cannot go on");
        }
        TrialOutcome outcome = next(done, started, running);
        if (outcome.isFailed()) {
          journal.failed(outcome.id(), outcome.failure(), 0);
          LOG.warn("trial {} failed: {}", outcome.id(), outcome.failure());
        } else {
          journal.completed(outcome.id(), outcome.reward(), 0);
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
    } finally {
      pool.shutdownNow();
    }
    return new Result(List.copyOf(results));
  }

  private TrialOutcome evaluate(Proposal p) {
    try {
      double reward = evaluator.evaluate(space.decode(p.decisions()), p.id());
      if (!Double.isFinite(reward)) {
        return TrialOutcome.failed(p, "evaluator returned " + reward);
      }
      return TrialOutcome.completed(p, reward);
    } catch (Exception | Error e) {
      return TrialOutcome.failed(p, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The next finished trial; a trial past its time budget is cancelled and counted as failed. */
  private TrialOutcome next(CompletionService<TrialOutcome> done, Map<Future<TrialOutcome>, Long> started,
      Map<Future<TrialOutcome>, Proposal> running) {
    while (true) {
      try {
        Future<TrialOutcome> f = done.poll(100, TimeUnit.MILLISECONDS);
        if (f != null && !running.containsKey(f)) {
          // A trial already cancelled for its time budget; its outcome was recorded then.
          continue;
        }
        if (f != null) {
          started.remove(f);
          running.remove(f);
          return f.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("search interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("trial task failed unexpectedly", e.getCause());
      }
      if (trialTimeoutMillis > 0) {
        long now = System.currentTimeMillis();
        for (var entry : new ArrayList<>(started.entrySet())) {
          if (now - entry.getValue() > trialTimeoutMillis) {
            Future<TrialOutcome> f = entry.getKey();
            f.cancel(true);
            started.remove(f);
            Proposal p = running.remove(f);
            return TrialOutcome.failed(p, "timed out after " + trialTimeoutMillis + " ms");
          }
        }
      }
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
