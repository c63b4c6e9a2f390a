package dev.nasnet.detection.eval;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSortedMap;
import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoDetection;
import dev.nasnet.detection.data.XywhBox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PASCAL VOC AP as the widely copied {@code voc_eval.py} computes it: detections in score order each take the GT
 * with the highest IoU; a TP needs IoU strictly above the threshold and a GT not yet taken, anything else is a FP;
 * difficult GTs (and, here, crowd GTs) are not counted and detections on them count as neither.
 *
 * <p>Boxes are read as corners {@code [x, y, x + w, y + h]}. With {@code pixelInclusive} the sizes get +1 as in
 * voc_eval.py for integer pixel boxes; without it the geometry is COCO's. Equal scores keep input order (voc_eval.py
 * uses an unstable sort, so its order for ties is not defined).
 */
public final class VocEvaluator {

  /** numpy's {@code finfo(float64).eps}, the floor of the precision denominator in voc_eval.py. */
  private static final double EPS = Math.ulp(1.0);

  private final VocMetric metric;
  private final double iouThreshold;
  private final boolean pixelInclusive;

  public VocEvaluator(VocMetric metric, double iouThreshold, boolean pixelInclusive) {
    this.metric = Preconditions.checkNotNull(metric, "metric");
    Preconditions.checkArgument(iouThreshold >= 0 && iouThreshold < 1, "iouThreshold must be in [0, 1), got %s",
        iouThreshold);
    this.iouThreshold = iouThreshold;
    this.pixelInclusive = pixelInclusive;
  }

  /** VOC2007 test protocol: 11-point AP at IoU > 0.5 with +1 pixel sizes. */
  public static VocEvaluator voc07() {
    return new VocEvaluator(VocMetric.VOC07_11_POINT, 0.5, true);
  }

  /** VOC2010+ protocol: all-point AP at IoU > 0.5 with +1 pixel sizes. */
  public static VocEvaluator voc12() {
    return new VocEvaluator(VocMetric.VOC12_ALL_POINT, 0.5, true);
  }

  /**
   * @throws IllegalArgumentException when a detection is on an image the ground truth lacks; detections of
   *     categories the ground truth lacks are dropped
   */
  public VocEvaluation evaluate(CocoDataset groundTruth, List<CocoDetection> detections) {
    Preconditions.checkNotNull(groundTruth, "groundTruth");
    Preconditions.checkNotNull(detections, "detections");
    Map<Integer, List<CocoDetection>> detsByCategory = new HashMap<>();
    for (int i = 0; i < detections.size(); i++) {
      CocoDetection d = detections.get(i);
      Preconditions.checkArgument(groundTruth.hasImage(d.imageId()),
          "detection[%s] is on image_id %s, which is not in the ground truth %s", i, d.imageId(),
          groundTruth.source());
      detsByCategory.computeIfAbsent(d.categoryId(), k -> new ArrayList<>()).add(d);
    }
    Map<Integer, Map<Long, List<CocoAnnotation>>> gtsByCategory = new HashMap<>();
    for (CocoAnnotation a : groundTruth.annotations()) {
      gtsByCategory.computeIfAbsent(a.categoryId(), k -> new HashMap<>())
          .computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
    }
    ImmutableSortedMap.Builder<Integer, Double> aps = ImmutableSortedMap.naturalOrder();
    double sum = 0;
    int counted = 0;
    for (int categoryId : groundTruth.sortedCategoryIds()) {
      double ap = categoryAp(gtsByCategory.getOrDefault(categoryId, Map.of()),
          detsByCategory.getOrDefault(categoryId, List.of()));
      aps.put(categoryId, ap);
      if (ap > -1) {
        sum += ap;
        counted++;
      }
    }
    return new VocEvaluation(metric, iouThreshold, aps.build(), counted == 0 ? -1 : sum / counted);
  }

  private double categoryAp(Map<Long, List<CocoAnnotation>> gtsByImage, List<CocoDetection> dets) {
    int positives = 0;
    Map<Long, boolean[]> taken = new HashMap<>();
    for (Map.Entry<Long, List<CocoAnnotation>> e : gtsByImage.entrySet()) {
      taken.put(e.getKey(), new boolean[e.getValue().size()]);
      for (CocoAnnotation a : e.getValue()) {
        positives += isDifficult(a) ? 0 : 1;
      }
    }
    if (positives == 0) {
      return -1;
    }
    List<CocoDetection> sorted = new ArrayList<>(dets);
    sorted.sort(ImageMatcher.BY_SCORE_DESC);
    int n = sorted.size();
    double[] recall = new double[n];
    double[] precision = new double[n];
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < n; i++) {
      CocoDetection d = sorted.get(i);
      List<CocoAnnotation> gts = gtsByImage.getOrDefault(d.imageId(), List.of());
      double best = Double.NEGATIVE_INFINITY;
      int match = -1;
      for (int g = 0; g < gts.size(); g++) {
        double iou = iou(d.bbox(), gts.get(g).bbox());
        // Strict ">" keeps the first of equal maxima, as np.argmax does.
        if (iou > best) {
          best = iou;
          match = g;
        }
      }
      if (best > iouThreshold) {
        if (!isDifficult(gts.get(match))) {
          boolean[] used = taken.get(d.imageId());
          if (!used[match]) {
            used[match] = true;
            tp++;
          } else {
            fp++;
          }
        }
      } else {
        fp++;
      }
      recall[i] = (double) tp / positives;
      precision[i] = tp / Math.max((double) tp + (double) fp, EPS);
    }
    return metric == VocMetric.VOC07_11_POINT ? elevenPointAp(recall, precision) : allPointAp(recall, precision);
  }

  private static boolean isDifficult(CocoAnnotation a) {
    return a.difficult() || a.crowd();
  }

  @VisibleForTesting
  double iou(XywhBox a, XywhBox b) {
    double one = pixelInclusive ? 1.0 : 0.0;
    double iw = Math.max(Math.min(a.maxX(), b.maxX()) - Math.max(a.x(), b.x()) + one, 0.0);
    double ih = Math.max(Math.min(a.maxY(), b.maxY()) - Math.max(a.y(), b.y()) + one, 0.0);
    double inter = iw * ih;
    double union = (a.maxX() - a.x() + one) * (a.maxY() - a.y() + one)
        + (b.maxX() - b.x() + one) * (b.maxY() - b.y() + one) - inter;
    return inter / union;
  }

  /** Thresholds are {@code i * 0.1} as numpy's arange makes them (0.30000000000000004, not 0.3). */
  @VisibleForTesting
  static double elevenPointAp(double[] recall, double[] precision) {
    double ap = 0;
    for (int i = 0; i <= 10; i++) {
      double t = i * 0.1;
      double best = 0;
      for (int j = 0; j < recall.length; j++) {
        if (recall[j] >= t) {
          best = Math.max(best, precision[j]);
        }
      }
      ap += best / 11.0;
    }
    return ap;
  }

  @VisibleForTesting
  static double allPointAp(double[] recall, double[] precision) {
    int n = recall.length;
    double[] mrec = new double[n + 2];
    double[] mpre = new double[n + 2];
    System.arraycopy(recall, 0, mrec, 1, n);
    System.arraycopy(precision, 0, mpre, 1, n);
    mrec[n + 1] = 1.0;
    for (int i = n + 1; i > 0; i--) {
      mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
    }
    double ap = 0;
    for (int i = 0; i < n + 1; i++) {
      if (mrec[i + 1] != mrec[i]) {
        ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
      }
    }
    return ap;
  }
}
