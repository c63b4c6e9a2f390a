package dev.nasnet.detection.secondstage;

import com.google.common.base.Preconditions;
import dev.nasnet.detection.boxes.BoxGraph;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import dev.nasnet.detection.targets.BalancedPositiveNegativeSampler;
import dev.nasnet.detection.targets.TargetGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * {@link SecondStageTargets#assign} as graph ops for one image: match the proposals to the ground truth, sample the
 * minibatch ({@link TargetGraph}), and lay the sampled proposals out as the Java version does (positives first, each
 * group in ascending proposal order) with the same labels, class-specific box targets and weights. The results carry
 * no gradient: the caller feeds them to the loss through {@code stopGradient}, as the Object Detection API stops the
 * gradient at the proposals.
 *
 * @param boxes [sampled, 4] proposals in their own (pixel) frame
 * @param labels [sampled] 0 background, {@code class + 1}
 * @param boxTargets [sampled, numClasses, 4], non-zero only at a positive's class
 * @param boxWeights [sampled, numClasses], {@code classWeight} at a positive's class
 * @param classWeight scalar {@code 1 / max(1, sampled)}
 * @param match [proposals] the matcher's result, for inspection
 * @param positives [proposals] sampled positives, for inspection
 * @param negatives [proposals] sampled negatives, for inspection
 */
public record SecondStageTargetGraph(Operand<TFloat32> boxes, Operand<TInt32> labels, Operand<TFloat32> boxTargets,
    Operand<TFloat32> boxWeights, Operand<TFloat32> classWeight, Operand<TInt32> match, Operand<TBool> positives,
    Operand<TBool> negatives) {

  /**
   * @param proposals [proposals, 4] (may be empty)
   * @param groundTruth [boxes, 4] in the proposals' frame (may be empty: every proposal is then background)
   * @param groundTruthClasses [boxes] 0-based class indices, each below {@code numClasses} (the caller checks)
   * @param seed [2] int64, the sampler's stateless seed
   */
  public static SecondStageTargetGraph assign(Ops tf, Operand<TFloat32> proposals, Operand<TFloat32> groundTruth,
      Operand<TInt32> groundTruthClasses, int numClasses, ArgMaxMatcher matcher,
      BalancedPositiveNegativeSampler sampler, FasterRcnnBoxCoder coder, Operand<TInt64> seed) {
    Preconditions.checkArgument(numClasses > 0, "numClasses must be positive, got %s", numClasses);
    // IoU and box codes in float64, as the Java reference computes them, so matches at a threshold and the targets
    // come out the same.
    Operand<TFloat64> proposals64 = tf.dtypes.cast(proposals, TFloat64.class);
    Operand<TFloat64> groundTruth64 = tf.dtypes.cast(groundTruth, TFloat64.class);
    Operand<TInt32> match = TargetGraph.match(tf, BoxGraph.iouMatrix(tf, groundTruth64, proposals64), matcher);
    TargetGraph.Sample sample = TargetGraph.sample(tf, match, sampler, seed);
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> order = tf.concat(List.of(indices(tf, sample.positives()), indices(tf, sample.negatives())), zero);
    Operand<TFloat32> w = tf.math.div(tf.constant(1f), tf.math.maximum(
        tf.dtypes.cast(tf.size(order), TFloat32.class), tf.constant(1f)));
    // Every proposal gets a row of ground truth to encode against: its match, or a dummy box past the real rows
    // (so an image without ground truth still gathers); only sampled positives keep theirs.
    Operand<TInt32> rows = tf.gather(tf.shape(groundTruth), zero, zero);
    Operand<TInt32> row = tf.select(tf.math.greaterEqual(match, zero), match, tf.fill(tf.shape(match), rows));
    Operand<TFloat64> paddedBoxes = tf.concat(List.of(groundTruth64, tf.constant(new double[][] {{0, 0, 1, 1}})),
        zero);
    Operand<TInt32> paddedClasses = tf.concat(List.of(groundTruthClasses, tf.constant(new int[] {0})), zero);
    Operand<TInt32> classes = tf.gather(paddedClasses, row, zero);
    Operand<TFloat32> positive = tf.dtypes.cast(sample.positives(), TFloat32.class);
    Operand<TInt32> positiveInt = tf.dtypes.cast(sample.positives(), TInt32.class);
    Operand<TInt32> labels = tf.math.mul(tf.math.add(classes, tf.constant(1)), positiveInt);
    Operand<TFloat32> atClass = tf.math.mul(tf.oneHot(classes, tf.constant(numClasses), tf.constant(1f),
        tf.constant(0f)), tf.expandDims(positive, tf.constant(1)));
    Operand<TFloat32> codes = tf.dtypes.cast(BoxGraph.encode(tf, tf.gather(paddedBoxes, row, zero), proposals64,
        coder), TFloat32.class);
    Operand<TFloat32> targets = tf.math.mul(tf.expandDims(atClass, tf.constant(2)),
        tf.expandDims(codes, tf.constant(1)));
    return new SecondStageTargetGraph(tf.gather(proposals, order, zero), tf.gather(labels, order, zero),
        tf.gather(targets, order, zero), tf.math.mul(tf.gather(atClass, order, zero), w), w, match,
        sample.positives(), sample.negatives());
  }

  /** Ascending indices where {@code mask} holds, int32 [n]. */
  private static Operand<TInt32> indices(Ops tf, Operand<TBool> mask) {
    return tf.dtypes.cast(tf.reshape(tf.where(mask), tf.constant(new int[] {-1})), TInt32.class);
  }
}
