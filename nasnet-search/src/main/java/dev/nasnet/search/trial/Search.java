package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import com.google.gson.JsonObject;
import dev.nasnet.core.checkpoint.RunDirectory.StartMode;
import dev.nasnet.search.space.SearchSpace;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.strategy.TrialOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a search: keeps every worker of a {@link TrialExecutor} busy, asking the strategy for more as soon as one frees
 * up. The search numbers the trials; the journal ({@link SearchJournal}) records every event, and the strategy's
 * state is snapshotted apart ({@link StrategySnapshot}) every {@code N} events or {@code T} seconds.
 *
 * <p>Resuming ({@link #resuming()}) restores the latest snapshot and replays the events after it: outcomes are told
 * again and proposals re-registered, so the strategy ends in the state of an uninterrupted run; finished trials are
 * not run again, trials that were running are. A directory that already holds a search is only resumed or
 * overwritten when asked. The search owns its executor and its strategy and closes both when done.
 */
public final class Search<A> {
  private static final Logger LOG = LoggerFactory.getLogger(Search.class);
  /** Where an unsynced event may wait at most for the next one before it is made durable on its own. */
  private static final long SYNC_WAIT_MILLIS = 50;

  private final SearchSpace<A> space;
  private final Strategy strategy;
  private final TrialExecutor executor;
  private final Path dir;
  private final int budget;
  private Listener listener = new Listener() {};
  private StartMode start = StartMode.NEW;
  private int snapshotEvents = 1000;
  private Duration snapshotInterval = Duration.ofSeconds(60);
  private boolean duplicateCache;
  private dev.nasnet.search.prune.Pruner pruner = dev.nasnet.search.prune.Pruner.none();
  private Duration timeBudget;

  /** Hears about progress, e.g. to drive a progress bar; called on the search's thread. */
  public interface Listener {
    /** Before the first new trial; {@code finished} counts trials a resumed journal already holds. */
    default void started(int finished, int budget) {}

    default void trialFinished(TrialReport report, int finished, int budget) {}
  }

  /**
   * The outcome of every trial, in completion order, and how many proposals repeated an architecture already
   * proposed (same {@link SearchSpace#canonicalHash}).
   */
  public record Result(List<TrialOutcome> trials, int duplicates) {
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

  /** Continues the search the directory holds (it must hold one, with the same space and strategy). */
  public Search<A> resuming() {
    this.start = StartMode.RESUME;
    return this;
  }

  /** Deletes the search the directory holds (journal, snapshot, record, trials, results) and starts again. */
  public Search<A> overwriting() {
    this.start = StartMode.OVERWRITE;
    return this;
  }

  /** Snapshots the strategy every {@code events} journal events or {@code interval}, whichever comes first. */
  public Search<A> withSnapshotEvery(int events, Duration interval) {
    Preconditions.checkArgument(events > 0, "snapshot every N events needs N > 0, got %s", events);
    this.snapshotEvents = events;
    this.snapshotInterval = interval;
    return this;
  }

  /**
   * Reuses the reward of an architecture already evaluated (same canonical hash) instead of training it again. Off
   * by default: the NAS-Bench protocol counts every evaluation, and a noisy reward deserves a second sample.
   */
  public Search<A> withDuplicateCache(boolean on) {
    this.duplicateCache = on;
    return this;
  }

  /**
   * Stops trials early from their intermediate results ({@link TrialContext#report}); they are journaled as pruned
   * and the strategy is told. Needs an executor that carries reports ({@link ThreadTrialExecutor}).
   */
  public Search<A> withPruner(dev.nasnet.search.prune.Pruner p) {
    this.pruner = Preconditions.checkNotNull(p, "pruner");
    return this;
  }

  /** Starts no trial after {@code budget} of wall time; the running ones finish. The trial budget still caps it. */
  public Search<A> withTimeBudget(Duration budget) {
    this.timeBudget = budget;
    return this;
  }

  public Result run() {
    space.checkUsable();
    if (!pruner.describe().equals("none") && !executor.reportsIntermediateResults()) {
      throw new IllegalArgumentException("pruner " + pruner.describe() + " needs trials that report intermediate "
          + "results, but " + executor.getClass().getSimpleName() + " runs every trial to its end; use "
          + "ThreadTrialExecutor (the CLI's --in-process)");
    }
    try (executor; strategy) {
      return runOwned();
    }
  }

  private Result runOwned() {
    SearchRecord.prepare(dir, start, space.description(), strategy.describe());
    Replayed state = replay();
    List<TrialOutcome> results = state.results;
    Deque<Proposal> rerun = new ArrayDeque<>(state.unfinished);
    long nextId = state.nextId;
    int duplicates = state.duplicates;
    if (!results.isEmpty() || !rerun.isEmpty()) {
      LOG.info("resuming {}: {} trials done, {} to run again, budget {}, {} events replayed after the snapshot",
          dir, results.size(), rerun.size(), budget, state.replayedEvents);
    }
    BlockingQueue<TrialReport> done = new LinkedBlockingQueue<>();
    int running = 0;
    long deadline = timeBudget == null ? Long.MAX_VALUE : System.nanoTime() + timeBudget.toNanos();
    listener.started(results.size(), budget);
    try (SearchJournal journal = new SearchJournal(dir, state.position)) {
      Snapshots snapshots = new Snapshots(journal, state.position);
      while (results.size() < budget) {
        boolean timeUp = System.nanoTime() > deadline;
        if (timeUp && running == 0) {
          LOG.info("{}: time budget of {} spent after {} trials", dir, timeBudget, results.size());
          break;
        }
        int want = timeUp ? 0 : Math.min(executor.workers() - running, budget - results.size() - running);
        List<Proposal> batch = new ArrayList<>();
        while (!rerun.isEmpty() && batch.size() < want) {
          batch.add(rerun.poll());
        }
        boolean proposedSome = !batch.isEmpty();
        if (batch.size() < want) {
          List<Proposal> asked = ask(nextId, want - batch.size());
          proposedSome |= !asked.isEmpty();
          nextId += asked.size();
          for (Proposal p : asked) {
            journal.proposed(p.id(), p.decisions());
            String hash = space.canonicalHash(p.decisions());
            Double cached = state.rewards.get(hash);
            if (!state.hashes.add(hash)) {
              duplicates++;
            }
            if (duplicateCache && cached != null) {
              // Counted against the budget like any trial, without training the network again.
              com.google.common.collect.ImmutableMap<String, Double> metrics =
                  com.google.common.collect.ImmutableMap.of("cached", 1.0);
              journal.completed(p.id(), cached, 0, metrics);
              finish(new TrialReport(TrialOutcome.completed(p, cached), metrics, 0), results);
            } else {
              batch.add(p);
            }
          }
          snapshots.maybeTake();
        }
        for (Proposal p : batch) {
          TrialContext context = (step, value) -> report(journal, p.id(), step, value);
          executor.start(p, context).whenComplete((r, e) -> done.add(r != null ? r
              : TrialReport.failed(p, "executor failed: " + e, 0)));
          running++;
        }
        if (running == 0 && timeUp) {
          continue;
        }
        if (running == 0) {
          if (results.size() >= budget) {
            break;
          }
          if (!proposedSome) {
            throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName()
                + " proposed nothing while no trial was running; the search cannot go on");
          }
          continue; // every proposal was answered from the duplicate cache
        }
        TrialReport report = take(done, journal);
        running--;
        TrialOutcome outcome = report.outcome();
        if (report.isPruned()) {
          journal.pruned(outcome.id(), report.metrics().get("pruned_step").longValue(),
              report.metrics().get("pruned_value"), report.seconds());
          LOG.info("trial {} {}", outcome.id(), outcome.failure());
        } else if (outcome.isFailed()) {
          journal.failed(outcome.id(), outcome.failure(), report.seconds());
          LOG.warn("trial {} failed: {}", outcome.id(), outcome.failure());
        } else {
          journal.completed(outcome.id(), outcome.reward(), report.seconds(), report.metrics());
          state.rewards.putIfAbsent(space.canonicalHash(outcome.decisions()), outcome.reward());
          LOG.info("trial {} reward {} ({} s)", outcome.id(), outcome.reward(), Math.round(report.seconds()));
        }
        finish(report, results);
        snapshots.maybeTake();
      }
      snapshots.take();
    }
    if (duplicates > 0) {
      LOG.info("{}: {} of {} proposals repeated an architecture already proposed{}", dir, duplicates, nextId,
          duplicateCache ? " (their rewards were reused)" : "");
    }
    return new Result(List.copyOf(results), duplicates);
  }

  /** A running trial's intermediate result: journaled, shown to the pruner; throws when the trial must stop. */
  private void report(SearchJournal journal, long id, long step, double value) {
    boolean prune;
    synchronized (pruner) {
      journal.report(id, step, value);
      prune = pruner.report(id, step, value);
    }
    if (prune) {
      throw new TrialPrunedException(step, value);
    }
  }

  private void finish(TrialReport report, List<TrialOutcome> results) {
    TrialOutcome outcome = report.outcome();
    results.add(outcome);
    listener.trialFinished(report, results.size(), budget);
    try {
      strategy.tell(outcome);
    } catch (RuntimeException e) {
      throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName() + " failed on the "
          + "outcome of trial " + outcome.id() + ": " + e.getMessage(), e);
    }
  }

  private List<Proposal> ask(long firstId, int n) {
    List<Proposal> asked;
    try {
      asked = strategy.ask(firstId, n);
    } catch (RuntimeException e) {
      throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName() + " failed to propose: "
          + e.getMessage() + " (the journal in " + dir + " is intact; fix the strategy and resume)", e);
    }
    if (asked.size() > n) {
      throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName() + " returned "
          + asked.size() + " proposals when asked for " + n);
    }
    for (int k = 0; k < asked.size(); k++) {
      Proposal p = asked.get(k);
      if (p.id() != firstId + k) {
        throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName() + " numbered a proposal "
            + p.id() + " where the search asked for trial " + (firstId + k) + ": the search assigns trial ids");
      }
      try {
        space.validate(p.decisions());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("strategy " + strategy.getClass().getSimpleName() + " proposed an "
            + "invalid sequence for trial " + p.id() + ": " + e.getMessage(), e);
      }
    }
    return asked;
  }

  /** What the journal and the snapshot say, with the strategy brought to the journal's end. */
  private static final class Replayed {
    final List<TrialOutcome> results = new ArrayList<>();
    final List<Proposal> unfinished = new ArrayList<>();
    final Set<String> hashes = new HashSet<>();
    final Map<String, Double> rewards = new HashMap<>();
    long nextId;
    long position;
    int duplicates;
    long replayedEvents;
  }

  private Replayed replay() {
    Replayed r = new Replayed();
    List<JsonObject> events = SearchJournal.read(dir);
    r.position = events.size();
    Optional<StrategySnapshot> snapshot = StrategySnapshot.read(dir);
    long from = 0;
    if (snapshot.isPresent()) {
      if (snapshot.get().position() > events.size()) {
        throw new IllegalStateException(dir.resolve(StrategySnapshot.FILE) + " reflects "
            + snapshot.get().position() + " journal events but " + dir.resolve(SearchJournal.FILE) + " holds "
            + events.size() + ": the journal lost events; delete the snapshot to replay the journal from the start");
      }
      strategy.restore(snapshot.get().state());
      from = snapshot.get().position();
    }
    Map<Long, int[]> proposed = new LinkedHashMap<>();
    Set<Long> finished = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.get(i);
      String type = e.get("type").getAsString();
      boolean afterSnapshot = i >= from;
      if (type.equals("proposed")) {
        long id = e.get("id").getAsLong();
        int[] d = SearchHistory.ints(e.getAsJsonArray("decisions"));
        if (proposed.putIfAbsent(id, d) != null) {
          continue;
        }
        r.nextId = Math.max(r.nextId, id + 1);
        if (!r.hashes.add(space.canonicalHash(d))) {
          r.duplicates++;
        }
        if (afterSnapshot) {
          strategy.replay(new Proposal(id, d));
          r.replayedEvents++;
        }
      } else if (type.equals("report")) {
        pruner.replay(e.get("id").getAsLong(), e.get("step").getAsLong(), e.get("value").getAsDouble());
      } else if (type.equals("completed") || type.equals("failed") || type.equals("pruned")) {
        long id = e.get("id").getAsLong();
        int[] d = proposed.get(id);
        if (d == null || !finished.add(id)) {
          continue;
        }
        TrialOutcome outcome = SearchHistory.outcome(type, id, d, e).outcome();
        r.results.add(outcome);
        if (!outcome.isFailed()) {
          r.rewards.putIfAbsent(space.canonicalHash(d), outcome.reward());
        }
        if (afterSnapshot) {
          strategy.tell(outcome);
          r.replayedEvents++;
        }
      }
    }
    proposed.forEach((id, d) -> {
      if (!finished.contains(id)) {
        r.unfinished.add(new Proposal(id, d));
      }
    });
    return r;
  }

  /** Takes strategy snapshots every N events or T seconds, after making the journal durable up to them. */
  private final class Snapshots {
    private final SearchJournal journal;
    private long lastPosition;
    private long lastNanos = System.nanoTime();

    Snapshots(SearchJournal journal, long position) {
      this.journal = journal;
      this.lastPosition = position;
    }

    void maybeTake() {
      if (journal.position() - lastPosition >= snapshotEvents
          || System.nanoTime() - lastNanos >= snapshotInterval.toNanos()) {
        take();
      }
    }

    void take() {
      if (journal.position() == lastPosition && java.nio.file.Files.exists(dir.resolve(StrategySnapshot.FILE))) {
        return;
      }
      journal.sync();
      new StrategySnapshot(journal.position(), strategy.snapshot()).write(dir);
      lastPosition = journal.position();
      lastNanos = System.nanoTime();
    }
  }

  /** The next finished trial; buffered journal events are made durable before waiting long. */
  private static TrialReport take(BlockingQueue<TrialReport> done, SearchJournal journal) {
    try {
      if (journal.hasPending()) {
        TrialReport r = done.poll(SYNC_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (r != null) {
          return r;
        }
        journal.sync();
      }
      return done.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("search interrupted", e);
    }
  }
}
