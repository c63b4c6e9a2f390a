package dev.nasnet.detection.eval;

import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.CocoDetection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy matching of one image and category, as pycocotools' {@code evaluateImg} (bbox) does it. */
final class ImageMatcher {

  /** pycocotools caps thresholds here so an IoU threshold of 1.0 can still be met by floating-point IoUs. */
  private static final double MAX_THRESHOLD = 1 - 1e-10;

  /** Descending score; equal scores keep input order (List.sort is stable, like numpy's mergesort). */
  static final Comparator<CocoDetection> BY_SCORE_DESC = (a, b) -> compareDesc(a.score(), b.score());

  private final CocoEvalParams params;

  ImageMatcher(CocoEvalParams params) {
    this.params = params;
  }

  /** Primitive comparisons so that -0.0 and 0.0 tie, as they do in numpy. */
  static int compareDesc(double a, double b) {
    return a > b ? -1 : (a < b ? 1 : 0);
  }

  /**
   * @param gts this image's GT of the category, file order
   * @param dets this image's detections of the category, results order
   * @return one entry per area range of the params
   */
  ImageMatches[] match(List<CocoAnnotation> gts, List<CocoDetection> dets) {
    List<CocoDetection> sorted = new ArrayList<>(dets);
    sorted.sort(BY_SCORE_DESC);
    int numDets = Math.min(sorted.size(), params.maxDetsForMatching());
    sorted = sorted.subList(0, numDets);
    double[] scores = new double[numDets];
    for (int d = 0; d < numDets; d++) {
      scores[d] = sorted.get(d).score();
    }
    ImageMatches[] result = new ImageMatches[params.areaRanges().size()];
    for (int a = 0; a < result.length; a++) {
      result[a] = matchInRange(gts, sorted, scores, params.areaRanges().get(a));
    }
    return result;
  }

  private ImageMatches matchInRange(List<CocoAnnotation> gts, List<CocoDetection> dets, double[] scores,
      AreaRange range) {
    // Counted GTs first, ignored (crowd or out of range) after, each group in file order: a detection that has
    // found a counted GT then stops before the ignored ones.
    List<CocoAnnotation> ordered = new ArrayList<>(gts.size());
    List<CocoAnnotation> ignoredTail = new ArrayList<>();
    for (CocoAnnotation g : gts) {
      (isIgnored(g, range) ? ignoredTail : ordered).add(g);
    }
    int countedGt = ordered.size();
    ordered.addAll(ignoredTail);
    int numGt = ordered.size();
    int numDets = dets.size();
    double[][] ious = new double[numDets][numGt];
    for (int d = 0; d < numDets; d++) {
      for (int g = 0; g < numGt; g++) {
        ious[d][g] = BoxIou.iou(dets.get(d).bbox(), ordered.get(g).bbox(), ordered.get(g).crowd());
      }
    }
    int numThresholds = params.iouThresholds().size();
    boolean[][] tp = new boolean[numThresholds][numDets];
    boolean[][] fp = new boolean[numThresholds][numDets];
    for (int t = 0; t < numThresholds; t++) {
      double threshold = Math.min(params.iouThresholds().get(t), MAX_THRESHOLD);
      boolean[] gtTaken = new boolean[numGt];
      for (int d = 0; d < numDets; d++) {
        double best = threshold;
        int match = -1;
        for (int g = 0; g < numGt; g++) {
          if (gtTaken[g] && !ordered.get(g).crowd()) {
            continue;
          }
          if (match > -1 && match < countedGt && g >= countedGt) {
            break;
          }
          if (ious[d][g] < best) {
            continue;
          }
          // ">=" on purpose: among equal IoUs the later GT wins, as in pycocotools.
          best = ious[d][g];
          match = g;
        }
        boolean matched = false;
        boolean ignored = false;
        if (match > -1) {
          gtTaken[match] = true;
          ignored = match >= countedGt;
          matched = !(params.gtIdZeroUnmatched() && ordered.get(match).id() == 0);
        }
        // An unmatched detection outside the area range is not this bucket's business.
        if (!matched && !range.contains(dets.get(d).bbox().area())) {
          ignored = true;
        }
        tp[t][d] = matched && !ignored;
        fp[t][d] = !matched && !ignored;
      }
    }
    return new ImageMatches(scores, tp, fp, countedGt);
  }

  private static boolean isIgnored(CocoAnnotation g, AreaRange range) {
    return g.crowd() || !range.contains(g.area());
  }
}
