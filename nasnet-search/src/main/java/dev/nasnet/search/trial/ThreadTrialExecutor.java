package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import dev.nasnet.search.space.SearchSpace;
import dev.nasnet.search.strategy.Proposal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs trials on threads of this JVM. Cheap to start, so it suits table lookups and tests; a trial that crashes the
 * native runtime takes the search with it, which is why the command-line search uses {@link ProcessTrialExecutor}.
 * A trial past its time budget is interrupted and recorded as failed.
 */
public final class ThreadTrialExecutor<A> implements TrialExecutor {
  private final SearchSpace<A> space;
  private final TrialEvaluator<A> evaluator;
  private final int workers;
  private final long timeoutMillis;
  private final ExecutorService pool;
  private final ScheduledExecutorService timer;

  /** @param timeoutMillis a trial's time budget, 0 for none */
  public ThreadTrialExecutor(SearchSpace<A> space, TrialEvaluator<A> evaluator, int workers, long timeoutMillis) {
    Preconditions.checkArgument(workers > 0, "workers must be positive, got %s", workers);
    Preconditions.checkArgument(timeoutMillis >= 0, "timeout must be >= 0 ms, got %s", timeoutMillis);
    this.space = space;
    this.evaluator = evaluator;
    this.workers = workers;
    this.timeoutMillis = timeoutMillis;
    this.pool = Executors.newFixedThreadPool(workers, daemon("nasnet-trial"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("nasnet-trial-timer"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public int workers() {
    return workers;
  }

  @Override
  public CompletableFuture<TrialReport> start(Proposal p) {
    return start(p, TrialContext.NONE);
  }

  @Override
  public boolean reportsIntermediateResults() {
    return true;
  }

  @Override
  public CompletableFuture<TrialReport> start(Proposal p, TrialContext context) {
    CompletableFuture<TrialReport> result = new CompletableFuture<>();
    long t0 = System.nanoTime();
    Future<?> task = pool.submit(() -> result.complete(run(p, context, t0)));
    if (timeoutMillis > 0) {
      timer.schedule(() -> {
        if (result.complete(TrialReport.failed(p, "timed out after " + timeoutMillis + " ms", seconds(t0)))) {
          task.cancel(true);
        }
      }, timeoutMillis, TimeUnit.MILLISECONDS);
    }
    return result;
  }

  private TrialReport run(Proposal p, TrialContext context, long t0) {
    try {
      TrialResult r = evaluator.evaluate(space.decode(p.decisions()), p.id(), context);
      return TrialReport.completed(p, r, seconds(t0));
    } catch (TrialPrunedException e) {
      return TrialReport.pruned(p, e.step(), e.value(), seconds(t0));
    } catch (Exception | Error e) {
      return TrialReport.failed(p, e.getClass().getSimpleName() + ": " + e.getMessage(), seconds(t0));
    }
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    timer.shutdownNow();
  }
}
