package dev.nasnet.core.inference;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Slim's inception evaluation preprocessing, which the NASNet checkpoints expect: central crop of 87.5% of each
 * side, bilinear resize to the network size (TF1 {@code resize_bilinear}, corners not aligned), pixels scaled from
 * [0, 255] to [-1, 1], RGB order.
 */
public final class InceptionPreprocessing {
  public static final double CENTRAL_FRACTION = 0.875;

  private InceptionPreprocessing() {}

  /** Reads a JPEG, PNG, BMP or GIF file. */
  public static BufferedImage read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("image file " + file + " does not exist");
    }
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException("cannot decode image " + file + ": not a JPEG, PNG, BMP or GIF file");
    }
    return img;
  }

  /** Returns [size][size][3] floats in [-1, 1]. */
  public static float[][][] apply(BufferedImage image, int size) {
    int w = image.getWidth();
    int h = image.getHeight();
    int cropH = (int) (h * CENTRAL_FRACTION);
    int cropW = (int) (w * CENTRAL_FRACTION);
    int top = (h - cropH) / 2;
    int left = (w - cropW) / 2;
    float[][][] rgb = new float[cropH][cropW][3];
    for (int y = 0; y < cropH; y++) {
      for (int x = 0; x < cropW; x++) {
        int p = image.getRGB(left + x, top + y);
        rgb[y][x][0] = ((p >> 16) & 0xff) / 255f;
        rgb[y][x][1] = ((p >> 8) & 0xff) / 255f;
        rgb[y][x][2] = (p & 0xff) / 255f;
      }
    }
    float[][][] out = new float[size][size][3];
    double sy = (double) cropH / size;
    double sx = (double) cropW / size;
    for (int y = 0; y < size; y++) {
      double fy = y * sy;
      int y0 = (int) Math.floor(fy);
      int y1 = Math.min(y0 + 1, cropH - 1);
      double dy = fy - y0;
      for (int x = 0; x < size; x++) {
        double fx = x * sx;
        int x0 = (int) Math.floor(fx);
        int x1 = Math.min(x0 + 1, cropW - 1);
        double dx = fx - x0;
        for (int c = 0; c < 3; c++) {
          double top0 = rgb[y0][x0][c] + (rgb[y0][x1][c] - rgb[y0][x0][c]) * dx;
          double bottom = rgb[y1][x0][c] + (rgb[y1][x1][c] - rgb[y1][x0][c]) * dx;
          double v = top0 + (bottom - top0) * dy;
          out[y][x][c] = (float) ((v - 0.5) * 2.0);
        }
      }
    }
    return out;
  }
}
