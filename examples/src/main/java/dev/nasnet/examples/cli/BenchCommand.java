package dev.nasnet.examples.cli;

import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.train.TrainingConfig;
import dev.nasnet.core.train.TrainingGraph;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.types.TInt32;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Forward-pass speed: warm-up, then the median of timed runs, in images/s.")
final class BenchCommand implements Callable<Integer> {
  @Mixin PresetOption preset;

  @Option(names = "--batch", defaultValue = "1", description = "batch size (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--runs", defaultValue = "10", description = "timed runs, at least 10 (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--warmup", defaultValue = "3", description = "untimed runs first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--train", description = "time training steps (forward, backward, update) instead of inference")
  boolean train;

  @Override
  public Integer call() {
    if (runs < 10) {
      throw new IllegalArgumentException("--runs must be at least 10 for a median worth reporting, got " + runs);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be positive, got " + batch);
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
        seconds = time(() -> net.logits(images).close());
      }
    }
    Arrays.sort(seconds);
    double median = runs % 2 == 1 ? seconds[runs / 2] : (seconds[runs / 2 - 1] + seconds[runs / 2]) / 2;
    System.out.printf("%s %s batch %d: median %.1f ms per batch (min %.1f, max %.1f over %d runs) = %.1f images/s%n",
        config.name(), train ? "training" : "inference", batch, median * 1e3, seconds[0] * 1e3,
        seconds[runs - 1] * 1e3, runs, batch / median);
    return 0;
  }

  private double[] timeTraining(NasNetConfig config, Shape shape) {
    TrainingConfig training = TrainingConfig.builder().batchSize(batch).totalSteps(1_000_000).build();
    try (Graph g = new Graph()) {
      TrainingGraph tg = new TrainingGraph(g, config, OpLibrary.standard(), training);
      int[] labels = new int[batch];
      for (int i = 0; i < batch; i++) {
        labels[i] = i % config.numClasses();
      }
      try (Session s = new Session(g);
          TFloat32 images = randomImages(shape);
          TInt32 y = TInt32.vectorOf(labels);
          TFloat32 lr = TFloat32.scalarOf(0.01f)) {
        s.initialize();
        return time(() -> s.runner().feed(tg.model().images(), images).feed(tg.labels(), y)
            .feed(tg.learningRate(), lr).addTarget(tg.trainOp()).run().close());
      }
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

  private static TFloat32 randomImages(Shape shape) {
    TFloat32 images = TFloat32.tensorOf(shape);
    Random r = new Random(1);
    images.scalars().forEach(s -> s.setFloat(r.nextFloat() * 2 - 1));
    return images;
  }
}
