package dev.nasnet.examples.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.core.spec.Combine;
import dev.nasnet.core.spec.OpNames;
import dev.nasnet.search.cluster.ClusterSettings;
import dev.nasnet.search.cluster.HazelcastTrialExecutor;
import dev.nasnet.search.proxy.ProxyTask;
import dev.nasnet.search.proxy.ProxyTaskEvaluator;
import dev.nasnet.search.proxy.ProxyTaskTrial;
import dev.nasnet.search.report.NasNetArchitectureWriter;
import dev.nasnet.search.report.SearchReport;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.strategy.PpoController;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.strategy.RegularizedEvolution;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.trial.ProcessTrialExecutor;
import dev.nasnet.search.trial.Search;
import dev.nasnet.search.trial.SearchHistory;
import dev.nasnet.search.trial.ThreadTrialExecutor;
import dev.nasnet.search.trial.TrialExecutor;
import dev.nasnet.search.trial.TrialReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "search", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Search NASNet cells: each trial trains a small child network on a "
    + "Fashion-MNIST proxy task in a JVM of its own; the journal makes the search resumable after a crash or kill. "
    + "Writes per strategy: journal.jsonl, results/ (trials.csv, ranked.csv, ranked cells as DSL JSON and DOT), and "
    + "best_so_far.png for all strategies.")
final class SearchCommand implements Callable<Integer> {
  static final String SETTINGS_FILE = "search.json";

  @Spec CommandSpec spec;

  @Option(names = "--space", defaultValue = "nasnet", description = "search space: nasnet (default)")
  String space;

  @Option(names = "--blocks", defaultValue = "5", description = "B: blocks per cell")
  int blocks;

  @Option(names = "--ops", split = ",", description = "op set (default: the paper's 13), e.g. "
      + "separable_3x3_2,max_pool_3x3,none")
  List<String> ops;

  @Option(names = "--normal-only", description = "search the normal cell only; NASNet-A's reduction cell is used")
  boolean normalOnly;

  @Option(names = "--evaluator", defaultValue = "fashion-mnist", description = "proxy task: fashion-mnist")
  String evaluator;

  @Mixin
  DataOptions data = new DataOptions();

  @Option(names = "--train-images", defaultValue = "10000", description = "training images of the proxy task")
  int trainImages;

  @Option(names = "--validation-images", defaultValue = "2000", description = "reward split")
  int validationImages;

  /** The child networks' size (NASNet-A's cells) and training. */
  @Mixin
  NetworkSizeOptions child = new NetworkSizeOptions("1", 192);

  @Mixin
  TrainingOptions childTraining = new TrainingOptions(2, 64, 0.05);

  @Option(names = "--child-devices", defaultValue = "1", description = "devices each child trains on, "
      + "data-parallel (towers; --batch must divide evenly)")
  int childDevices;

  @Option(names = "--mac-target", defaultValue = "0", description = "multiply-adds target for a MnasNet-style "
      + "reward factor (cost/target)^w; 0 for none")
  double macTarget;

  @Option(names = "--latency-target-ms", defaultValue = "0", description = "batch-1 latency target; 0 for none")
  double latencyTargetMs;

  @Option(names = "--penalty-exponent", defaultValue = "-0.07", description = "w")
  double penaltyExponent;

  @Option(names = "--strategy", split = ",", defaultValue = "evolution",
      description = "evolution, random, ppo, reinforce; several (comma-separated) run one after another, each with "
          + "the full budget")
  List<String> strategies;

  @Option(names = "--population", defaultValue = "20", description = "evolution P")
  int population;

  @Option(names = "--sample", defaultValue = "5", description = "evolution S")
  int sample;

  @Option(names = "--controller-batch", defaultValue = "20",
      description = "architectures per controller update (, the paper's)")
  int controllerBatch;

  @Option(names = "--trials", defaultValue = "24", description = "trials per strategy")
  int trials;

  @Option(names = "--workers", defaultValue = "2", description = "trials at once")
  int workers;

  @Option(names = "--timeout-minutes", defaultValue = "30", description = "a trial's time budget")
  double timeoutMinutes;

  @Option(names = "--in-process", description = "run trials on threads of this JVM instead of a JVM each")
  boolean inProcess;

  @Option(names = "--trial-jvm-options", split = " ", defaultValue = "-Xmx2g",
      description = "options of each trial JVM")
  List<String> trialJvmOptions;

  @Option(names = "--cluster-port", description = "run trials on a cluster of `worker` JVMs instead of locally; "
      + "this controller listens on this port (workers: --cluster THIS_HOST:PORT)")
  Integer clusterPort;

  @Option(names = "--cluster", split = ",", description = "HOST:PORT of cluster members to join (workers), "
      + "comma-separated; with --cluster-port")
  List<String> clusterMembers;

