package dev.nasnet.detection.targets;

import com.google.common.base.Preconditions;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * {@link ArgMaxMatcher} and {@link BalancedPositiveNegativeSampler} as graph ops, so a training step can assign targets
 * to the proposals it has just made without leaving the graph. The Java classes stay the reference: the tests hold
 * these ops to them.
 *
 * <p>The matcher is the same rule, ties included (lowest row for a column, lowest column for a row, lowest row among
 * rows forcing one column). On float64 similarities it decides as the Java matcher does; on float32 ones a value
 * within float rounding of a threshold may fall the other way.
 *
 * <p>The sampler takes the same quotas ({@code floor(positiveFraction * batchSize)} positives, negatives to fill the
 * batch) but draws with a stateless uniform key per candidate, seeded by a fed {@code [2]} int64 seed, and keeps the
 * candidates of lowest key (ties by index). Its choice is therefore reproducible for a seed but not the Java
 * sampler's {@link java.util.SplittableRandom} choice; the two agree exactly whenever the choice is determined (a
 * pool no larger than its quota).
 *
 * <p>None of these ops has a gradient (Where, random ops, comparisons): their outputs must reach a loss only through
 * {@code stopGradient}.
 */
public final class TargetGraph {
  private TargetGraph() {}

  /**
   * @param similarity [rows, columns] (rows are ground truth); rows may be 0, then every column is unmatched
   * @return [columns] int32: the matched row, {@link Match#UNMATCHED} or {@link Match#IGNORED}
   */
  public static <T extends TNumber> Operand<TInt32> match(Ops tf, Operand<T> similarity, ArgMaxMatcher matcher) {
    Operand<TInt32> shape = tf.shape(similarity);
    Operand<TInt32> rows = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> columns = tf.gather(shape, tf.constant(1), tf.constant(0));
    Operand<TInt32> rowIndex = tf.expandDims(tf.range(tf.constant(0), rows, tf.constant(1)), tf.constant(1));
    Operand<TInt32> columnIndex = tf.expandDims(tf.range(tf.constant(0), columns, tf.constant(1)), tf.constant(0));
    // Best row of each column, the lowest on ties.
    Operand<T> columnMax = tf.max(similarity, tf.constant(0), Max.keepDims(true));
    Operand<TInt32> bestRow = tf.min(lowestWhere(tf, tf.math.equal(similarity, columnMax), rowIndex, rows),
        tf.constant(0));
    Operand<T> best = tf.squeeze(columnMax, org.tensorflow.op.core.Squeeze.axis(java.util.List.of(0L)));
    int below = matcher.negativesLowerThanUnmatched() ? Match.UNMATCHED : Match.IGNORED;
    int between = matcher.negativesLowerThanUnmatched() ? Match.IGNORED : Match.UNMATCHED;
    Operand<TBool> matched = tf.math.greaterEqual(best, tf.dtypes.cast(tf.constant(matcher.matchedThreshold()), similarity.type()));
    Operand<TBool> low = tf.math.less(best, tf.dtypes.cast(tf.constant(matcher.unmatchedThreshold()), similarity.type()));
    Operand<TInt32> result = tf.select(matched, bestRow,
        tf.select(low, tf.fill(tf.shape(bestRow), tf.constant(below)), tf.fill(tf.shape(bestRow),
            tf.constant(between))));
    if (matcher.forceMatchForEachRow()) {
      // Each row claims its best column (lowest on ties); a column claimed by several rows goes to the lowest.
      Operand<T> rowMax = tf.max(similarity, tf.constant(1), Max.keepDims(true));
      Operand<TInt32> bestColumn = tf.min(lowestWhere(tf, tf.math.equal(similarity, rowMax), columnIndex, columns),
          tf.constant(1), org.tensorflow.op.core.Min.keepDims(true));
      Operand<TInt32> forcedRow = tf.min(lowestWhere(tf, tf.math.equal(bestColumn, columnIndex), rowIndex, rows),
          tf.constant(0));
      result = tf.select(tf.math.less(forcedRow, rows), forcedRow, result);
    }
    // No ground truth: every column is a negative, whatever the thresholds say.
    return tf.select(tf.math.greater(tf.fill(tf.shape(result), rows), tf.constant(0)), result,
        tf.fill(tf.shape(result), tf.constant(Match.UNMATCHED)));
  }

