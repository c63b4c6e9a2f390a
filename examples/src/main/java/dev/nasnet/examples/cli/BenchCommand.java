package dev.nasnet.examples.cli;

import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.ModelSummary;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.train.TrainingConfig;
import dev.nasnet.core.runtime.GraphSession;
import dev.nasnet.core.runtime.Placement;
import dev.nasnet.core.runtime.StepTrace;
import dev.nasnet.core.train.TrainingGraph;
import org.tensorflow.Session;
import org.tensorflow.types.TInt32;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.strategy.PpoController;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.TrialOutcome;
import dev.nasnet.detection.data.CocoCategory;
import dev.nasnet.detection.image.RgbImage;
import dev.nasnet.detection.FasterRcnnConfig;
import dev.nasnet.detection.FasterRcnnDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Forward-pass speed: warm-up, then the median of timed runs, in images/s.")
final class BenchCommand implements Callable<Integer> {
  @Mixin PresetOption preset;

  @Option(names = "--batch", defaultValue = "1", description = "batch size")
  int batch;

  @Option(names = "--runs", defaultValue = "10", description = "timed runs, at least 10")
  int runs;

  @Option(names = "--warmup", defaultValue = "3", description = "untimed runs first")
  int warmup;

  @Option(names = "--train", description = "time training steps (forward, backward, update) instead of inference")
  boolean train;

  @Option(names = "--plain-graph", description = "time inference on the plain graph (variables, batch norm as built) "
      + "instead of the one NasNetClassifier.optimizeForInference() makes (weights frozen, batch norm folded)")
  boolean plainGraph;

  @Option(names = "--placement", description = "also print where the ops of one step ran: op counts per device type "
      + "(CPU, GPU) and op type, from a traced run")
  boolean placement;

  @Option(names = "--profile", description = "also print where the time of one step goes: kernel time per op type "
      + "(TensorFlow's step statistics of a traced run, the op types after graph optimisation)")
  boolean profile;

  @Option(names = "--peak", description = "measure this machine's FP32 matmul speed through TensorFlow instead "
      + "(4096 x 4096, the median of --runs): the limit the other lines' GFLOP/s are a fraction of")
  boolean peak;

  @Option(names = "--controller", description = "time the search controller instead: the paper's PPO controller "
      + "proposing 20 NASNet architectures (50 decisions each) and making one update on their rewards")
  boolean controller;

  @Option(names = "--search-journal", description = "time a whole search instead: --trials trials of --strategy "
      + "with a synthetic reward and one worker; journal and snapshot bytes, overhead per trial, resume time")
  boolean searchJournal;

  @Option(names = "--strategy", defaultValue = "ppo", description = "with --search-journal: ppo, evolution or "
      + "random")
  String strategy;

  @Option(names = "--trials", defaultValue = "20000", description = "with --search-journal: trials")
  int trials;

  @Option(names = "--bench-dir", description = "with --search-journal: an empty directory for the search "
      + "(default: a new temporary directory)")
  java.nio.file.Path benchDir;

  @Option(names = "--detector", description = "time a Faster R-CNN preset instead (mobile-cpu, nas, "
      + "nas-lowproposals, shapes): whole detections (resize, both stages, NMS) on --image-size images, batch 1")
  String detector;

  @Option(names = "--image-size", defaultValue = "640x480", description = "WIDTHxHEIGHT of the images given to "
      + "--detector, resized to its input")
  String imageSize;

