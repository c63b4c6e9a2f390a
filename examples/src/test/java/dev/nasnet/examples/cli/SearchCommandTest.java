package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import dev.nasnet.core.data.IdxReader;
import dev.nasnet.core.spec.CellSpecJson;
import dev.nasnet.search.trial.SearchHistory;
import dev.nasnet.search.trial.SearchJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny {@code search} killed with SIGKILL midway and resumed with {@code --resume}: every trial ends in the journal
 * exactly once, the trials that were running are run again, and the trial JVMs of the killed search do not outlive it.
 */
class SearchCommandTest {
  @TempDir Path dir;

  private static final List<String> TINY = List.of("search", "--train-images", "256", "--validation-images", "128",
      "--cells", "1", "--filters", "24", "--epochs", "1", "--batch", "32", "--trials", "6", "--workers", "2",
      "--strategy", "random", "--trial-jvm-options", "-Xmx1g");

  @Test
  void aSearchKilledMidwayResumesWithEachTrialExactlyOnce() throws Exception {
    assumeTrue(IdxReader.isPresent(IdxReader.FASHION_MNIST_DIR),
        "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    Path out = dir.resolve("search");
    Path journalDir = out.resolve("random");
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), NasnetCli.class.getName()));
    cmd.addAll(TINY);
    cmd.addAll(List.of("--out", out.toString()));
    Process search = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("first-run.log").toFile()).start();

    long deadline = System.currentTimeMillis() + 300_000;
    while (completed(journalDir) < 2) {
      assertThat(search.isAlive()).as("search ended early; see %s", dir.resolve("first-run.log")).isTrue();
      assertThat(System.currentTimeMillis()).as("two trials within 5 minutes").isLessThan(deadline);
      Thread.sleep(200);
    }
    List<ProcessHandle> trialJvms = search.descendants().toList();
    search.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(search.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(search.exitValue()).isEqualTo(137);
    SearchHistory killed = SearchHistory.read(journalDir);
    Set<Long> running = killed.unfinished().stream().map(p -> p.id()).collect(Collectors.toSet());
    assertThat(killed.finished()).hasSizeBetween(2, 5);
    assertThat(running).isNotEmpty();
    // The orphaned trial JVMs notice their search is gone and stop.
    for (ProcessHandle h : trialJvms) {
      h.onExit().get(30, TimeUnit.SECONDS);
    }

    assertThat(NasnetCli.run("search", "--resume", out.toString())).isZero();

    Map<Long, Integer> finishedTimes = new HashMap<>();
    for (JsonObject e : SearchJournal.read(journalDir)) {
      String type = e.get("type").getAsString();
      if (type.equals("completed") || type.equals("failed")) {
        assertThat(type).as("trial %s", e.get("id")).isEqualTo("completed");
        finishedTimes.merge(e.get("id").getAsLong(), 1, Integer::sum);
      }
    }
    assertThat(finishedTimes).hasSize(6);
    assertThat(finishedTimes.values()).containsOnly(1);
    for (long id : running) {
      assertThat(journalDir.resolve("trials/" + id + "/attempt-2")).as("trial %s ran again", id).isDirectory();
    }
    Path results = journalDir.resolve("results");
    assertThat(Files.readAllLines(results.resolve("trials.csv"))).hasSize(7);
    assertThat(CellSpecJson.fromJson(Files.readString(results.resolve("rank-01/normal_cell.json"))).blocks())
        .hasSize(5);
    assertThat(results.resolve("rank-01/reduction_cell.dot")).isRegularFile();
    assertThat(Files.size(out.resolve("best_so_far.png"))).isGreaterThan(1000);

    // A finished search resumed again has nothing left to do; the same --out twice is refused.
    assertThat(NasnetCli.run("search", "--resume", out.toString())).isZero();
    assertThat(SearchHistory.read(journalDir).finished()).hasSize(6);
    List<String> again = new java.util.ArrayList<>(TINY);
    again.addAll(List.of("--out", out.toString()));
    assertThat(NasnetCli.run(again.toArray(String[]::new))).isEqualTo(1);
    assertThat(NasnetCli.run("search", "--resume", out.toString(), "--trials", "9")).isEqualTo(1);
    assertThat(SearchHistory.read(journalDir).finished()).hasSize(6);
  }

  private static long completed(Path journalDir) throws IOException {
    Path f = journalDir.resolve(SearchJournal.FILE);
    if (!Files.exists(f)) {
      return 0;
    }
    return Files.readAllLines(f).stream().filter(l -> l.contains("\"type\":\"completed\"")).count();
  }
}
