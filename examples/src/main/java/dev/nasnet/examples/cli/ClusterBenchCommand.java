package dev.nasnet.examples.cli;

import com.google.gson.JsonObject;
import dev.nasnet.search.cluster.ClusterSecret;
import dev.nasnet.search.cluster.ClusterSettings;
import dev.nasnet.search.cluster.ClusterWorker;
import dev.nasnet.search.cluster.HazelcastTrialExecutor;
import dev.nasnet.search.cluster.LoopbackPorts;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.trial.Search;
import dev.nasnet.search.trial.SearchJournal;
import dev.nasnet.search.trial.TrialRecipe;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-cluster", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Trials per minute of a cluster search with 1 worker and with more, "
    + "all on this machine over loopback: a controller in this JVM, worker JVMs started here, and trials that sleep "
    + "(each still in a JVM of its own), so the numbers show scheduling and not CPU contention. Tickets and results "
    + "are signed with a fresh cluster secret, as on a real cluster. Also counts lost and doubled trials, the "
    + "controller's heap and the journal's size, and with --pause-worker-seconds stops a worker (SIGSTOP) past its "
    + "lease and resumes it (SIGCONT) to show its stale attempt does not complete.")
final class ClusterBenchCommand implements Callable<Integer> {
  @Option(names = "--workers", split = ",", defaultValue = "1,3", description = "worker counts to compare")
  List<Integer> workerCounts;

  @Option(names = "--trials", defaultValue = "24", description = "trials per run")
  int trials;

  @Option(names = "--trial-ms", defaultValue = "3000", description = "how long each trial sleeps")
  long trialMs;

  @Option(names = "--lease-seconds", defaultValue = "10", description = "the controller's lease timeout")
  int leaseSeconds;

  @Option(names = "--pause-worker-seconds", defaultValue = "0", description = "in runs with 2 or more workers, "
      + "SIGSTOP worker 0 this long while it runs a trial, then SIGCONT it (0: no pause)")
  int pauseSeconds;

  @Override
  public Integer call() throws Exception {
    for (int w : workerCounts) {
      CliChecks.inRange("--workers", w, 1, 64);
    }
    CliChecks.inRange("--trials", trials, 1, 1_000_000);
    CliChecks.atLeast("--trial-ms", trialMs, 0);
    CliChecks.inRange("--lease-seconds", leaseSeconds, 1, 3600);
    CliChecks.inRange("--pause-worker-seconds", pauseSeconds, 0, 3600);
    Path dir = Files.createTempDirectory("nasnet-bench-cluster");
    Path secretFile = dir.resolve("cluster-secret");
    Files.writeString(secretFile, HexFormat.of().formatHex(new SecureRandom().generateSeed(32)));
    Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
    List<String> rows = new ArrayList<>();
    for (int w : workerCounts) {
      String row = run(w, dir.resolve("w" + w), secretFile);
      rows.add(row);
      System.out.println(row);
    }
    System.out.println("bench-cluster (trials sleep " + trialMs + " ms, each in its own JVM, loopback, signed "
        + "messages; logs in " + dir + "):");
    rows.forEach(r -> System.out.println("  " + r));
    return 0;
  }

