package dev.nasnet.search.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.nasnet.search.ClusterSearchMain;
import dev.nasnet.search.trial.SearchJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real JVMs on loopback, a controller and two workers sharing a secret, attacked two ways: a worker with another
 * secret, which must join nothing; and a member that joined (it knows the cluster name) without the secret, which
 * forges results, fuzzes the queue and the results with a thousand random and mutated messages, and (with the
 * secret, as a compromised controller would) queues tickets for classes no worker may run. Every message is refused
 * with a warning that names the rogue, nobody crashes, and every trial completes exactly once with a genuine reward.
 */
class ClusterSecurityTest {
  private static final int TRIALS = 12;
  private static final int FUZZ = 1000;
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private int port;
  private String name;

  @AfterEach
  void stopEverything() {
    processes.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }

  @Test
  void aWorkerWithAnotherSecretJoinsNothingAndRunsNothing() throws Exception {
    setUp();
    Path secret = secretFile("secret", "the-right-secret-0123456789");
    Path wrong = secretFile("wrong", "the-wrong-secret-0123456789");
    Process controller = controller(secret, 1500);
    Process rogue = start("rogue-worker.log", Map.of(), ClusterWorker.class.getName(), "--cluster", members(),
        "--port", Integer.toString(port + 3), "--cluster-name", name, "--cluster-secret-file", wrong.toString(),
        "--work-dir", dir.resolve("rogue-work").toString(), "--connect-timeout-seconds", "8");
    worker(0, secret);
    assertThat(rogue.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(rogue.exitValue()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("rogue-worker.log"))).contains("error: no search controller reachable");
    assertThat(controller.waitFor(180, TimeUnit.SECONDS)).as("search finished; see controller.log").isTrue();
    assertThat(controller.exitValue()).isZero();
    assertEachTrialCompletedOnce();
    assertThat(dir.resolve("rogue-work")).doesNotExist();
    String log = Files.readString(dir.resolve("controller.log"));
    assertThat(log).doesNotContain("(pid " + rogue.pid() + ")");
    assertThat(dir.resolve("worker-0")).as("the worker with the secret ran the trials").isDirectory();
    System.out.println("logged: " + lines("rogue-worker.log").stream().filter(l -> l.startsWith("error:"))
        .findFirst().orElseThrow());
  }

