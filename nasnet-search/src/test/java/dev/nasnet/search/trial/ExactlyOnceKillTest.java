package dev.nasnet.search.trial;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PPO search in a child JVM, SIGKILLed at 20+ random moments (some inside a snapshot write) and resumed each time,
 * ends exactly as an uninterrupted run: each trial id completes once, no id names two architectures, and the final
 * strategy snapshot is byte-equal.
 */
class ExactlyOnceKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceKillTest.class);
  private static final int TRIALS = 240;
  private static final String SLEEP_MS = "25";
  private static final String SNAPSHOT_EVERY = "3";
  @TempDir Path dir;

  @Test
  void killedTwentyTimesTheSearchEndsAsAnUninterruptedOne() throws Exception {
    Path reference = dir.resolve("reference");
    Process whole = start(reference);
    assertThat(whole.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(whole.exitValue()).isZero();

    Path killed = dir.resolve("killed");
    SplittableRandom random = new SplittableRandom(2026);
    int kills = 0;
    int insideSnapshotWrite = 0;
    boolean finished = false;
    while (!finished) {
      Process p = start(killed);
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine(); // "started N": the search is running
      if (line == null || kills >= 20) {
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("last run, output %s", line).isZero();
        finished = true;
        continue;
      }
      if (kills % 3 == 2) {
        // Aim for the inside of a snapshot write: kill the moment its temporary file appears.
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until && !snapshotBeingWritten(killed, p.pid())) {
          Thread.onSpinWait();
        }
      } else {
        Thread.sleep(random.nextInt(400));
      }
      if (!p.isAlive()) {
        finished = p.exitValue() == 0;
        continue;
      }
      p.destroyForcibly(); // SIGKILL
      p.waitFor();
      kills++;
      if (snapshotBeingWritten(killed, p.pid())) {
        insideSnapshotWrite++;
      }
    }
    LOG.info("{} kills, {} inside a snapshot write", kills, insideSnapshotWrite);
    assertThat(kills).isGreaterThanOrEqualTo(20);
    assertThat(insideSnapshotWrite).as("kills that cut a snapshot write short").isPositive();

    Map<Long, int[]> proposed = new HashMap<>();
    Map<Long, Integer> completions = new HashMap<>();
    for (JsonObject e : SearchJournal.read(killed)) {
      long id = e.get("id").getAsLong();
      String type = e.get("type").getAsString();
      if (type.equals("proposed")) {
        int[] d = new int[e.getAsJsonArray("decisions").size()];
        for (int i = 0; i < d.length; i++) {
          d[i] = e.getAsJsonArray("decisions").get(i).getAsInt();
        }
        int[] before = proposed.putIfAbsent(id, d);
        assertThat(before == null || Arrays.equals(before, d)).as("trial %s names one architecture", id).isTrue();
      } else if (type.equals("completed") || type.equals("failed")) {
        completions.merge(id, 1, Integer::sum);
      }
    }
    assertThat(completions).hasSize(TRIALS);
    assertThat(completions.values()).containsOnly(1);
    assertThat(Files.readString(killed.resolve(StrategySnapshot.FILE)))
        .isEqualTo(Files.readString(reference.resolve(StrategySnapshot.FILE)));
  }

  /** Whether process {@code pid} has a snapshot write under way (its temporary file, named by its pid, exists). */
  private static boolean snapshotBeingWritten(Path dir, long pid) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().equals(StrategySnapshot.FILE + ".tmp-" + pid));
    }
  }

  private Process start(Path searchDir) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), KillableSearchMain.class.getName(), searchDir.toString(),
        String.valueOf(TRIALS), SLEEP_MS, SNAPSHOT_EVERY));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    b.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return b.start();
  }
}
