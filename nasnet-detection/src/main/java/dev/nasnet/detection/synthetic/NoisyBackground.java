package dev.nasnet.detection.synthetic;

import java.util.SplittableRandom;

/**
 * Paints a textured, noisy, low-saturation background: a grey level with a slight tint, diagonal stripes and
 * per-pixel noise. Every pixel's channels differ by at most {@link #MAX_CHANNEL_SPREAD}, while shapes use colours
 * whose channels differ by at least {@link ShapesDataset#MIN_SHAPE_CHANNEL_SPREAD}, so no background pixel ever has a
 * shape's colour and the boxes stay checkable from pixels alone.
 */
final class NoisyBackground {

  static final int MAX_CHANNEL_SPREAD = 30;

  private NoisyBackground() {}

  static int[] paint(int width, int height, SplittableRandom random) {
    double grey = 60 + random.nextInt(131);
    int[] tint = {random.nextInt(-12, 13), random.nextInt(-12, 13), random.nextInt(-12, 13)};
    double stripeAmplitude = random.nextDouble() * 25;
    double fx = random.nextDouble() * 0.6;
    double fy = random.nextDouble() * 0.6;
    double phase = random.nextDouble() * 2 * Math.PI;
    int noise = random.nextInt(21);
    int[] out = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double level = grey + stripeAmplitude * Math.sin(fx * x + fy * y + phase)
            + (noise == 0 ? 0 : random.nextInt(-noise, noise + 1));
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          // Tint (|t| <= 12) plus channel jitter (|j| <= 3): spread <= 24 + 6 = 30 before clamping, never more after.
          int v = (int) Math.round(level) + tint[c] + random.nextInt(-3, 4);
          rgb = (rgb << 8) | Math.max(0, Math.min(255, v));
        }
        out[y * width + x] = rgb;
      }
    }
    return out;
  }
}
