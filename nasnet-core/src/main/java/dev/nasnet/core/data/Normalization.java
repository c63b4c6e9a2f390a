package dev.nasnet.core.data;

import com.google.common.base.Preconditions;

/** Maps byte pixels to floats: {@code (p / 255 - mean[c]) / std[c]} per channel. */
public record Normalization(float[] mean, float[] std) {
  public Normalization {
    Preconditions.checkArgument(mean.length == std.length && mean.length > 0,
        "mean and std need one value per channel, got %s and %s", mean.length, std.length);
    for (float s : std) {
      Preconditions.checkArgument(s > 0, "std must be positive, got %s", s);
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Pixels to [-1, 1], as the ImageNet NASNet checkpoints expect. */
  public static Normalization symmetric(int channels) {
    float[] m = new float[channels];
    float[] s = new float[channels];
    java.util.Arrays.fill(m, 0.5f);
    java.util.Arrays.fill(s, 0.5f);
    return new Normalization(m, s);
  }

  /** Per-channel mean and standard deviation measured on {@code data} (use the training split only). */
  public static Normalization measure(ImageDataset data) {
    int c = data.channels();
    double[] sum = new double[c];
    double[] sq = new double[c];
    byte[] px = data.pixels();
    for (int i = 0; i < px.length; i++) {
      double v = (px[i] & 0xff) / 255.0;
      sum[i % c] += v;
      sq[i % c] += v * v;
    }
    long n = px.length / c;
    float[] mean = new float[c];
    float[] std = new float[c];
    for (int k = 0; k < c; k++) {
      double m = sum[k] / n;
      mean[k] = (float) m;
      std[k] = (float) Math.sqrt(Math.max(sq[k] / n - m * m, 1e-12));
    }
    return new Normalization(mean, std);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  float apply(int pixel, int channel) {
    return (pixel / 255f - mean[channel]) / std[channel];
  }
}
