package dev.nasnet.detection;

import com.google.common.base.Preconditions;

/**
 * How the box classifier's outputs become detections: softmax scores, class-specific boxes, per-class NMS at
 * {@code nmsIou}, at most {@code maxPerClass} per class and {@code maxTotal} per image, scores at or below
 * {@code scoreThreshold} dropped. faster_rcnn_nas_coco: 0.0, 0.6, 100, 100.
 */
public record PostProcessing(double scoreThreshold, double nmsIou, int maxPerClass, int maxTotal) {
  public PostProcessing {
    Preconditions.checkArgument(scoreThreshold >= 0 && scoreThreshold < 1, "score threshold must be in [0, 1), got %s",
        scoreThreshold);
    Preconditions.checkArgument(nmsIou > 0 && nmsIou <= 1, "NMS IoU must be in (0, 1], got %s", nmsIou);
    Preconditions.checkArgument(maxPerClass > 0 && maxTotal > 0, "max detections must be positive, got %s per class "
        + "and %s in all", maxPerClass, maxTotal);
  }

  public static PostProcessing nasnetDefaults() {
    return new PostProcessing(0.0, 0.6, 100, 100);
  }

  public PostProcessing withScoreThreshold(double v) {
    return new PostProcessing(v, nmsIou, maxPerClass, maxTotal);
  }

  public PostProcessing withNmsIou(double v) {
    return new PostProcessing(scoreThreshold, v, maxPerClass, maxTotal);
  }

  public PostProcessing withMaxTotal(int v) {
    return new PostProcessing(scoreThreshold, nmsIou, Math.min(maxPerClass, v), v);
  }
}
