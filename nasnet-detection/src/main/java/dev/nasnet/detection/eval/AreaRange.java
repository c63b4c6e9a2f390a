package dev.nasnet.detection.eval;

import com.google.common.base.Preconditions;

/**
 * A COCO object-size bucket over the annotation's {@code area}. Both ends are inclusive, as in pycocotools, so an
 * area of exactly 32² counts as small and as medium.
 */
public record AreaRange(String label, double min, double max) {

  public static final AreaRange ALL = new AreaRange("all", 0, 1e10);
  public static final AreaRange SMALL = new AreaRange("small", 0, 32 * 32);
  public static final AreaRange MEDIUM = new AreaRange("medium", 32 * 32, 96 * 96);
  public static final AreaRange LARGE = new AreaRange("large", 96 * 96, 1e10);

  public AreaRange {
    Preconditions.checkNotNull(label, "label");
    Preconditions.checkArgument(min <= max, "area range %s: min %s is above max %s", label, min, max);
  }

  public boolean contains(double area) {
    return !(area < min || area > max);
  }
}
