package dev.nasnet.examples.cli;

import dev.nasnet.core.inference.NasNetClassifier;
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

  @Override
  public Integer call() {
    if (runs < 10) {
      throw new IllegalArgumentException("--runs must be at least 10 for a median worth reporting, got " + runs);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be positive, got " + batch);
    }
    try (NasNetClassifier net = NasNetClassifier.create(preset.config())) {
      int size = net.model().config().imageSize();
      try (TFloat32 images = TFloat32.tensorOf(Shape.of(batch, size, size, 3))) {
        Random r = new Random(1);
        images.scalars().forEach(s -> s.setFloat(r.nextFloat() * 2 - 1));
        for (int i = 0; i < warmup; i++) {
          net.logits(images).close();
        }
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
          long t0 = System.nanoTime();
          net.logits(images).close();
          seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        double median = runs % 2 == 1 ? seconds[runs / 2] : (seconds[runs / 2 - 1] + seconds[runs / 2]) / 2;
        System.out.printf("%s batch %d: median %.1f ms per batch (min %.1f, max %.1f over %d runs) = %.1f images/s%n",
            net.model().config().name(), batch, median * 1e3, seconds[0] * 1e3, seconds[runs - 1] * 1e3, runs,
            batch / median);
      }
    }
    return 0;
  }
}
