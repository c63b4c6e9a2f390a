package dev.nasnet.core.data;

/** One batch: NHWC float images, their labels, and where it sits in the epoch. */
public record Batch(float[] images, int[] labels, int height, int width, int channels, int epoch, int index) {
  public int size() {
    return labels.length;
  }
}
