package dev.nasnet.detection.eval;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSortedMap;

/**
 * VOC-style AP per category and their mean.
 *
 * @param averagePrecision by category id; -1 for a category without a single non-difficult GT
 * @param meanAveragePrecision mean over the categories that have GT; -1 when none has
 */
public record VocEvaluation(VocMetric metric, double iouThreshold,
    ImmutableSortedMap<Integer, Double> averagePrecision, double meanAveragePrecision) {

  public VocEvaluation {
    Preconditions.checkNotNull(metric, "metric");
    Preconditions.checkNotNull(averagePrecision, "averagePrecision");
  }
}
