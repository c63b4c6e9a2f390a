package dev.nasnet.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.nasnet.search.cluster.ClusterWorker;
import dev.nasnet.search.cluster.LoopbackPorts;
import dev.nasnet.search.trial.SearchJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller and three worker JVMs on loopback. A worker is SIGKILLed while it runs a trial, or the controller is
 * SIGKILLed and resumed from its journal while the workers stay up; either way every trial completes exactly once.
 */
class ClusterSearchTest {
  private static final int TRIALS = 12;
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private int port;
  private String clusterName;

  @AfterEach
  void stopEverything() {
    processes.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }

  @Test
  void aWorkerKilledWhileRunningATrialLosesItAndTheTrialIsRunOnceElsewhere() throws Exception {
    setUpCluster();
    Process controller = controller(dir.resolve("search"), "controller.log");
    List<Process> workers = List.of(worker(0), worker(1), worker(2));
    awaitCompleted(dir.resolve("search"), 2, controller);
    Path running = awaitRunningTrial(dir.resolve("worker-0"), controller);
    long lostId = Long.parseLong(running.getParent().getFileName().toString());
    workers.get(0).destroyForcibly();

    assertThat(controller.waitFor(180, TimeUnit.SECONDS)).as("search finished; see controller.log").isTrue();
    assertThat(controller.exitValue()).isZero();
    assertEachTrialCompletedOnce(dir.resolve("search"));
    // The lost trial completed on another worker.
    try (Stream<Path> files = Stream.concat(Files.walk(dir.resolve("worker-1")), Files.walk(dir.resolve("worker-2")))) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("result.json"))
          .map(f -> f.getParent().getParent().getFileName().toString())).contains(Long.toString(lostId));
    }
    assertThat(Files.readString(dir.resolve("controller.log"))).contains("trial " + lostId + " attempt 1: worker");
  }

  @Test
  void aKilledControllerResumesFromItsJournalWhileTheWorkersStayUp() throws Exception {
    setUpCluster();
    Process first = controller(dir.resolve("search"), "controller-1.log");
    List<Process> workers = List.of(worker(0), worker(1), worker(2));
    awaitCompleted(dir.resolve("search"), 3, first);
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Process second = controller(dir.resolve("search"), "controller-2.log");
    assertThat(second.waitFor(180, TimeUnit.SECONDS)).as("resumed search finished; see controller-2.log").isTrue();
    assertThat(second.exitValue()).isZero();
    assertEachTrialCompletedOnce(dir.resolve("search"));
    assertThat(workers).allMatch(Process::isAlive);
  }

  @Test
  void aWorkerThatReachesNoControllerSaysWhereItLookedAndExits() throws Exception {
    setUpCluster();
    Process w = start("lonely.log", ClusterWorker.class.getName(), "--cluster", "127.0.0.1:" + port, "--port",
        Integer.toString(port + 1), "--cluster-name", "nobody-" + port, "--connect-timeout-seconds", "2");
    assertThat(w.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(w.exitValue()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("lonely.log")))
        .contains("error: no search controller reachable at 127.0.0.1:" + port + " (cluster 'nobody-" + port
            + "') within 2 s");
  }

  private void setUpCluster() {
    clusterName = "test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    port = LoopbackPorts.freeBlock(4);
  }

  private String members() {
    return Stream.of(0, 1, 2, 3).map(i -> "127.0.0.1:" + (port + i)).collect(Collectors.joining(","));
  }

  private Process controller(Path searchDir, String log) throws IOException {
    return start(log, ClusterSearchMain.class.getName(), searchDir.toString(), Integer.toString(port), members(),
        clusterName, Integer.toString(TRIALS), "2000");
  }

  private Process worker(int i) throws IOException {
    return start("worker-" + i + ".log", ClusterWorker.class.getName(), "--cluster", members(), "--port",
        Integer.toString(port + 1 + i), "--cluster-name", clusterName, "--work-dir",
        dir.resolve("worker-" + i).toString(), "--connect-timeout-seconds", "120");
  }

  private Process start(String log, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), main));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    processes.add(p);
    return p;
  }

  private static Map<Long, Integer> completions(Path searchDir) {
    Map<Long, Integer> counts = new HashMap<>();
    for (JsonObject e : SearchJournal.read(searchDir)) {
      String type = e.get("type").getAsString();
      if (type.equals("completed") || type.equals("failed")) {
        assertThat(type).as("trial %s: %s", e.get("id"), e).isEqualTo("completed");
        counts.merge(e.get("id").getAsLong(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static void assertEachTrialCompletedOnce(Path searchDir) {
    Map<Long, Integer> counts = completions(searchDir);
    assertThat(counts).hasSize(TRIALS);
    assertThat(counts.values()).containsOnly(1);
  }

  private static void awaitCompleted(Path searchDir, int n, Process controller) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 180_000;
    while (completions(searchDir).size() < n) {
      assertThat(controller.isAlive()).as("controller ended early").isTrue();
      assertThat(System.currentTimeMillis()).as("%s trials within 3 minutes", n).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** An attempt directory of this worker with the trial's input but no outcome yet. */
  private static Path awaitRunningTrial(Path workerDir, Process controller) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      assertThat(controller.isAlive()).as("controller ended early").isTrue();
      if (Files.isDirectory(workerDir)) {
        try (Stream<Path> files = Files.walk(workerDir)) {
          Set<Path> open = files.filter(f -> f.getFileName().toString().equals("trial.json")).map(Path::getParent)
              .filter(a -> !Files.exists(a.resolve("result.json")) && !Files.exists(a.resolve("error.txt")))
              .collect(Collectors.toSet());
          if (!open.isEmpty()) {
            return open.iterator().next();
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("worker never ran a trial");
  }
}
