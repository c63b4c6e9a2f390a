package dev.nasnet.detection.eval;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.CocoCategory;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoDetection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * COCO bbox evaluation that reproduces pycocotools' {@code COCOeval} (evaluate, accumulate, summarize) number for
 * number, including its quirks: inclusive area ranges on the annotation's {@code area}, crowd GTs, per image and
 * category detection caps, stable score ordering, 101-point interpolation and -1 for empty buckets.
 */
public final class CocoEvaluator {

  private static final Logger LOG = LoggerFactory.getLogger(CocoEvaluator.class);

  private final CocoEvalParams params;

  public CocoEvaluator(CocoEvalParams params) {
    this.params = Preconditions.checkNotNull(params, "params");
  }

  public static CocoEvaluator withDefaults() {
    return new CocoEvaluator(CocoEvalParams.defaults());
  }

  public CocoEvalParams params() {
    return params;
  }

  /**
   * @param detections in results-file order, which decides ties between equal scores
   * @throws IllegalArgumentException when a detection is on an image the ground truth lacks (pycocotools:
   *     "Results do not correspond to current coco set"); detections of categories the ground truth lacks are
   *     dropped, as pycocotools does
   */
  public CocoEvaluation evaluate(CocoDataset groundTruth, List<CocoDetection> detections) {
    Preconditions.checkNotNull(groundTruth, "groundTruth");
    Preconditions.checkNotNull(detections, "detections");
    ImmutableList<Integer> categoryIds = groundTruth.sortedCategoryIds().asList();
    Map<Integer, Integer> categoryIndex = new HashMap<>();
    for (int k = 0; k < categoryIds.size(); k++) {
      categoryIndex.put(categoryIds.get(k), k);
    }
    // Per category, per image (ascending id, the order pycocotools pools images in): GT and detections.
    List<TreeMap<Long, List<CocoAnnotation>>> gts = new ArrayList<>();
    List<TreeMap<Long, List<CocoDetection>>> dts = new ArrayList<>();
    for (int k = 0; k < categoryIds.size(); k++) {
      gts.add(new TreeMap<>());
      dts.add(new TreeMap<>());
    }
    boolean zeroId = false;
    for (CocoAnnotation a : groundTruth.annotations()) {
      gts.get(categoryIndex.get(a.categoryId())).computeIfAbsent(a.imageId(), id -> new ArrayList<>()).add(a);
      zeroId |= a.id() == 0;
    }
    if (zeroId && params.gtIdZeroUnmatched()) {
      LOG.warn("{} has an annotation with id 0; like pycocotools, detections matched to it count as false "
          + "positives (CocoEvalParams.withGtIdZeroUnmatched(false) turns this off)", groundTruth.source());
    }
    int dropped = 0;
    for (int i = 0; i < detections.size(); i++) {
      CocoDetection d = detections.get(i);
      Preconditions.checkArgument(groundTruth.hasImage(d.imageId()),
          "detection[%s] is on image_id %s, which is not in the ground truth %s", i, d.imageId(),
          groundTruth.source());
      Integer k = categoryIndex.get(d.categoryId());
      if (k == null) {
        dropped++;
        continue;
      }
      dts.get(k).computeIfAbsent(d.imageId(), id -> new ArrayList<>()).add(d);
    }
    if (dropped > 0) {
      LOG.debug("dropped {} detections whose category is not in {}", dropped, groundTruth.source());
    }

    int numT = params.iouThresholds().size();
    int numR = params.recallThresholds().size();
    int numK = categoryIds.size();
    int numA = params.areaRanges().size();
    int numM = params.maxDets().size();
    Accumulator.Curve[][][] curves = new Accumulator.Curve[numK][numA][numM];
    ImageMatcher matcher = new ImageMatcher(params);
    Accumulator accumulator = new Accumulator(params);
    for (int k = 0; k < numK; k++) {
      TreeSet<Long> imageIds = new TreeSet<>(gts.get(k).keySet());
      imageIds.addAll(dts.get(k).keySet());
      List<ImageMatches[]> perImage = new ArrayList<>(imageIds.size());
      for (long imageId : imageIds) {
        perImage.add(matcher.match(gts.get(k).getOrDefault(imageId, List.of()),
            dts.get(k).getOrDefault(imageId, List.of())));
      }
      for (int a = 0; a < numA; a++) {
        for (int m = 0; m < numM; m++) {
          curves[k][a][m] = accumulator.accumulate(perImage, a, params.maxDets().get(m));
        }
      }
    }
    Results results = new Results(curves, numT, numR);
    return new CocoEvaluation(summarize(results), perCategory(groundTruth, categoryIds, results));
  }

