package dev.nasnet.detection.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * pycocotools' {@code accumulate} for one category, area range and detection cap: pools every image's top
 * detections, sorts them by score and reads precision at the recall thresholds off the monotone envelope.
 */
final class Accumulator {

  /** numpy's {@code np.spacing(1)}, added to the precision denominator. */
  private static final double EPS = Math.ulp(1.0);

  private final CocoEvalParams params;

  Accumulator(CocoEvalParams params) {
    this.params = params;
  }

  /**
   * @param perImage match results in ascending image id order (the order decides score ties across images)
   * @param area index into each image's per-area results
   * @return precision [T][R] and recall [T], or null when no image has a counted GT (pycocotools' -1)
   */
  Curve accumulate(List<ImageMatches[]> perImage, int area, int maxDet) {
    List<ImageMatches> images = new ArrayList<>(perImage.size());
    int countedGt = 0;
    int total = 0;
    for (ImageMatches[] m : perImage) {
      images.add(m[area]);
      countedGt += m[area].countedGt();
      total += Math.min(maxDet, m[area].scores().length);
    }
    if (images.isEmpty() || countedGt == 0) {
      return null;
    }
    // Pool (image, detection) pairs in image order, then stable-sort by score as numpy's mergesort would.
    double[] scores = new double[total];
    int[] owner = new int[total];
    int[] index = new int[total];
    int n = 0;
    for (int i = 0; i < images.size(); i++) {
      int count = Math.min(maxDet, images.get(i).scores().length);
      for (int d = 0; d < count; d++) {
        scores[n] = images.get(i).scores()[d];
        owner[n] = i;
        index[n] = d;
        n++;
      }
    }
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> ImageMatcher.compareDesc(scores[a], scores[b]));

    int numThresholds = params.iouThresholds().size();
    int numRecalls = params.recallThresholds().size();
    double[][] precision = new double[numThresholds][numRecalls];
    double[] recall = new double[numThresholds];
    double[] rc = new double[total];
    double[] pr = new double[total];
    for (int t = 0; t < numThresholds; t++) {
      long tp = 0;
      long fp = 0;
      for (int j = 0; j < total; j++) {
        ImageMatches m = images.get(owner[order[j]]);
        int d = index[order[j]];
        if (m.truePositive()[t][d]) {
          tp++;
        } else if (m.falsePositive()[t][d]) {
          fp++;
        }
        // Ignored detections stay in the curve as repeated points, as in pycocotools.
        rc[j] = (double) tp / countedGt;
        pr[j] = tp / ((double) fp + (double) tp + EPS);
      }
      recall[t] = total > 0 ? rc[total - 1] : 0;
      for (int j = total - 1; j > 0; j--) {
        if (pr[j] > pr[j - 1]) {
          pr[j - 1] = pr[j];
        }
      }
      for (int r = 0; r < numRecalls; r++) {
        int at = searchLeft(rc, total, params.recallThresholds().get(r));
        precision[t][r] = at < total ? pr[at] : 0;
      }
    }
    return new Curve(precision, recall);
  }

  /** First index whose value is at least {@code x} (numpy searchsorted, side='left'); rc is non-decreasing. */
  private static int searchLeft(double[] sorted, int length, double x) {
    int lo = 0;
    int hi = length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Precision [iou threshold][recall threshold] and final recall [iou threshold] of one accumulation. */
  record Curve(double[][] precision, double[] recall) {}
}