  @Option(names = "--cluster-name", defaultValue = "nasnet", description = "one search per name")
  String clusterName;

  @picocli.CommandLine.Mixin ClusterSecurityOptions clusterSecurity;

  @Option(names = "--trial-gpus", defaultValue = "0", description = "GPUs each trial needs (on its worker, or on "
      + "this machine with --machine-gpus)")
  int trialGpus;

  @Option(names = "--machine-gpus", defaultValue = "0", description = "GPUs of this machine that local trial JVMs "
      + "share out, --trial-gpus each (CUDA_VISIBLE_DEVICES per trial); 0 leaves GPUs to TensorFlow")
  int machineGpus;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--top", defaultValue = "5", description = "ranked architectures to export")
  int top;

  @Option(names = "--out", defaultValue = "runs/search", description = "search directory")
  Path out;

  @Option(names = "--pruner", defaultValue = "none", description = "stop children early from their validation "
      + "accuracy after each epoch: none, median (median stopping) or asha (asynchronous successive halving); needs "
      + "--in-process")
  String pruner;

  @Option(names = "--asha-eta", defaultValue = "3", description = "with --pruner asha: rungs at epochs 1, eta, "
      + "eta^2, ...; a 1/eta share of the children goes on at each")
  int ashaEta;

  @Option(names = "--minutes", description = "wall-time budget per strategy: no new trial starts after it (default: "
      + "none, --trials alone)")
  Double minutes;

  @Option(names = "--overwrite", description = "delete the search in --out (search.json, each strategy's journal, "
      + "trials and results, best_so_far.png) and start again")
  boolean overwrite;

  @Option(names = "--resume", description = "continue the search in this directory with the settings it was "
      + "started with; give no other option")
  Path resume;

  /** Set on the copy that continues a saved search. */
  private boolean resuming;

