package dev.nasnet.detection.data;

import com.google.common.base.Preconditions;

/**
 * One ground-truth object of a COCO {@code annotations} list (bbox part only; segmentations are not read).
 *
 * @param area the file's {@code area}: for COCO the mask area, not the box area, and it decides the small /
 *     medium / large bucket
 * @param crowd {@code iscrowd}; crowd regions are never counted as misses and may absorb many detections
 * @param difficult the optional VOC-style {@code difficult} flag; COCO evaluation ignores it, VOC evaluation
 *     neither rewards nor penalises detections of it
 */
public record CocoAnnotation(long id, long imageId, int categoryId, XywhBox bbox, double area, boolean crowd,
    boolean difficult) {

  public CocoAnnotation {
    Preconditions.checkNotNull(bbox, "bbox");
    Preconditions.checkArgument(Double.isFinite(area) && area >= 0,
        "annotation %s: area must be finite and not negative, got %s", (Long) id, (Double) area);
  }

  /** A plain (non-crowd, not difficult) annotation whose area is its box area. */
  public static CocoAnnotation ofBox(long id, long imageId, int categoryId, XywhBox bbox) {
    return new CocoAnnotation(id, imageId, categoryId, bbox, bbox.area(), false, false);
  }
}
