package dev.nasnet.detection.eval;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;

/**
 * pycocotools' bbox {@code Params}: IoU and recall thresholds, per-image-per-category detection caps, area buckets.
 *
 * @param maxDets ascending caps; matching runs with the last one, as pycocotools does
 * @param gtIdZeroUnmatched reproduce pycocotools storing the matched GT's id and reading id 0 as "no match": a
 *     detection on a GT with annotation id 0 then counts as a false positive. Leave on to match pycocotools.
 */
public record CocoEvalParams(ImmutableList<Double> iouThresholds, ImmutableList<Double> recallThresholds,
    ImmutableList<Integer> maxDets, ImmutableList<AreaRange> areaRanges, boolean gtIdZeroUnmatched) {

  public CocoEvalParams {
    Preconditions.checkArgument(!iouThresholds.isEmpty(), "iouThresholds must not be empty");
    Preconditions.checkArgument(!recallThresholds.isEmpty(), "recallThresholds must not be empty");
    // The summary reports AR at each of three caps, as COCOeval.summarize() does.
    Preconditions.checkArgument(maxDets.size() == 3, "maxDets must hold 3 caps, got %s", maxDets);
    Preconditions.checkArgument(!areaRanges.isEmpty(), "areaRanges must not be empty");
    for (int i = 0; i < maxDets.size(); i++) {
      Preconditions.checkArgument(maxDets.get(i) > 0, "maxDets must be positive, got %s", maxDets);
      Preconditions.checkArgument(i == 0 || maxDets.get(i) > maxDets.get(i - 1),
          "maxDets must be ascending, got %s", maxDets);
    }
    for (double t : iouThresholds) {
      Preconditions.checkArgument(t >= 0 && t <= 1, "IoU thresholds must lie in [0, 1], got %s", iouThresholds);
    }
  }

  /** IoU .50:.05:.95, 101 recall points, maxDets 1/10/100, areas all/small/medium/large. */
  public static CocoEvalParams defaults() {
    return new CocoEvalParams(linspace(0.5, 0.95, 10), linspace(0.0, 1.0, 101), ImmutableList.of(1, 10, 100),
        ImmutableList.of(AreaRange.ALL, AreaRange.SMALL, AreaRange.MEDIUM, AreaRange.LARGE), true);
  }

  public CocoEvalParams withGtIdZeroUnmatched(boolean quirk) {
    return new CocoEvalParams(iouThresholds, recallThresholds, maxDets, areaRanges, quirk);
  }

  public int maxDetsForMatching() {
    return maxDets.get(maxDets.size() - 1);
  }

  /**
   * numpy's {@code linspace(start, stop, num)} bit for bit ({@code i*step + start}, last = stop): thresholds like
   * 0.8999999999999999 decide whether an IoU of exactly 0.9 matches.
   */
  static ImmutableList<Double> linspace(double start, double stop, int num) {
    Preconditions.checkArgument(num >= 2, "linspace needs at least 2 points, got %s", num);
    double step = (stop - start) / (num - 1);
    ImmutableList.Builder<Double> values = ImmutableList.builderWithExpectedSize(num);
    for (int i = 0; i < num - 1; i++) {
      values.add(i * step + start);
    }
    values.add(stop);
    return values.build();
  }

  int indexOfArea(String label) {
    for (int i = 0; i < areaRanges.size(); i++) {
      if (areaRanges.get(i).label().equals(label)) {
        return i;
      }
    }
    return -1;
  }

  int indexOfMaxDets(int value) {
    return maxDets.indexOf(value);
  }
}
