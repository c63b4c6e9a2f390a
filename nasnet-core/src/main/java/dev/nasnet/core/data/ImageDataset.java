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

  /**
   * Splits off {@code validationSize} images chosen by {@code seed}: returns [train, validation], each keeping its
   * images in their original order.
   */
  public ImageDataset[] split(int validationSize, long seed) {
    Preconditions.checkArgument(validationSize > 0 && validationSize < size(),
        "validation size must be in 1..%s, got %s", size() - 1, validationSize);
    int[] order = permutation(size(), new java.util.SplittableRandom(seed));
    boolean[] held = new boolean[size()];
    for (int i = 0; i < validationSize; i++) {
      held[order[i]] = true;
    }
    int[] train = new int[size() - validationSize];
    int[] val = new int[validationSize];
    int a = 0;
    int b = 0;
    for (int i = 0; i < size(); i++) {
      if (held[i]) {
        val[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new ImageDataset[] {subset(train), subset(val)};
  }

  /** 0..n-1 in a random order (Fisher-Yates). */
  static int[] permutation(int n, java.util.SplittableRandom r) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The images at {@code indices}, in that order. */
  public ImageDataset subset(int[] indices) {
    int n = imageBytes();
    byte[] px = new byte[indices.length * n];
    int[] ys = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(pixels, indices[k] * n, px, k * n, n);
      ys[k] = labels[indices[k]];
    }
    return new ImageDataset(px, ys, height, width, channels, numClasses);
  }

  /** The first {@code n} images. */
  public ImageDataset head(int n) {
    int[] idx = new int[Math.min(n, size())];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    return subset(idx);
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