  @Override
  public Integer call() throws java.io.IOException {
    if (searchJournal) {
      CliChecks.inRange("--trials", trials, 2, 10_000_000);
      return SearchJournalBench.run(strategy, trials,
          benchDir != null ? benchDir : java.nio.file.Files.createTempDirectory("nasnet-search-bench"));
    }
    CliChecks.inRange("--batch", batch, 1, 4096);
    CliChecks.inRange("--runs", runs, 1, 100_000);
    CliChecks.inRange("--warmup", warmup, 0, 100_000);
    if (runs < 10) {
      throw new IllegalArgumentException("--runs must be at least 10 for a median worth reporting, got " + runs);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be positive, got " + batch);
    }
    if (peak) {
      MatmulPeak.Result p = MatmulPeak.measure(4096, runs, warmup);
      System.out.printf(Locale.ROOT, "FP32 matmul peak through TensorFlow: %d x %d, median %.1f GFLOP/s over %d runs%n",
          p.n(), p.n(), p.gflops(), p.runs());
      return 0;
    }
    if (controller) {
      return benchController();
    }
    if (detector != null) {
      return benchDetector();
    }
    NasNetConfig config = preset.config();
    int size = config.imageSize();
    Shape shape = Shape.of(batch, size, size, config.imageChannels());
    double[] seconds;
    if (train) {
      seconds = timeTraining(config, shape);
    } else {
      try (NasNetClassifier net = NasNetClassifier.create(config);
          TFloat32 images = randomImages(shape)) {
        // Fresh batch norms are identities (gamma 1, beta 0, mean 0, variance 1), which folding would turn into zero
        // biases the optimiser drops; trained networks' are not, so time statistics like theirs.
        randomizeBatchNorms(net);
        if (!plainGraph) {
          net.optimizeForInference();
        }
        seconds = time(() -> net.logits(images).close());
        printTrace(() -> net.inferenceRunner(images));
      }
    }
    Arrays.sort(seconds);
    double median = median(seconds);
    // Each multiply-add is 2 operations; a training step counts as 3 forward passes (forward, and a backward pass of
    // about twice its work), the usual rule.
    double flops = 2.0 * ModelSummary.of(config).multiplyAdds() * batch * (train ? 3 : 1);
    double achieved = flops / median / 1e9;
    MatmulPeak.Result limit = MatmulPeak.measure(4096, 5, 1);
    System.out.printf(Locale.ROOT, "%s %s batch %d: median %.1f ms per batch (min %.1f, max %.1f over %d runs) = %.1f "
        + "images/s, %.1f GFLOP/s = %.0f%% of this machine's %.0f GFLOP/s FP32 matmul peak (measured now)%n",
        config.name(), (train ? "training" : "inference") + (train || !plainGraph ? "" : " (plain graph)")
            + (dev.nasnet.core.runtime.SessionOptions.defaults().bfloat16() ? " in bfloat16" : ""), batch, median * 1e3, seconds[0] * 1e3,
        seconds[runs - 1] * 1e3, runs, batch / median, achieved, 100 * achieved / limit.gflops(), limit.gflops());
    return 0;
  }

  private int benchDetector() {
    String[] wh = imageSize.split("x");
    int w = Integer.parseInt(wh[0]);
    int h = Integer.parseInt(wh[1]);
    byte[] pixels = new byte[w * h * 3];
    new Random(1).nextBytes(pixels);
    RgbImage image = new RgbImage(w, h, pixels);
    List<CocoCategory> classes = new ArrayList<>();
    for (int i = 1; i <= 90; i++) {
      classes.add(new CocoCategory(i, "class" + i, ""));
    }
    FasterRcnnConfig config = FasterRcnnConfig.preset(detector, classes);
    double[] seconds;
    try (FasterRcnnDetector d = FasterRcnnDetector.create(config)) {
      seconds = time(() -> d.detect(image));
    }
    Arrays.sort(seconds);
    double median = median(seconds);
    System.out.printf(Locale.ROOT, "%s (%s at %dx%d, %d proposals, 90 classes) on %dx%d images: median %.1f ms per "
        + "image (min %.1f, max %.1f over %d runs) = %.2f images/s%n", config.name(), config.backbone().name(),
        config.inputSize(), config.inputSize(), config.maxProposals(), w, h, median * 1e3, seconds[0] * 1e3,
        seconds[runs - 1] * 1e3, runs, 1 / median);
    return 0;
  }