  @Override
  public Integer call() throws Exception {
    if (resume != null) {
      if (spec.commandLine().getParseResult().matchedOptions().size() > 1) {
        throw new IllegalArgumentException("--resume takes the settings saved in " + resume.resolve(SETTINGS_FILE)
            + "; give no other option");
      }
      Path settings = resume.resolve(SETTINGS_FILE);
      if (!Files.exists(settings)) {
        throw new IllegalArgumentException("no search to resume in " + resume + " (" + settings + " is missing)");
      }
      JsonArray saved = JsonParser.parseString(Files.readString(settings)).getAsJsonObject().getAsJsonArray("args");
      List<String> args = new ArrayList<>();
      saved.forEach(a -> args.add(a.getAsString()));
      SearchCommand resumed = new SearchCommand();
      new CommandLine(resumed).parseArgs(args.toArray(String[]::new));
      resumed.out = resume;
      resumed.resuming = true;
      return resumed.runSearch(args);
    }
    checkOptions();
    if (Files.exists(out.resolve(SETTINGS_FILE))) {
      if (!overwrite) {
        throw new IllegalArgumentException(out + " already holds a search; continue it with --resume " + out
            + ", start again with --overwrite, or choose another --out");
      }
      deleteSearch(out);
    }
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    int self = args.indexOf(spec.name());
    args = new ArrayList<>(args.subList(self + 1, args.size()));
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--out") || args.get(i).startsWith("--out=")) {
        args.subList(i, Math.min(args.size(), i + (args.get(i).equals("--out") ? 2 : 1))).clear();
        break;
      }
    }
    Files.createDirectories(out);
    JsonObject settings = new JsonObject();
    settings.add("args", new Gson().toJsonTree(args));
    Files.writeString(out.resolve(SETTINGS_FILE), settings.toString());
    return runSearch(args);
  }

  /**
   * The search space a CLI search in {@code out} was started with, from the settings it saved; the paper's space
   * when there are none (a search made through the library).
   */
  static NasNetSearchSpace spaceOf(Path out) throws java.io.IOException {
    Path settings = out.resolve(SETTINGS_FILE);
    if (!Files.exists(settings)) {
      return NasNetSearchSpace.paper();
    }
    JsonObject o = JsonParser.parseString(Files.readString(settings)).getAsJsonObject();
    if (!o.has("args")) {
      return NasNetSearchSpace.paper(); // the library's own search.json, not the command's settings
    }
    JsonArray saved = o.getAsJsonArray("args");
    List<String> args = new ArrayList<>();
    saved.forEach(a -> args.add(a.getAsString()));
    SearchCommand c = new SearchCommand();
    new CommandLine(c).parseArgs(args.toArray(String[]::new));
    return c.space();
  }

  private NasNetSearchSpace space() {
    return NasNetSearchSpace.of(blocks, ops == null ? OpNames.PAPER_OPS : ops, List.of(Combine.ADD, Combine.CONCAT),
        !normalOnly);
  }

  /** Every option's range, before any directory or data is touched. */
  private void checkOptions() {
    CliChecks.inRange("--blocks", blocks, 1, 10);
    CliChecks.atLeast("--train-images", trainImages, 1);
    CliChecks.atLeast("--validation-images", validationImages, 1);
    child.checkNumberOnly("search");
    childTraining.check(4096);
    CliChecks.inRange("--child-devices", childDevices, 1, 64);
    CliChecks.inRange("--population", population, 2, 100_000);
    CliChecks.inRange("--sample", sample, 1, population);
    CliChecks.atLeast("--controller-batch", controllerBatch, 1);
    CliChecks.atLeast("--trials", trials, 1);
    CliChecks.inRange("--workers", workers, 1, 1024);
    CliChecks.positive("--timeout-minutes", timeoutMinutes);
    CliChecks.atLeast("--trial-gpus", trialGpus, 0);
    CliChecks.inRange("--machine-gpus", machineGpus, 0, 64);
    if (clusterPort == null && !inProcess && trialGpus > 0) {
      new dev.nasnet.search.trial.GpuPool(machineGpus).checkServes(trialGpus);
    }
    CliChecks.atLeast("--top", top, 1);
    CliChecks.inRange("--asha-eta", ashaEta, 2, 100);
    if (minutes != null) {
      CliChecks.positive("--minutes", minutes);
    }
    if (!List.of("none", "median", "asha").contains(pruner)) {
      throw new IllegalArgumentException("--pruner must be none, median or asha, got '" + pruner + "'");
    }
    if (!pruner.equals("none") && !inProcess) {
      throw new IllegalArgumentException("--pruner " + pruner + " needs --in-process: a JVM per trial cannot be "
          + "stopped from its reports yet");
    }
    if (ops != null) {
      for (String op : ops) {
        if (!dev.nasnet.core.graph.OpLibrary.standard().find(op).isPresent()) {
          throw new IllegalArgumentException("--ops names '" + op + "', which is not an op; known: "
              + dev.nasnet.core.graph.OpLibrary.standard().names());
        }
      }
    }
  }

  /** --overwrite: the previous search's own files, found through its settings and journals; nothing else. */
  private static void deleteSearch(Path dir) throws java.io.IOException {
    try (var children = Files.list(dir)) {
      for (Path child : children.toList()) {
        if (Files.isDirectory(child) && Files.exists(child.resolve("journal.jsonl"))) {
          try (var tree = Files.walk(child)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
              Files.delete(p);
            }
          }
        }
      }
    }
    Files.deleteIfExists(dir.resolve("best_so_far.png"));
    Files.delete(dir.resolve(SETTINGS_FILE));
  }

  private int runSearch(List<String> args) throws Exception {
    if (!space.equals("nasnet")) {
      throw new IllegalArgumentException("unknown --space '" + space + "'; the command-line tool searches nasnet "
          + "(other spaces: implement SearchSpace, see the README)");
    }
    if (!evaluator.equals("fashion-mnist")) {
      throw new IllegalArgumentException("unknown --evaluator '" + evaluator + "'; use fashion-mnist");
    }
    // The secret file is read and checked before the data, so a wrong one fails in a second.
    ClusterSettings cluster = clusterPort == null ? null : clusterSecurity.apply(ClusterSettings.of(
        clusterMembers == null ? List.of() : clusterMembers).withPort(clusterPort).withName(clusterName));
    Path dataDir = data.dirOrFashionMnist();
    // Read once here, so a wrong folder fails now rather than in every trial.
    dev.nasnet.core.data.Datasets.Loaded loaded = dev.nasnet.core.data.Datasets.load(dataDir, 32);
    if (trainImages + validationImages > loaded.train().size()) {
      throw new IllegalArgumentException("--train-images " + trainImages + " + --validation-images "
          + validationImages + " is more than the " + loaded.train().size() + " training images in " + dataDir);
    }
    NasNetSearchSpace nasnet = space();
    ProxyTask task = ProxyTask.fashionMnist().withData(dataDir.toString(), trainImages, validationImages)
        .withChild(child.cellsPerStack(), child.filters)
        .withTraining(childTraining.epochs, childTraining.batch, childTraining.lr)
        .withPenalty(macTarget, latencyTargetMs, penaltyExponent).withSeed(seed).withDevices(childDevices);
    System.out.printf(Locale.ROOT, "search %s: %d trials per strategy, %d at once%s; each child %d @ %d trained %s "
        + "epochs on %,d images, rewarded on %,d; settings: %s%n", out, trials, workers,
        clusterPort != null ? " (or as many as the cluster's workers have slots)" : inProcess ? " in this JVM"
            : ", a JVM each", child.cellsPerStack(), child.filters, childTraining.epochs, trainImages,
        validationImages,
        String.join(" ", args));
    Map<String, double[]> curves = new LinkedHashMap<>();
    for (String name : strategies) {
      Path dir = out.resolve(name);
      Strategy strategy = strategy(name, nasnet);
      long timeout = Math.round(timeoutMinutes * 60_000);
      TrialExecutor executor;
      if (cluster != null) {
        executor = new HazelcastTrialExecutor(cluster, ProxyTaskTrial.recipe(nasnet, task), timeout, trialGpus);
      } else if (inProcess) {
        executor = new ThreadTrialExecutor<>(nasnet, new ProxyTaskEvaluator(task, dir.resolve("trials")), workers,
            timeout);
      } else {
        executor = new ProcessTrialExecutor(ProxyTaskTrial.recipe(nasnet, task), dir, workers, timeout,
            trialJvmOptions, machineGpus, trialGpus);
      }
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(trials)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).build()) {
        Search<?> search = new Search<>(nasnet, strategy, executor, dir, trials);
        search.withPruner(switch (pruner) {
          case "median" -> dev.nasnet.search.prune.MedianPruner.defaults();
          case "asha" -> new dev.nasnet.search.prune.AshaPruner(1, ashaEta,
              (long) Math.ceil(childTraining.epochs));
          default -> dev.nasnet.search.prune.Pruner.none();
        });
        if (minutes != null) {
          search.withTimeBudget(java.time.Duration.ofMillis(Math.round(minutes * 60_000)));
        }
        // A strategy's directory exists on resume once it has started; one not reached before the kill starts anew.
        if (resuming && Files.exists(dir.resolve(dev.nasnet.search.trial.SearchJournal.FILE))) {
          search.resuming();
        }
        search.withListener(new Search.Listener() {
          double best = Double.NaN;
          int failed;

          @Override
          public void started(int finished, int budget) {
            bar.stepTo(finished);
          }

          @Override
          public void trialFinished(TrialReport r, int finished, int budget) {
            if (r.outcome().isFailed()) {
              failed++;
            } else if (Double.isNaN(best) || r.outcome().reward() > best) {
              best = r.outcome().reward();
            }
            bar.stepTo(finished);
            bar.setExtraMessage(String.format(Locale.ROOT, "best %.4f, %d failed", best, failed));
          }
        }).run(); // the search closes the strategy (the controller's TensorFlow session) and the executor
      }
      Path results = SearchReport.write(dir, nasnet, top, new NasNetArchitectureWriter());
      SearchHistory history = SearchHistory.read(dir);
      curves.put(name, history.bestSoFar());
      printSummary(name, history, nasnet, results);
    }
    if (curves.values().stream().flatMapToDouble(java.util.Arrays::stream).allMatch(Double::isNaN)) {
      System.out.println("no trial completed, so there is no best-so-far plot; see the trial logs under " + out);
      return 1;
    }
    Path png = dev.nasnet.search.report.SearchPlot.write(curves, out.resolve("best_so_far.png"), "NASNet search on " + evaluator);
    System.out.println("best reward so far against trials: " + png);
    return 0;
  }

  private Strategy strategy(String name, NasNetSearchSpace s) {
    return switch (name) {
      case "evolution" -> new RegularizedEvolution(s, population, sample, seed);
      case "random" -> new RandomSearch(s, seed);
      case "ppo" -> new PpoController(s, PpoController.Settings.paper().withBatchSize(controllerBatch), seed);
      case "reinforce" -> new PpoController(s, PpoController.Settings.paper().withBatchSize(controllerBatch)
          .withReinforce(true), seed);
      default -> throw new IllegalArgumentException("unknown --strategy '" + name
          + "'; use evolution, random, ppo or reinforce");
    };
  }

  private void printSummary(String name, SearchHistory history, NasNetSearchSpace s, Path results) {
    long failed = history.finished().stream().filter(t -> t.outcome().isFailed()).count();
    System.out.printf(Locale.ROOT, "%s: %d trials (%d failed); ranked architectures in %s%n", name,
        history.finished().size(), failed, results);
    System.out.println("  rank  trial   reward  val_top1  multiply-adds  seconds");
    var ranked = SearchReport.ranked(history, s, top);
    for (int r = 0; r < ranked.size(); r++) {
      var t = ranked.get(r);
      System.out.printf(Locale.ROOT, "  %4d  %5d  %.4f    %.4f  %,13.0f  %7.0f%n", r + 1, t.id(), t.outcome().reward(),
          t.metrics().getOrDefault("validation_top1", Double.NaN),
          t.metrics().getOrDefault("multiply_adds", Double.NaN), t.seconds());
    }
  }
}
