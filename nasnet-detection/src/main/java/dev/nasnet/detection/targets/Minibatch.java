package dev.nasnet.detection.targets;

import com.google.common.base.Preconditions;
import com.google.common.primitives.ImmutableIntArray;

/**
 * The anchors or proposals picked for one image's loss: positive and negative indices, each ascending. The two sets
 * never overlap.
 */
public record Minibatch(ImmutableIntArray positives, ImmutableIntArray negatives) {

  public Minibatch {
    Preconditions.checkNotNull(positives, "positives");
    Preconditions.checkNotNull(negatives, "negatives");
    positives = positives.trimmed();
    negatives = negatives.trimmed();
  }

  public int size() {
    return positives.length() + negatives.length();
  }

  /** A per-index 0/1 mask of length {@code n}, the form a TF weight tensor takes. */
  public float[] sampledMask(int n) {
    float[] mask = new float[n];
    positives.forEach(i -> mask[checkIndex(i, n)] = 1f);
    negatives.forEach(i -> mask[checkIndex(i, n)] = 1f);
    return mask;
  }

  private static int checkIndex(int i, int n) {
    Preconditions.checkElementIndex(i, n, "sampled index");
    return i;
  }
}
