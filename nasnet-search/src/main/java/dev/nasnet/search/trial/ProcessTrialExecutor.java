package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import dev.nasnet.search.strategy.Proposal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each trial in a JVM of its own ({@link TrialProcess}), so the native memory of one child network never leaks
 * into the next, and a child that crashes the runtime, runs out of memory or outlives its time budget is just a failed
 * trial. Each attempt gets a directory {@code trials/<id>/attempt-<k>}; a trial run again after a resume gets a new
 * one.
 *
 * <p>A trial process watches the process that started it and exits when that one is gone, so a search killed with
 * SIGKILL leaves no orphans training on.
 */
public final class ProcessTrialExecutor implements TrialExecutor {
  public static final String TRIALS_DIR = "trials";
  private static final Logger LOG = LoggerFactory.getLogger(ProcessTrialExecutor.class);

  private final TrialRecipe recipe;
  private final Path trialsDir;
  private final int workers;
  private final long timeoutMillis;
  private final ImmutableList<String> jvmOptions;
  private final GpuPool gpus;
  private final int gpusPerTrial;
  private final ExecutorService pool;
  private final Set<TrialProcess> live = ConcurrentHashMap.newKeySet();
  private final Thread reaper = new Thread(this::killAll, "nasnet-trial-reaper");

  /**
   * @param searchDir the search directory; attempts go under {@code trials/}
   * @param timeoutMillis a trial's time budget, 0 for none
   * @param jvmOptions options for each trial JVM, e.g. {@code -Xmx2g}
   */
  public ProcessTrialExecutor(TrialRecipe recipe, Path searchDir, int workers, long timeoutMillis,
      List<String> jvmOptions) {
    this(recipe, searchDir, workers, timeoutMillis, jvmOptions, 0, 0);
  }

  /**
   * As above, on a machine offering {@code machineGpus} GPUs to trials, each trial taking {@code gpusPerTrial} of
   * them (a trial waits for free ones); trials without GPUs see none.
   *
   * @throws IllegalArgumentException when a trial needs more GPUs than the machine offers
   */
  public ProcessTrialExecutor(TrialRecipe recipe, Path searchDir, int workers, long timeoutMillis,
      List<String> jvmOptions, int machineGpus, int gpusPerTrial) {
    Preconditions.checkArgument(workers > 0, "workers must be positive, got %s", workers);
    this.gpus = new GpuPool(machineGpus);
    gpus.checkServes(gpusPerTrial);
    this.gpusPerTrial = gpusPerTrial;
    Preconditions.checkArgument(timeoutMillis >= 0, "timeout must be >= 0 ms, got %s", timeoutMillis);
    recipe.instantiate(); // fail now, in the search's JVM, if the class cannot be made
    this.recipe = recipe;
    this.trialsDir = searchDir.resolve(TRIALS_DIR);
    this.workers = workers;
    this.timeoutMillis = timeoutMillis;
    this.jvmOptions = ImmutableList.copyOf(jvmOptions);
    this.pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "nasnet-trial-process");
      t.setDaemon(true);
      return t;
    });
    // An orderly exit (Ctrl-C, SIGTERM) takes the trial processes with it; SIGKILL is covered by their watchdog.
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  @Override
  public int workers() {
    return workers;
  }

  @Override
  public CompletableFuture<TrialReport> start(Proposal p) {
    return CompletableFuture.supplyAsync(() -> run(p), pool);
  }

  private TrialReport run(Proposal p) {
    List<Integer> held = List.of();
    TrialProcess proc = null;
    try {
      held = gpus.take(gpusPerTrial);
      // Without GPUs of its own a trial sees none, so it cannot crowd the trials that hold them.
      Map<String, String> env = gpus.total() == 0 ? Map.of() : GpuPool.environment(held);
      proc = TrialProcess.start(recipe, p, trialsDir, jvmOptions, env);
      live.add(proc);
      return proc.await(timeoutMillis);
    } catch (IOException e) {
      return TrialReport.failed(p, "cannot start a trial JVM: " + e.getMessage(), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TrialReport.failed(p, "search stopped while the trial ran", 0);
    } finally {
      if (proc != null) {
        live.remove(proc);
      }
      gpus.release(held);
    }
  }

  private void killAll() {
    for (TrialProcess proc : live) {
      LOG.info("stopping trial process {}", proc.pid());
      proc.kill();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }
}