  private CocoSummary summarize(Results r) {
    int all = params.indexOfArea(AreaRange.ALL.label());
    int small = params.indexOfArea(AreaRange.SMALL.label());
    int medium = params.indexOfArea(AreaRange.MEDIUM.label());
    int large = params.indexOfArea(AreaRange.LARGE.label());
    int m0 = 0;
    int m1 = 1;
    int m2 = 2;
    // pycocotools asks for maxDets=100 literally in the first line, whatever maxDets holds.
    int m100 = params.indexOfMaxDets(100);
    return new CocoSummary(
        r.meanPrecision(-1, all, m100), r.meanPrecision(iouIndex(0.5), all, m2),
        r.meanPrecision(iouIndex(0.75), all, m2), r.meanPrecision(-1, small, m2),
        r.meanPrecision(-1, medium, m2), r.meanPrecision(-1, large, m2),
        r.meanRecall(all, m0), r.meanRecall(all, m1), r.meanRecall(all, m2),
        r.meanRecall(small, m2), r.meanRecall(medium, m2), r.meanRecall(large, m2),
        params.iouThresholds().get(0), params.iouThresholds().get(params.iouThresholds().size() - 1),
        params.maxDets());
  }

  private ImmutableList<CategoryResult> perCategory(CocoDataset groundTruth, List<Integer> categoryIds, Results r) {
    int all = params.indexOfArea(AreaRange.ALL.label());
    int last = params.maxDets().size() - 1;
    ImmutableList.Builder<CategoryResult> out = ImmutableList.builder();
    for (int k = 0; k < categoryIds.size(); k++) {
      int id = categoryIds.get(k);
      String name = groundTruth.category(id).map(CocoCategory::name).orElse("");
      out.add(new CategoryResult(id, name, r.categoryPrecision(k, -1, all, last),
          r.categoryPrecision(k, iouIndex(0.5), all, last), r.categoryPrecision(k, iouIndex(0.75), all, last),
          r.categoryRecall(k, all, last)));
    }
    return out.build();
  }

  /** Exact equality as in pycocotools ({@code np.where(iouThr == p.iouThrs)}); -2 when absent. */
  private int iouIndex(double threshold) {
    int index = params.iouThresholds().indexOf(threshold);
    return index < 0 ? -2 : index;
  }

  /** Means over the entries above -1, as summarize() takes them; -1 when there are none. */
  private record Results(Accumulator.Curve[][][] curves, int numT, int numR) {

    /** @param t an IoU index, -1 for all thresholds, -2 for a threshold not in the params */
    double meanPrecision(int t, int a, int m) {
      Mean mean = new Mean();
      for (int k = 0; k < curves.length; k++) {
        addPrecision(mean, k, t, a, m);
      }
      return mean.value();
    }

    double categoryPrecision(int k, int t, int a, int m) {
      Mean mean = new Mean();
      addPrecision(mean, k, t, a, m);
      return mean.value();
    }

    double meanRecall(int a, int m) {
      Mean mean = new Mean();
      for (int k = 0; k < curves.length; k++) {
        addRecall(mean, k, a, m);
      }
      return mean.value();
    }

    double categoryRecall(int k, int a, int m) {
      Mean mean = new Mean();
      addRecall(mean, k, a, m);
      return mean.value();
    }

    private void addPrecision(Mean mean, int k, int t, int a, int m) {
      if (a < 0 || m < 0 || t == -2 || curves[k][a][m] == null) {
        return;
      }
      double[][] precision = curves[k][a][m].precision();
      for (int ti = 0; ti < numT; ti++) {
        if (t >= 0 && ti != t) {
          continue;
        }
        for (int ri = 0; ri < numR; ri++) {
          mean.add(precision[ti][ri]);
        }
      }
    }

    private void addRecall(Mean mean, int k, int a, int m) {
      if (a < 0 || m < 0 || curves[k][a][m] == null) {
        return;
      }
      for (double value : curves[k][a][m].recall()) {
        mean.add(value);
      }
    }
  }

  /** Running mean of the values above -1 (pycocotools' {@code s[s > -1]}). */
  private static final class Mean {
    private double sum;
    private long count;

    void add(double value) {
      if (value > -1) {
        sum += value;
        count++;
      }
    }

    double value() {
      return count == 0 ? -1 : sum / count;
    }
  }
}
