package dev.nasnet.detection.synthetic;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Rasterises one shape into a {@code width x height} mask without anti-aliasing, so a pixel is either the shape's
 * colour or untouched and the tight box can be read off the mask exactly. A pixel belongs to the shape when its
 * centre does.
 */
final class ShapeRaster {

  private ShapeRaster() {}

  static boolean[][] mask(ShapeKind kind, int width, int height, SplittableRandom random) {
    boolean[][] mask = new boolean[height][width];
    switch (kind) {
      case RECTANGLE -> {
        for (boolean[] row : mask) {
          Arrays.fill(row, true);
        }
      }
      case ELLIPSE -> {
        double rx = width / 2.0;
        double ry = height / 2.0;
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            double dx = (x + 0.5 - rx) / rx;
            double dy = (y + 0.5 - ry) / ry;
            mask[y][x] = dx * dx + dy * dy <= 1;
          }
        }
      }
      case TRIANGLE -> {
        // Apex on one horizontal side at a random column, base along the opposite side: varied, never degenerate.
        boolean apexUp = random.nextBoolean();
        double apexX = random.nextDouble() * width;
        double apexY = apexUp ? 0 : height;
        double baseY = apexUp ? height : 0;
        double[] xs = {apexX, 0, width};
        double[] ys = {apexY, baseY, baseY};
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            mask[y][x] = insideTriangle(x + 0.5, y + 0.5, xs, ys);
          }
        }
      }
      default -> throw new AssertionError(kind);
    }
    return mask;
  }

  /** Same-sign test on the three edge functions; points on an edge count as inside. */
  private static boolean insideTriangle(double px, double py, double[] xs, double[] ys) {
    double d0 = edge(xs[0], ys[0], xs[1], ys[1], px, py);
    double d1 = edge(xs[1], ys[1], xs[2], ys[2], px, py);
    double d2 = edge(xs[2], ys[2], xs[0], ys[0], px, py);
    boolean anyNegative = d0 < 0 || d1 < 0 || d2 < 0;
    boolean anyPositive = d0 > 0 || d1 > 0 || d2 > 0;
    return !(anyNegative && anyPositive);
  }

  private static double edge(double ax, double ay, double bx, double by, double px, double py) {
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
  }
}
