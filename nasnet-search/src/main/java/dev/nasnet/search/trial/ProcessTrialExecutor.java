package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.search.strategy.Proposal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each trial in a JVM of its own ({@link TrialProcessMain} on this JVM's class path), so the native memory of one
 * child network never leaks into the next, and a child that crashes the runtime, runs out of memory or outlives its
 * time budget is just a failed trial. Each attempt gets a directory {@code trials/<id>/attempt-<k>} with the trial's
 * input, its log and its result; a trial run again after a resume gets a new attempt directory.
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
  private final ExecutorService pool;
  private final Set<Process> live = ConcurrentHashMap.newKeySet();
  private final Thread reaper = new Thread(this::killAll, "nasnet-trial-reaper");

  /**
   * @param searchDir the search directory; attempts go under {@code trials/}
   * @param timeoutMillis a trial's time budget, 0 for none
   * @param jvmOptions options for each trial JVM, e.g. {@code -Xmx2g}
   */
  public ProcessTrialExecutor(TrialRecipe recipe, Path searchDir, int workers, long timeoutMillis,
      List<String> jvmOptions) {
    Preconditions.checkArgument(workers > 0, "workers must be positive, got %s", workers);
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
    long t0 = System.nanoTime();
    Path work;
    try {
      work = newAttemptDir(p.id());
      JsonObject input = new JsonObject();
      input.add("recipe", recipe.toJson());
      input.addProperty("id", p.id());
      JsonArray d = new JsonArray();
      for (int v : p.decisions()) {
        d.add(v);
      }
      input.add("decisions", d);
      input.addProperty("parentPid", ProcessHandle.current().pid());
      Files.writeString(work.resolve(TrialProcessMain.INPUT), input.toString());
    } catch (IOException | UncheckedIOException e) {
      return TrialReport.failed(p, "cannot prepare trial directory: " + e.getMessage(), 0);
    }
    Path log = work.resolve(TrialProcessMain.LOG);
    Process proc;
    try {
      ProcessBuilder pb = new ProcessBuilder(command(work)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      proc = pb.start();
    } catch (IOException e) {
      return TrialReport.failed(p, "cannot start a trial JVM: " + e.getMessage(), 0);
    }
    live.add(proc);
    try {
      boolean exited = timeoutMillis > 0 ? proc.waitFor(timeoutMillis, TimeUnit.MILLISECONDS) : proc.waitFor() >= 0;
      if (!exited) {
        kill(proc);
        return TrialReport.failed(p, "timed out after " + timeoutMillis + " ms (process killed; log " + log + ")",
            ThreadTrialExecutor.seconds(t0));
      }
    } catch (InterruptedException e) {
      kill(proc);
      Thread.currentThread().interrupt();
      return TrialReport.failed(p, "search stopped while the trial ran", ThreadTrialExecutor.seconds(t0));
    } finally {
      live.remove(proc);
    }
    return readOutcome(p, work, proc.exitValue(), ThreadTrialExecutor.seconds(t0));
  }

  private Path newAttemptDir(long id) throws IOException {
    Path trialDir = trialsDir.resolve(Long.toString(id));
    Files.createDirectories(trialDir);
    int k = 1;
    while (Files.exists(trialDir.resolve("attempt-" + k))) {
      k++;
    }
    return Files.createDirectories(trialDir.resolve("attempt-" + k));
  }

  private List<String> command(Path work) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ImmutableList.Builder<String> cmd = ImmutableList.builder();
    cmd.add(java.toString()).addAll(jvmOptions).add("-cp", System.getProperty("java.class.path"))
        .add(TrialProcessMain.class.getName(), work.toString());
    return cmd.build();
  }

  private static TrialReport readOutcome(Proposal p, Path work, int exitCode, double seconds) {
    Path result = work.resolve(TrialProcessMain.RESULT);
    Path error = work.resolve(TrialProcessMain.ERROR);
    Path log = work.resolve(TrialProcessMain.LOG);
    try {
      if (exitCode == 0 && Files.exists(result)) {
        JsonObject o = JsonParser.parseString(Files.readString(result)).getAsJsonObject();
        ImmutableMap.Builder<String, Double> metrics = ImmutableMap.builder();
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("metrics").entrySet()) {
          metrics.put(e.getKey(), e.getValue().getAsDouble());
        }
        return TrialReport.completed(p, new TrialResult(o.get("reward").getAsDouble(), metrics.build()), seconds);
      }
      if (Files.exists(error)) {
        return TrialReport.failed(p, Files.readString(error).strip(), seconds);
      }
    } catch (IOException | RuntimeException e) {
      return TrialReport.failed(p, "unreadable trial result in " + work + ": " + e.getMessage(), seconds);
    }
    String how = "exited with code " + exitCode + (exitCode > 128 ? " (signal " + (exitCode - 128) + " if killed)" : "");
    return TrialReport.failed(p, "trial process " + how + " without a result; last log lines: " + tail(log, 3)
        + " (log " + log + ")", seconds);
  }

  private static String tail(Path log, int lines) {
    try (Stream<String> s = Files.lines(log, StandardCharsets.UTF_8)) {
      List<String> all = s.filter(l -> !l.isBlank()).toList();
      return all.isEmpty() ? "(none)" : String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log)";
    }
  }

  private static void kill(Process proc) {
    proc.descendants().forEach(ProcessHandle::destroyForcibly);
    proc.destroyForcibly();
    try {
      proc.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void killAll() {
    for (Process proc : live) {
      LOG.info("stopping trial process {}", proc.pid());
      kill(proc);
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
