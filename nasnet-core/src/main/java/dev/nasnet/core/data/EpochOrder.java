package dev.nasnet.core.data;

import java.util.SplittableRandom;

/**
 * The order examples are visited in during one epoch, a pure function of (seed, epoch), so a run resumed at any
 * step sees what an uninterrupted one saw. Every trainer shuffles through here.
 */
public final class EpochOrder {
  private EpochOrder() {}

  /** A permutation of {@code 0..n-1} for {@code epoch}. */
  public static int[] shuffled(int n, long seed, long epoch) {
    return ImageDataset.permutation(n, new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))));
  }

  /** {@code 0..n-1} in order, for evaluation and unshuffled pipelines. */
  public static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }
}