  private String run(int workers, Path dir, Path secretFile) throws Exception {
    int port = LoopbackPorts.freeBlock(workers + 1);
    String members = IntStream.rangeClosed(0, workers).mapToObj(i -> "127.0.0.1:" + (port + i))
        .collect(Collectors.joining(","));
    String name = "bench-" + ProcessHandle.current().pid() + "-" + workers;
    List<Process> started = new ArrayList<>();
    Files.createDirectories(dir);
    try {
      for (int i = 0; i < workers; i++) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), ClusterWorker.class.getName(), "--cluster", members,
            "--port", Integer.toString(port + 1 + i), "--cluster-name", name, "--cluster-secret-file",
            secretFile.toString(), "--work-dir", dir.resolve("worker-" + i).toString());
        started.add(new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker-" + i + ".log").toFile()).start());
      }
      JsonObject config = new JsonObject();
      config.addProperty("sleepMs", trialMs);
      NasNetSearchSpace space = NasNetSearchSpace.paper();
      HazelcastTrialExecutor executor = new HazelcastTrialExecutor(ClusterSettings.parse(members).withPort(port)
          .withName(name).withSecret(ClusterSecret.read(secretFile))
          .withLeaseTimeout(java.time.Duration.ofSeconds(leaseSeconds)), TrialRecipe.of(SleepTrial.class, config), 0,
          0);
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
      Thread pauser = null;
      String[] pauseNote = {""};
      if (pauseSeconds > 0 && workers >= 2) {
        pauser = new Thread(() -> pauseNote[0] = pauseWorker(started.get(0), dir.resolve("worker-0")),
            "bench-pauser");
        pauser.setDaemon(true);
        pauser.start();
      }
      resetPeaks();
      long t0 = System.nanoTime();
      new Search<>(space, new RandomSearch(space, 1), executor, dir.resolve("search"), trials).run();
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (pauser != null) {
        pauser.join(TimeUnit.SECONDS.toMillis(pauseSeconds + 30));
      }
      Map<Long, Integer> done = new TreeMap<>();
      int failed = 0;
      for (JsonObject e : SearchJournal.read(dir.resolve("search"))) {
        String type = e.get("type").getAsString();
        if (type.equals("completed") || type.equals("failed")) {
          done.merge(e.get("id").getAsLong(), 1, Integer::sum);
          failed += type.equals("failed") ? 1 : 0;
        }
      }
      long doubled = done.values().stream().filter(c -> c > 1).count();
      long journalBytes = Files.size(dir.resolve("search").resolve(SearchJournal.FILE));
      double peakMb = peakHeapMb();
      System.gc();
      Runtime rt = Runtime.getRuntime();
      double afterGcMb = (rt.totalMemory() - rt.freeMemory()) / 1e6;
      String row = String.format(Locale.ROOT, "%d worker(s): %d trials of %d ms in %.1f s = %.1f trials/min; "
          + "lost %d, doubled %d, failed %d; controller heap peak %.0f MB, %.0f MB after GC; journal %,d bytes",
          workers, trials, trialMs, seconds, trials / seconds * 60, trials - done.size(), doubled, failed, peakMb,
          afterGcMb, journalBytes);
      return pauseNote[0].isEmpty() ? row : row + "\n    " + pauseNote[0] + "\n    worker 0 after SIGCONT: "
          + staleLines(dir.resolve("worker-0.log"));
    } finally {
      for (Process p : started) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  /** Waits for worker 0 to run a trial, stops it past its lease, resumes it, and says what it did. */
  private String pauseWorker(Process worker, Path workDir) {
    try {
      Optional<Path> attempt = Optional.empty();
      while (attempt.isEmpty() && worker.isAlive()) {
        Thread.sleep(100);
        attempt = runningAttempt(workDir);
      }
      if (attempt.isEmpty()) {
        return "worker 0 ended before it ran a trial; no pause";
      }
      signal("STOP", worker.pid());
      Thread.sleep(TimeUnit.SECONDS.toMillis(pauseSeconds));
      signal("CONT", worker.pid());
      return "SIGSTOP worker 0 (pid " + worker.pid() + ") for " + pauseSeconds + " s (lease " + leaseSeconds
          + " s) while it ran trial " + attempt.get().getParent().getFileName() + " " + attempt.get().getFileName()
          + ", then SIGCONT";
    } catch (Exception e) {
      return "pause failed: " + e;
    }
  }

  private static void signal(String sig, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
    }
  }

  private static Optional<Path> runningAttempt(Path workDir) throws Exception {
    if (!Files.isDirectory(workDir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      return files.filter(f -> f.getFileName().toString().equals("trial.json")).map(Path::getParent)
          .filter(a -> !Files.exists(a.resolve("result.json")) && !Files.exists(a.resolve("error.txt"))).findFirst();
    }
  }

  private static String staleLines(Path log) throws Exception {
    try (Stream<String> lines = Files.lines(log)) {
      List<String> stale = lines.filter(l -> l.contains("stale attempt") || l.contains("refused a ticket") || l.contains("refused trial"))
          .map(l -> l.substring(Math.max(0, l.indexOf("trial ")))).toList();
      return stale.isEmpty() ? "(no stale attempt logged)" : String.join(" | ", stale);
    }
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static double peakHeapMb() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1e6;
  }
}
