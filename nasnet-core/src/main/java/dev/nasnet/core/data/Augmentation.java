package dev.nasnet.core.data;

import com.google.common.base.Preconditions;

/**
 * Training-time augmentation: zero padding then a random crop back to size, a random horizontal flip, and cutout
 * (one square of zeros at a random place, DeVries &amp; Taylor 2017). {@link #NONE} for evaluation.
 *
 * @param padding pixels of zero padding on each side before the random crop; 0 for none
 * @param horizontalFlip flip half of the images left to right
 * @param cutoutSize side of the zeroed square; 0 for none
 */
public record Augmentation(int padding, boolean horizontalFlip, int cutoutSize) {
  public static final Augmentation NONE = new Augmentation(0, false, 0);

  public Augmentation {
    Preconditions.checkArgument(padding >= 0, "padding must not be negative, got %s", padding);
    Preconditions.checkArgument(cutoutSize >= 0, "cutout size must not be negative, got %s", cutoutSize);
  }

  /** The CIFAR recipe of the paper: pad 4, random crop, flip; cutout optional. */
  public static Augmentation standard(int cutoutSize) {
    return new Augmentation(4, true, cutoutSize);
  }

  public boolean isNone() {
    return padding == 0 && !horizontalFlip && cutoutSize == 0;
  }
}
