package dev.nasnet.detection.image;

import com.google.common.base.Preconditions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * An RGB image as the detector takes it: interleaved 8-bit {@code r, g, b} per pixel, row-major. Files of any type
 * ImageIO reads are converted (grey replicated, alpha dropped); raw arrays must already be three-channel.
 */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    Preconditions.checkArgument(width > 0 && height > 0, "image size must be positive, got %sx%s", width, height);
    Preconditions.checkArgument(rgb.length == (long) width * height * 3,
        "a %sx%s RGB image has %s bytes, got %s", width, height, (long) width * height * 3, rgb.length);
  }

  /**
   * @param channels of {@code pixels}; anything but 3 is an error naming the image
   */
  public static RgbImage of(String name, int width, int height, int channels, byte[] pixels) {
    Preconditions.checkArgument(channels == 3, "%s: image has %s channels; the detector takes RGB (3) images",
        name, channels);
    Preconditions.checkArgument(pixels.length == (long) width * height * 3,
        "%s: a %sx%s RGB image has %s bytes, got %s", name, width, height, (long) width * height * 3, pixels.length);
    return new RgbImage(width, height, pixels);
  }

  public static RgbImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      rgb[3 * i] = (byte) (argb[i] >> 16);
      rgb[3 * i + 1] = (byte) (argb[i] >> 8);
      rgb[3 * i + 2] = (byte) argb[i];
    }
    return new RgbImage(w, h, rgb);
  }

  /** Reads PNG, JPEG, BMP or GIF; an unreadable file is an {@link IOException} naming it. */
  public static RgbImage read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such image file");
    }
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException(file + ": not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
    }
    return of(image);
  }

  public BufferedImage toBufferedImage() {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] argb = new int[width * height];
    for (int i = 0; i < argb.length; i++) {
      argb[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | (rgb[3 * i + 2] & 0xff);
    }
    out.setRGB(0, 0, width, height, argb, 0, width);
    return out;
  }

  /** The mirror image (left and right swapped), for flip augmentation. */
  public RgbImage flipHorizontally() {
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        System.arraycopy(rgb, (y * width + x) * 3, out, (y * width + width - 1 - x) * 3, 3);
      }
    }
    return new RgbImage(width, height, out);
  }
}
