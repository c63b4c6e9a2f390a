package dev.nasnet.detection.eval;

/**
 * Per-category numbers at all areas and the largest detection cap; -1 when the category has no counted GT.
 *
 * @param ap AP at IoU .50:.95 (what torchmetrics reports as {@code map_per_class})
 * @param ar recall averaged over the IoU thresholds ({@code mar_100_per_class})
 */
public record CategoryResult(int categoryId, String name, double ap, double ap50, double ap75, double ar) {

  public boolean hasGroundTruth() {
    return ap > -1;
  }
}
