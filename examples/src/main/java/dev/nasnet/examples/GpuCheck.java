package dev.nasnet.examples;

import dev.nasnet.core.data.Batch;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.runtime.Placement;
import dev.nasnet.core.runtime.SessionOptions;
import dev.nasnet.core.train.Trainer;
import dev.nasnet.core.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The GPU smoke check behind {@code tools/gpu-check.sh}: confirms TensorFlow places NASNet-A Mobile's ops on a GPU,
 * runs inference and a few training steps there, and compares the GPU's logits with the CPU's on the same weights.
 * Exit codes: 0 passed, 1 the GPU's logits differ from the CPU's, 3 no GPU (every op ran on the CPU).
 */
public final class GpuCheck {
  static final int NO_GPU = 3;

  private GpuCheck() {}

  public static void main(String[] args) throws Exception {
    System.exit(run());
  }

  static int run() throws Exception {
    NasNetConfig mobile = NasNetConfig.mobile();
    int batch = 8;
    float[] pixels = new float[batch * 224 * 224 * 3];
    Random random = new Random(1);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat() * 2 - 1;
    }
    Path weights = Files.createTempDirectory("nasnet-gpu-check").resolve("mobile");
    float[] gpuLogits;
    double gpuRate;
    try (NasNetClassifier net = NasNetClassifier.create(mobile);
        TFloat32 images = TFloat32.tensorOf(Shape.of(batch, 224, 224, 3), DataBuffers.of(pixels, true, false))) {
      Map<String, Map<String, Integer>> placed = Placement.count(net.model().graph(), net.session().runner()
          .feed(net.model().images(), images).fetch(net.model().logits().orElseThrow()));
      System.out.print("placement of one inference step:\n" + Placement.format(placed));
      if (!placed.containsKey("GPU")) {
        System.out.println("no GPU: TensorFlow ran every op on the CPU (no CUDA driver, no GPU, or the CPU-only "
            + "native jar: build with -Pgpu)");
        return NO_GPU;
      }
      net.save(weights);
      gpuLogits = logits(net, images);
      gpuRate = imagesPerSecond(net, images, batch);
    }
    double gpuTrain = trainingStepsPerSecond(mobile, batch);
    SessionOptions gpuDefaults = SessionOptions.defaults();
    SessionOptions.setDefaults(gpuDefaults.withVisibleGpus(SessionOptions.NO_GPU));
    float[] cpuLogits;
    double cpuRate;
    double cpuTrain;
    try (NasNetClassifier net = NasNetClassifier.create(mobile);
        TFloat32 images = TFloat32.tensorOf(Shape.of(batch, 224, 224, 3), DataBuffers.of(pixels, true, false))) {
      net.load(weights);
      cpuLogits = logits(net, images);
      cpuRate = imagesPerSecond(net, images, batch);
      cpuTrain = trainingStepsPerSecond(mobile, batch);
    } finally {
      SessionOptions.setDefaults(gpuDefaults);
    }
    double maxDiff = 0;
    double maxLogit = 0;
    for (int i = 0; i < gpuLogits.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(gpuLogits[i] - cpuLogits[i]));
      maxLogit = Math.max(maxLogit, Math.abs(cpuLogits[i]));
    }
    System.out.printf(Locale.ROOT, "logits GPU vs CPU, same weights, %d images: max |difference| %.3g (max |logit| "
        + "%.3g)%n", batch, maxDiff, maxLogit);
    System.out.printf(Locale.ROOT, "inference batch %d: GPU %.1f images/s, CPU %.1f images/s%n", batch, gpuRate,
        cpuRate);
    System.out.printf(Locale.ROOT, "training batch %d: GPU %.2f steps/s, CPU %.2f steps/s%n", batch, gpuTrain,
        cpuTrain);
    // cuDNN's convolution algorithms sum in other orders than the CPU's: agree to 1e-3 of the logits' scale.
    boolean ok = maxDiff <= 1e-3 * Math.max(1, maxLogit);
    System.out.println(ok ? "GPU check passed" : "GPU check FAILED: the GPU's logits differ from the CPU's");
    return ok ? 0 : 1;
  }

  private static float[] logits(NasNetClassifier net, TFloat32 images) {
    try (TFloat32 out = net.logits(images)) {
      float[] v = new float[(int) out.size()];
      out.asRawTensor().data().asFloats().read(v);
      return v;
    }
  }

  /** Median of 10 timed runs after 3 untimed. */
  private static double imagesPerSecond(NasNetClassifier net, TFloat32 images, int batch) {
    double[] seconds = new double[10];
    for (int r = -3; r < seconds.length; r++) {
      long t0 = System.nanoTime();
      net.logits(images).close();
      if (r >= 0) {
        seconds[r] = (System.nanoTime() - t0) / 1e9;
      }
    }
    Arrays.sort(seconds);
    return batch / seconds[seconds.length / 2];
  }

  /** Five training steps after one untimed, on random images. */
  private static double trainingStepsPerSecond(NasNetConfig config, int batch) {
    TrainingConfig training = TrainingConfig.builder().batchSize(batch).totalSteps(100).build();
    float[] images = new float[batch * 224 * 224 * 3];
    int[] labels = new int[batch];
    Random random = new Random(2);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat() * 2 - 1;
    }
    for (int i = 0; i < batch; i++) {
      labels[i] = random.nextInt(config.numClasses());
    }
    Batch b = new Batch(images, labels, 224, 224, 3, 0, 0);
    try (Trainer trainer = new Trainer(config, training)) {
      trainer.step(b, 0, 0.01);
      long t0 = System.nanoTime();
      for (int s = 1; s <= 5; s++) {
        trainer.step(b, s, 0.01);
      }
      return 5 / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
