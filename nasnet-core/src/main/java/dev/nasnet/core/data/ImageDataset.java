package dev.nasnet.core.data;

import com.google.common.base.Preconditions;

/**
 * Images as unsigned bytes in NHWC order with integer labels, held in memory. Small data sets (MNIST, Fashion-MNIST,
 * CIFAR) fit easily; the pipeline turns bytes into normalised floats batch by batch.
 */
public record ImageDataset(byte[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
  public ImageDataset {
    Preconditions.checkArgument(height > 0 && width > 0 && channels > 0, "bad image size %sx%sx%s", height, width,
        channels);
    Preconditions.checkArgument((long) labels.length * height * width * channels == pixels.length,
        "%s labels need %s pixel bytes, got %s", labels.length, (long) labels.length * height * width * channels,
        pixels.length);
    for (int i = 0; i < labels.length; i++) {
      Preconditions.checkArgument(labels[i] >= 0 && labels[i] < numClasses, "label %s of image %s is outside 0..%s",
          labels[i], i, numClasses - 1);
    }
  }

  public int size() {
    return labels.length;
  }

  public int imageBytes() {
    return height * width * channels;
  }

  /** The unsigned value of channel {@code c} at (y, x) of image {@code i}. */
  public int pixel(int i, int y, int x, int c) {
    return pixels[(((i * height) + y) * width + x) * channels + c] & 0xff;
  }
}