  @Test
  void forgedFuzzedAndForbiddenMessagesAreEachRefusedAndEveryTrialCompletesOnce() throws Exception {
    setUp();
    Path secret = secretFile("secret", "the-right-secret-0123456789");
    // Trials long enough that the search outlasts the attack.
    Process controller = controller(secret, 2500);
    worker(0, secret);
    worker(1, secret);
    Process rogue = start("rogue.log", Map.of(), RogueMember.class.getName(), Integer.toString(port + 3), members(),
        name, secret.toString(), Integer.toString(FUZZ), "15");
    assertThat(rogue.waitFor(150, TimeUnit.SECONDS)).as("rogue done; see rogue.log").isTrue();
    assertThat(controller.waitFor(180, TimeUnit.SECONDS)).as("search finished; see controller.log").isTrue();
    assertThat(controller.exitValue()).isZero();
    assertThat(processes.subList(1, 3)).allMatch(Process::isAlive);

    Map<Long, Double> rewards = assertEachTrialCompletedOnce();
    assertThat(rewards.values()).as("no forged reward").allMatch(r -> r >= 0 && r < 100);
    String rogueLog = Files.readString(dir.resolve("rogue.log"));
    assertThat(rogueLog).contains("rogue queue drained=true");
    Matcher sent = Pattern.compile("rogue sent tickets=(\\d+) results=(\\d+) classes=(\\d+)").matcher(rogueLog);
    assertThat(sent.find()).as(rogueLog).isTrue();
    int tickets = Integer.parseInt(sent.group(1));
    int results = Integer.parseInt(sent.group(2));
    assertThat(tickets + results).isEqualTo(FUZZ);

    String who = "(pid " + rogue.pid() + ")";
    List<String> workerLines = Stream.of(0, 1).flatMap(i -> lines("worker-" + i + ".log").stream()).toList();
    List<String> refusedTickets = workerLines.stream().filter(l -> l.contains("refused a ticket from member"))
        .toList();
    List<String> refusedClasses = workerLines.stream().filter(l -> l.contains("refused trial 9000")).toList();
    List<String> refusedResults = lines("controller.log").stream().filter(l -> l.contains("refused a result"))
        .toList();
    assertThat(refusedTickets).hasSize(tickets).allMatch(l -> l.contains(who));
    assertThat(refusedResults).hasSize(results).allMatch(l -> l.contains(who));
    assertThat(refusedResults).anyMatch(l -> l.endsWith("wrong signature"));
    assertThat(refusedClasses).hasSize(2).allMatch(l -> l.contains(who));
    assertThat(String.join("\n", refusedClasses))
        .contains("trial class java.lang.Runtime is not on this worker's allow-list")
        .contains("trial class " + Tripwire.class.getName() + " is not on this worker's allow-list");
    assertThat(dir.resolve("tripwire")).as("Tripwire's static initialiser ran on a worker").doesNotExist();
    System.out.printf("fuzz: %d tickets and %d results sent, %d and %d refused; 2 forbidden classes refused%n",
        tickets, results, refusedTickets.size(), refusedResults.size());
    // What an operator reads, for the record.
    Stream.of(refusedResults.get(0), refusedTickets.get(0), refusedClasses.get(0), refusedClasses.get(1))
        .forEach(l -> System.out.println("logged: " + l.substring(l.indexOf(" - ") + 3)));
  }

  private void setUp() {
    name = "sec-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    port = LoopbackPorts.freeBlock(5);
  }

  private Path secretFile(String file, String secret) throws IOException {
    Path f = dir.resolve(file);
    Files.writeString(f, secret);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private String members() {
    return Stream.of(0, 1, 2).map(i -> "127.0.0.1:" + (port + i)).collect(Collectors.joining(","));
  }

  private Process controller(Path secret, long sleepMs) throws IOException {
    return start("controller.log", Map.of(), ClusterSearchMain.class.getName(), dir.resolve("search").toString(),
        Integer.toString(port), members(), name, Integer.toString(TRIALS), Long.toString(sleepMs), secret.toString());
  }

  private Process worker(int i, Path secret) throws IOException {
    return start("worker-" + i + ".log", Map.of("NASNET_TRIPWIRE", dir.resolve("tripwire").toString()),
        ClusterWorker.class.getName(), "--cluster", members(), "--port", Integer.toString(port + 1 + i),
        "--cluster-name", name, "--cluster-secret-file", secret.toString(), "--work-dir",
        dir.resolve("worker-" + i).toString(), "--connect-timeout-seconds", "120");
  }

  private Process start(String log, Map<String, String> env, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), main));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private List<String> lines(String log) {
    try {
      return Files.readAllLines(dir.resolve(log));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Map<Long, Double> assertEachTrialCompletedOnce() {
    Map<Long, Integer> counts = new HashMap<>();
    Map<Long, Double> rewards = new HashMap<>();
    for (JsonObject e : SearchJournal.read(dir.resolve("search"))) {
      String type = e.get("type").getAsString();
      if (type.equals("completed") || type.equals("failed")) {
        assertThat(type).as("trial %s: %s", e.get("id"), e).isEqualTo("completed");
        counts.merge(e.get("id").getAsLong(), 1, Integer::sum);
        rewards.put(e.get("id").getAsLong(), e.get("reward").getAsDouble());
      }
    }
    assertThat(counts).hasSize(TRIALS);
    assertThat(counts.values()).containsOnly(1);
    return rewards;
  }
}
