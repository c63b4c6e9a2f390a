package dev.nasnet.examples;

import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The full-size numerical check against Keras (tools/keras-reference/full-check.sh): loads
 * {@code DIR/NASNet-<preset>-random.h5} into our preset built as Keras builds it, runs {@code DIR/<preset>.input.f32}
 * and prints the load time and the max |difference| to Keras' {@code DIR/<preset>.logits.f32} over all logits.
 * Arguments: mobile|large DIR. Exits 1 when the difference exceeds the bound (1e-4 Mobile, 1e-3 Large).
 */
public final class KerasReferenceCheck {
  private KerasReferenceCheck() {}

  public static void main(String[] args) throws IOException {
    String preset = args[0];
    Path dir = Path.of(args[1]);
    // A third argument "same" builds slim's pool padding instead, to measure how far that moves the logits.
    boolean slimPadding = args.length > 2 && args[2].equals("same");
    NasNetConfig config = NasNetConfig.preset(preset).keras();
    if (slimPadding) {
      config = config.toBuilder().poolPadding(dev.nasnet.core.graph.PoolPadding.SAME).build();
    }
    int size = config.imageSize();
    float[] input = floats(dir.resolve(preset + ".input.f32"));
    float[] expected = floats(dir.resolve(preset + ".logits.f32"));
    int batch = input.length / (size * size * 3);
    float[][][][] x = new float[batch][size][size][3];
    int i = 0;
    for (float[][][] img : x) {
      for (float[][] row : img) {
        for (float[] px : row) {
          for (int c = 0; c < 3; c++) {
            px[c] = input[i++];
          }
        }
      }
    }
    try (NasNetClassifier net = NasNetClassifier.create(config)) {
      long start = System.nanoTime();
      net.load(dir.resolve("NASNet-" + preset + "-random.h5"));
      double loadSeconds = (System.nanoTime() - start) / 1e9;
      float[][] logits = net.logits(x);
      double max = 0;
      double largest = 0;
      int k = 0;
      for (float[] row : logits) {
        for (float v : row) {
          max = Math.max(max, Math.abs(v - expected[k++]));
          largest = Math.max(largest, Math.abs(v));
        }
      }
      double bound = preset.equals("large") ? 1e-3 : 1e-4;
      System.out.printf("%s%s: %d images x %d logits, max |logit| %.3f, max |ours - keras| %.3g (bound %.0e), "
          + "loading the .h5 took %.1f s%n", config.name(), slimPadding ? " with slim's SAME pool padding" : "",
          batch, logits[0].length, largest, max, bound, loadSeconds);
      System.exit(max <= bound || slimPadding ? 0 : 1);
    }
  }

  private static float[] floats(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }
}
