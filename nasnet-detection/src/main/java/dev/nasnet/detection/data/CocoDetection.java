package dev.nasnet.detection.data;

import com.google.common.base.Preconditions;

/** One entry of a COCO results file: a scored box for one image and category. */
public record CocoDetection(long imageId, int categoryId, XywhBox bbox, double score) {

  public CocoDetection {
    Preconditions.checkNotNull(bbox, "bbox");
    Preconditions.checkArgument(Double.isFinite(score), "detection on image %s: score must be finite, got %s",
        (Long) imageId, (Double) score);
  }
}