  /** Where {@code condition} holds the index (broadcast), elsewhere {@code none}: a min over it is the lowest index. */
  private static Operand<TInt32> lowestWhere(Ops tf, Operand<TBool> condition, Operand<TInt32> index,
      Operand<TInt32> none) {
    Operand<TInt32> c = tf.dtypes.cast(condition, TInt32.class);
    return tf.math.add(tf.math.mul(c, index), tf.math.mul(tf.math.sub(tf.constant(1), c), none));
  }

  /** The sampled columns: {@code positives} and {@code negatives} [columns] masks that never overlap. */
  public record Sample(Operand<TBool> positives, Operand<TBool> negatives) {}

  /**
   * @param match [columns] as {@link #match} gives it
   * @param seed [2] int64, the stateless seed of the draw
   */
  public static Sample sample(Ops tf, Operand<TInt32> match, BalancedPositiveNegativeSampler sampler,
      Operand<TInt64> seed) {
    Preconditions.checkNotNull(sampler, "sampler");
    Operand<TBool> candidates = tf.math.notEqual(match, tf.constant(Match.IGNORED));
    if (sampler.allCandidatesWhenNone()) {
      Operand<TBool> none = tf.math.logicalNot(tf.any(candidates, tf.constant(0)));
      candidates = tf.math.logicalOr(candidates, tf.fill(tf.shape(match), none));
    }
    Operand<TBool> positive = tf.math.greaterEqual(match, tf.constant(0));
    Operand<TBool> positivePool = tf.math.logicalAnd(candidates, positive);
    Operand<TBool> negativePool = tf.math.logicalAnd(candidates, tf.math.logicalNot(positive));
    Operand<TFloat32> keys = tf.random.statelessRandomUniform(tf.shape(match), seed, TFloat32.class);
    Operand<TBool> positives = tf.math.logicalAnd(positivePool,
        tf.math.less(rank(tf, keys, positivePool), tf.constant(sampler.maxPositives())));
    Operand<TInt32> taken = tf.sum(tf.dtypes.cast(positives, TInt32.class), tf.constant(0));
    Operand<TBool> negatives = tf.math.logicalAnd(negativePool,
        tf.math.less(rank(tf, keys, negativePool), tf.math.sub(tf.constant(sampler.batchSize()), taken)));
    return new Sample(positives, negatives);
  }

  /** For each column in {@code pool}, how many pool columns come before it by (key, index); elsewhere unused. */
  private static Operand<TInt32> rank(Ops tf, Operand<TFloat32> keys, Operand<TBool> pool) {
    Operand<TInt32> index = tf.range(tf.constant(0), tf.gather(tf.shape(keys), tf.constant(0), tf.constant(0)),
        tf.constant(1));
    // before[j][i]: column i precedes column j.
    Operand<TFloat32> kj = tf.expandDims(keys, tf.constant(1));
    Operand<TFloat32> ki = tf.expandDims(keys, tf.constant(0));
    Operand<TBool> before = tf.math.logicalOr(tf.math.less(ki, kj), tf.math.logicalAnd(tf.math.equal(ki, kj),
        tf.math.less(tf.expandDims(index, tf.constant(0)), tf.expandDims(index, tf.constant(1)))));
    Operand<TInt32> counted = tf.math.mul(tf.dtypes.cast(before, TInt32.class),
        tf.expandDims(tf.dtypes.cast(pool, TInt32.class), tf.constant(0)));
    return tf.sum(counted, tf.constant(1));
  }
}
