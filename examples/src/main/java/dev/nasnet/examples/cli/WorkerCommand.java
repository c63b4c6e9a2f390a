package dev.nasnet.examples.cli;

import dev.nasnet.search.cluster.ClusterSettings;
import dev.nasnet.search.cluster.ClusterWorker;
import dev.nasnet.search.cluster.TrialClassAllowList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Join a search cluster and run its trials, each in a JVM of its own, until "
    + "stopped. Start the search with --cluster-port on the controller machine first (or within "
    + "--connect-timeout-seconds).")
final class WorkerCommand implements Callable<Integer> {
  @Option(names = "--cluster", required = true, split = ",",
      description = "HOST:PORT of the controller (and of other members), comma-separated")
  List<String> members;

  @Option(names = "--port", defaultValue = "5701", description = "port this worker listens on, or the next free one "
      + "")
  int port;

  @Option(names = "--cluster-name", defaultValue = "nasnet", description = "must match the search's")
  String clusterName;

  @Mixin ClusterSecurityOptions security;

  @Option(names = "--trial-class", paramLabel = "NAME", split = ",", description = "a trial class this worker may "
      + "run besides the registered ones (META-INF/services/dev.nasnet.search.trial.PortableTrial); repeatable")
  List<String> trialClasses = List.of();

  @Option(names = "--slots", defaultValue = "1", description = "trials at once")
  int slots;

  @Option(names = "--gpus", defaultValue = "0", description = "GPUs this machine gives to trials; a trial that asks "
      + "for k gets k of them through CUDA_VISIBLE_DEVICES")
  int gpus;

  @Option(names = "--work-dir", defaultValue = "nasnet-worker", description = "trial logs and checkpoints")
  Path workDir;

  @Option(names = "--trial-jvm-options", split = " ", defaultValue = "-Xmx2g",
      description = "options of each trial JVM")
  List<String> trialJvmOptions;

  @Option(names = "--connect-timeout-seconds", defaultValue = "120",
      description = "how long to wait for the search controller")
  long connectTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    CliChecks.inRange("--port", port, 1, 65_535);
    CliChecks.inRange("--slots", slots, 1, 1024);
    CliChecks.inRange("--gpus", gpus, 0, 1024);
    CliChecks.inRange("--connect-timeout-seconds", connectTimeoutSeconds, 1, 86_400);
    ClusterSettings settings = security.apply(ClusterSettings.of(members).withPort(port).withName(clusterName));
    TrialClassAllowList allowed = TrialClassAllowList.registeredPlus(trialClasses);
    try (ClusterWorker worker = new ClusterWorker(settings, slots, gpus, workDir, trialJvmOptions, allowed)) {
      Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "nasnet-worker-stop"));
      worker.run(Duration.ofSeconds(connectTimeoutSeconds));
    }
    return 0;
  }
}