  private int benchController() {
    NasNetSearchSpace space = NasNetSearchSpace.paper();
    PpoController.Settings settings = PpoController.Settings.paper();
    int n = settings.batchSize();
    double[] propose = new double[runs];
    double[] update = new double[runs];
    Random rewards = new Random(1);
    try (PpoController ppo = new PpoController(space, settings, 1)) {
      for (int r = -warmup; r < runs; r++) {
        long t0 = System.nanoTime();
        List<Proposal> batch = ppo.ask((long) (r + warmup) * n, n);
        long t1 = System.nanoTime();
        for (int i = 0; i < n - 1; i++) {
          ppo.tell(TrialOutcome.completed(batch.get(i), 0.8 + 0.1 * rewards.nextDouble()));
        }
        long t2 = System.nanoTime();
        ppo.tell(TrialOutcome.completed(batch.get(n - 1), 0.8 + 0.1 * rewards.nextDouble())); // the update
        long t3 = System.nanoTime();
        if (r >= 0) {
          propose[r] = (t1 - t0) / 1e6;
          update[r] = (t3 - t1) / 1e6;
        }
      }
    }
    double[] total = new double[runs];
    for (int r = 0; r < runs; r++) {
      total[r] = propose[r] + update[r];
    }
    System.out.printf(Locale.ROOT, "PPO controller (LSTM %d, minibatch %d, %d decisions): median %.1f ms to propose "
        + "%d architectures + %.1f ms for one update = %.1f ms per round (min %.1f, max %.1f over %d rounds)%n",
        settings.hidden(), n, space.length(), median(propose), n, median(update), median(total),
        Arrays.stream(total).min().orElse(0), Arrays.stream(total).max().orElse(0), runs);
    return 0;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private double[] timeTraining(NasNetConfig config, Shape shape) {
    TrainingConfig training = TrainingConfig.builder().batchSize(batch).totalSteps(1_000_000).build();
    GraphSession.Built<TrainingGraph> built = GraphSession.build(
        g -> new TrainingGraph(g, config, OpLibrary.standard(), training));
    TrainingGraph tg = built.model();
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = i % config.numClasses();
    }
    try (GraphSession gs = built.holder().initialize();
        TFloat32 images = randomImages(shape);
        TInt32 y = TInt32.vectorOf(labels);
        TFloat32 lr = TFloat32.scalarOf(0.01f)) {
      Session s = gs.session();
      double[] seconds = time(() -> s.runner().feed(tg.model().images(), images).feed(tg.labels(), y)
          .feed(tg.learningRate(), lr).addTarget(tg.trainOp()).run().close());
      printTrace(() -> s.runner().feed(tg.model().images(), images).feed(tg.labels(), y)
          .feed(tg.learningRate(), lr).addTarget(tg.trainOp()));
      return seconds;
    }
  }

  /** With --placement or --profile: one traced step, its kernels counted per device or timed per op type. */
  private void printTrace(java.util.function.Supplier<Session.Runner> step) {
    if (placement) {
      System.out.print("placement (ops executed in one traced step):\n"
          + Placement.format(StepTrace.run(step.get()).countsByDevice()));
    }
    if (profile) {
      System.out.print("profile (one traced step, kernel time per op type):\n"
          + StepTrace.run(step.get()).formatTimeByOpType(25));
    }
  }

  private double[] time(Runnable step) {
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    double[] seconds = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      step.run();
      seconds[i] = (System.nanoTime() - t0) / 1e9;
    }
    return seconds;
  }

  /** Gives every batch norm of {@code net} parameters and statistics in the ranges a trained network's take. */
  private static void randomizeBatchNorms(NasNetClassifier net) {
    Random r = new Random(7);
    org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(net.model().graph());
    Session.Runner assign = net.session().runner();
    for (dev.nasnet.core.graph.ModelVariable v : net.model().variables()) {
      String name = v.name();
      boolean scale = name.endsWith("moving_variance") || name.endsWith("gamma");
      if (scale || name.endsWith("moving_mean") || name.endsWith("beta")) {
        float[] values = new float[(int) v.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = scale ? 0.5f + r.nextFloat() : (float) r.nextGaussian() * 0.3f;
        }
        assign.addTarget(tf.assign(v.variable(), tf.constant(values)));
      }
    }
    assign.run().close();
  }

  private static TFloat32 randomImages(Shape shape) {
    TFloat32 images = TFloat32.tensorOf(shape);
    Random r = new Random(1);
    images.scalars().forEach(s -> s.setFloat(r.nextFloat() * 2 - 1));
    return images;
  }
}
