package dev.nasnet.detection.rpn;

import com.google.common.base.Preconditions;
import dev.nasnet.core.graph.Layers;
import dev.nasnet.core.graph.WeightInit;
import dev.nasnet.detection.boxes.SmoothL1;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The region proposal network on the first-stage features, as the Object Detection API builds it: a 3x3 conv (512 by
 * default) with ReLU6, then 1x1 convs to 4 box codes and 2 logits (background, object; a softmax, not a sigmoid) per
 * anchor, all started from a truncated normal of stddev 0.01 as the config has it. Outputs are flattened in the
 * anchor generator's order: grid row-major, then the anchors of a cell.
 */
public final class RpnHead {
  /** Per image and anchor: {@code objectnessLogits} [N, anchors, 2], {@code boxCodes} [N, anchors, 4]. */
  public record Outputs(Operand<TFloat32> objectnessLogits, Operand<TFloat32> boxCodes, int anchors) {}

  /** faster_rcnn_nas_coco's first-stage conv hyper-parameters: truncated normal, stddev 0.01. */
  static final WeightInit INIT = new WeightInit.TruncatedNormal(0.01);

  private RpnHead() {}

  public static Outputs build(Layers layers, Operand<TFloat32> features, int anchorsPerCell, int depth) {
    Preconditions.checkArgument(anchorsPerCell > 0 && depth > 0, "anchors per cell and depth must be positive");
    Layers s = layers.sub("rpn");
    Ops tf = s.tf();
    Operand<TFloat32> x = tf.nn.relu6(s.conv2dWithBias("Conv", features, depth, 3, 1, "SAME", INIT));
    int anchors = (int) (features.shape().get(1) * features.shape().get(2) * anchorsPerCell);
    Operand<TFloat32> boxes = s.conv2dWithBias("BoxEncodingPredictor", x, anchorsPerCell * 4, 1, 1, "SAME", INIT);
    Operand<TFloat32> logits = s.conv2dWithBias("ClassPredictor", x, anchorsPerCell * 2, 1, 1, "SAME", INIT);
    return new Outputs(tf.reshape(logits, tf.constant(new int[] {-1, anchors, 2})),
        tf.reshape(boxes, tf.constant(new int[] {-1, anchors, 4})), anchors);
  }

  /**
   * Each anchor's object probability [N, anchors]: the softmax's object column. With two classes that is the sigmoid
   * of the logits' difference, which costs a few elementwise kernels where oneDNN's softmax over a last axis of 2 took
   * about 2% of a shapes-preset training step.
   */
  public static Operand<TFloat32> objectProbability(Ops tf, Outputs out) {
    return tf.math.sigmoid(objectnessMargin(tf, out));
  }

  /** The object logit minus the background logit, [N, anchors]. */
  static Operand<TFloat32> objectnessMargin(Ops tf, Outputs out) {
    List<Output<TFloat32>> logits = tf.unstack(out.objectnessLogits(), 2L, Unstack.axis(2L)).output();
    return tf.math.sub(logits.get(1), logits.get(0));
  }

  /**
   * The RPN loss: weighted softmax cross-entropy (in its two-class form) on sampled anchors plus weighted smooth-L1
   * (Huber, delta 1) on the box codes of positive anchors, each already normalised per image by {@link RpnTargets}'
   * weights, averaged over the batch, and combined with the given weights (faster_rcnn_nas_coco: localization 2,
   * objectness 1).
   *
   * @param labels [N, anchors] 0/1
   * @param classWeights [N, anchors]
   * @param boxTargets [N, anchors, 4]
   * @param boxWeights [N, anchors]
   */
  public static Losses loss(Ops tf, Outputs out, Operand<TInt32> labels, Operand<TFloat32> classWeights,
      Operand<TFloat32> boxTargets, Operand<TFloat32> boxWeights, float localizationWeight, float objectnessWeight) {
    Operand<TFloat32> batch = tf.dtypes.cast(tf.gather(tf.shape(labels), tf.constant(0), tf.constant(0)),
        TFloat32.class);
    // The softmax cross-entropy of two classes, -log softmax(l)[y], is softplus((1 - 2y)(l1 - l0)).
    Operand<TFloat32> sign = tf.math.sub(tf.constant(1f), tf.math.mul(tf.constant(2f),
        tf.dtypes.cast(labels, TFloat32.class)));
    Operand<TFloat32> ce = tf.math.softplus(tf.math.mul(sign, objectnessMargin(tf, out)));
    Operand<TFloat32> objectness = tf.math.div(tf.sum(tf.math.mul(ce, classWeights), tf.constant(new int[] {0, 1})),
        batch);
    Operand<TFloat32> perAnchor = SmoothL1.perBox(tf, out.boxCodes(), boxTargets, 2);
    Operand<TFloat32> localization = tf.math.div(tf.sum(tf.math.mul(perAnchor, boxWeights),
        tf.constant(new int[] {0, 1})), batch);
    Operand<TFloat32> total = tf.math.add(tf.math.mul(tf.constant(localizationWeight), localization),
        tf.math.mul(tf.constant(objectnessWeight), objectness));
    return new Losses(localization, objectness, total);
  }

  /** The named losses: {@code localization}, {@code objectness} and their weighted {@code total}. */
  public record Losses(Operand<TFloat32> localization, Operand<TFloat32> objectness, Operand<TFloat32> total) {}
}
