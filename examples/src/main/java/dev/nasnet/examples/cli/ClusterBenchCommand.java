package dev.nasnet.examples.cli;

import com.google.gson.JsonObject;
import dev.nasnet.search.cluster.ClusterSettings;
import dev.nasnet.search.cluster.ClusterWorker;
import dev.nasnet.search.cluster.HazelcastTrialExecutor;
import dev.nasnet.search.cluster.LoopbackPorts;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.trial.Search;
import dev.nasnet.search.trial.TrialRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-cluster", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Trials per minute of a cluster search with 1 worker and with more, "
    + "all on this machine over loopback: a controller in this JVM, worker JVMs started here, and trials that sleep "
    + "(each still in a JVM of its own), so the numbers show scheduling and not CPU contention.")
final class ClusterBenchCommand implements Callable<Integer> {
  @Option(names = "--workers", split = ",", defaultValue = "1,3", description = "worker counts to compare")
  List<Integer> workerCounts;

  @Option(names = "--trials", defaultValue = "24", description = "trials per run")
  int trials;

  @Option(names = "--trial-ms", defaultValue = "3000", description = "how long each trial sleeps")
  long trialMs;

  @Override
  public Integer call() throws Exception {
    for (int w : workerCounts) {
      CliChecks.inRange("--workers", w, 1, 64);
    }
    CliChecks.inRange("--trials", trials, 1, 1_000_000);
    CliChecks.atLeast("--trial-ms", trialMs, 0);
    Path dir = Files.createTempDirectory("nasnet-bench-cluster");
    List<String> rows = new ArrayList<>();
    for (int w : workerCounts) {
      double perMinute = run(w, dir.resolve("w" + w));
      rows.add(String.format(Locale.ROOT, "%d worker(s): %d trials of %d ms in %.1f s = %.1f trials/min", w, trials,
          trialMs, trials / perMinute * 60, perMinute));
      System.out.println(rows.get(rows.size() - 1));
    }
    System.out.println("bench-cluster (trials sleep " + trialMs + " ms, each in its own JVM, loopback):");
    rows.forEach(r -> System.out.println("  " + r));
    return 0;
  }

  private double run(int workers, Path dir) throws Exception {
    int port = LoopbackPorts.freeBlock(workers + 1);
    String members = IntStream.rangeClosed(0, workers).mapToObj(i -> "127.0.0.1:" + (port + i))
        .collect(Collectors.joining(","));
    String name = "bench-" + ProcessHandle.current().pid() + "-" + workers;
    List<Process> started = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), ClusterWorker.class.getName(), "--cluster", members,
            "--port", Integer.toString(port + 1 + i), "--cluster-name", name, "--work-dir",
            dir.resolve("worker-" + i).toString());
        Files.createDirectories(dir);
        started.add(new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker-" + i + ".log").toFile()).start());
      }
      JsonObject config = new JsonObject();
      config.addProperty("sleepMs", trialMs);
      NasNetSearchSpace space = NasNetSearchSpace.paper();
      HazelcastTrialExecutor executor = new HazelcastTrialExecutor(ClusterSettings.parse(members).withPort(port)
          .withName(name), TrialRecipe.of(SleepTrial.class, config), 0, 0);
      // Measure from the moment every worker has joined, so member start-up is not counted.
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (executor.workers() < workers) {
        if (System.nanoTime() > deadline) {
          executor.close();
          throw new IllegalStateException("only " + executor.workers() + " of " + workers + " workers joined; see "
              + dir);
        }
        Thread.sleep(200);
      }
      long t0 = System.nanoTime();
      new Search<>(space, new RandomSearch(space, 1), executor, dir.resolve("search"), trials).run();
      double seconds = (System.nanoTime() - t0) / 1e9;
      return trials / seconds * 60;
    } finally {
      for (Process p : started) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }
}
