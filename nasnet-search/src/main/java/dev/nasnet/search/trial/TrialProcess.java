package dev.nasnet.search.trial;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.nasnet.core.runtime.SessionOptions;
import com.google.gson.JsonParser;
import dev.nasnet.search.strategy.Proposal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One attempt of one trial in a JVM of its own: {@link TrialProcessMain} on this JVM's class path, in an attempt
 * directory {@code <trialsDir>/<id>/attempt-<k>} that holds the trial's input, its log and its result. Used by
 * {@link ProcessTrialExecutor} and by cluster workers.
 */
public final class TrialProcess {
  private final Proposal proposal;
  private final Path work;
  private final Process process;
  private final long startNanos = System.nanoTime();

  private TrialProcess(Proposal proposal, Path work, Process process) {
    this.proposal = proposal;
    this.work = work;
    this.process = process;
  }

  /**
   * Starts the attempt.
   *
   * @param environment extra environment variables for the trial JVM (e.g. {@code CUDA_VISIBLE_DEVICES})
   * @throws IOException when the directory or the process cannot be made
   */
  public static TrialProcess start(TrialRecipe recipe, Proposal p, Path trialsDir, List<String> jvmOptions,
      Map<String, String> environment) throws IOException {
    Path work = newAttemptDir(trialsDir, p.id());
    JsonObject input = new JsonObject();
    input.add("recipe", recipe.toJson());
    input.addProperty("id", p.id());
    JsonArray d = new JsonArray();
    for (int v : p.decisions()) {
      d.add(v);
    }
    input.add("decisions", d);
    input.addProperty("parentPid", ProcessHandle.current().pid());
    // The trial's sessions run with this process's options (threads, GPU memory); its GPUs come from the environment.
    input.add("session", SessionOptions.defaults().toJson());
    Files.writeString(work.resolve(TrialProcessMain.INPUT), input.toString());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = ImmutableList.<String>builder().add(java.toString()).addAll(jvmOptions)
        .add("-cp", System.getProperty("java.class.path")).add(TrialProcessMain.class.getName(), work.toString())
        .build();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(TrialProcessMain.LOG).toFile()));
    pb.environment().putAll(environment);
    return new TrialProcess(p, work, pb.start());
  }

  private static Path newAttemptDir(Path trialsDir, long id) throws IOException {
    Path trialDir = trialsDir.resolve(Long.toString(id));
    Files.createDirectories(trialDir);
    int k = 1;
    while (Files.exists(trialDir.resolve("attempt-" + k))) {
      k++;
    }
    return Files.createDirectories(trialDir.resolve("attempt-" + k));
  }

  public Path directory() {
    return work;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the attempt to end and reads its outcome; past {@code timeoutMillis} (0: no limit) the process is killed
   * and the trial failed.
   */
  public TrialReport await(long timeoutMillis) throws InterruptedException {
    try {
      boolean exited = timeoutMillis > 0 ? process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)
          : process.waitFor() >= 0;
      if (!exited) {
        kill();
        return TrialReport.failed(proposal, "timed out after " + timeoutMillis + " ms (process killed; log "
            + work.resolve(TrialProcessMain.LOG) + ")", seconds());
      }
    } catch (InterruptedException e) {
      kill();
      throw e;
    }
    return readOutcome(process.exitValue());
  }

  /** Kills the trial JVM and anything it started, and waits a little for it to go. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long pid() {
    return process.pid();
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private TrialReport readOutcome(int exitCode) {
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
        return TrialReport.completed(proposal, new TrialResult(o.get("reward").getAsDouble(), metrics.build()),
            seconds());
      }
      if (Files.exists(error)) {
        return TrialReport.failed(proposal, Files.readString(error).strip(), seconds());
      }
    } catch (IOException | RuntimeException e) {
      return TrialReport.failed(proposal, "unreadable trial result in " + work + ": " + e.getMessage(), seconds());
    }
    String how = "exited with code " + exitCode + (exitCode > 128 ? " (signal " + (exitCode - 128) + " if killed)" : "");
    return TrialReport.failed(proposal, "trial process " + how + " without a result; last log lines: " + tail(log, 3)
        + " (log " + log + ")", seconds());
  }

  private static String tail(Path log, int lines) {
    try (Stream<String> s = Files.lines(log, StandardCharsets.UTF_8)) {
      List<String> all = s.filter(l -> !l.isBlank()).toList();
      return all.isEmpty() ? "(none)" : String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log)";
    }
  }
}
