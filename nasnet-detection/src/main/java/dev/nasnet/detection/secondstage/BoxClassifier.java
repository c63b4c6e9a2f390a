package dev.nasnet.detection.secondstage;

import com.google.common.base.Preconditions;
import dev.nasnet.core.graph.Layers;
import dev.nasnet.core.graph.WeightInit;
import dev.nasnet.core.model.TwoStageBackbone;
import dev.nasnet.detection.boxes.SmoothL1;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The second stage, as the Object Detection API builds it for NASNet: {@code crop_and_resize} of the first-stage
 * features at each proposal (17x17 for NASNet, bilinear, no max pool), the backbone's remaining cells on the crops,
 * a spatial mean, then one fully connected layer to {@code numClasses + 1} logits (0 = background) and one to
 * class-specific box codes.
 */
public final class BoxClassifier {
  /** {@code classLogits} [proposals, numClasses + 1], {@code boxCodes} [proposals, numClasses, 4]. */
  public record Outputs(Operand<TFloat32> classLogits, Operand<TFloat32> boxCodes) {}

  /** {@code classification}, {@code localization} and their weighted {@code total}. */
  public record Losses(Operand<TFloat32> localization, Operand<TFloat32> classification, Operand<TFloat32> total) {}

  /** mask_rcnn_box_predictor's FC hyper-parameters: variance scaling 1.0 on the average fan, uniform. */
  static final WeightInit INIT = new WeightInit.VarianceScaling(1.0, WeightInit.Fan.AVERAGE, true);

  private BoxClassifier() {}

  /**
   * @param normalizedBoxes [proposals, 4] {@code ymin, xmin, ymax, xmax} in [0, 1] of the image
   * @param boxImage [proposals] the batch index of each proposal's image
   */
  public static Outputs build(TwoStageBackbone backbone, Operand<TFloat32> normalizedBoxes, Operand<TInt32> boxImage,
      int cropSize, int numClasses) {
    Preconditions.checkArgument(cropSize > 0 && numClasses > 0, "crop size and class count must be positive");
    Layers layers = backbone.layers().sub("box_classifier");
    Ops tf = layers.tf();
    Operand<TFloat32> crops = tf.image.cropAndResize(backbone.firstStageFeatures(), normalizedBoxes, boxImage,
        tf.constant(new int[] {cropSize, cropSize}));
    Operand<TFloat32> pooled = layers.globalAvgPool(backbone.secondStage(crops));
    Operand<TFloat32> logits = layers.fullyConnected("ClassPredictor", pooled, numClasses + 1, INIT);
    Operand<TFloat32> codes = tf.reshape(layers.fullyConnected("BoxEncodingPredictor", pooled, numClasses * 4, INIT),
        tf.constant(new int[] {-1, numClasses, 4}));
    return new Outputs(logits, codes);
  }

  /**
   * Softmax cross-entropy over the sampled proposals and smooth L1 (Huber, delta 1) on each positive's ground-truth
   * class codes, weighted as {@link SecondStageTargets} says (faster_rcnn_nas_coco: localization 2, classification 1).
   *
   * @param labels [proposals] 0 background, class + 1
   * @param classWeight per proposal [proposals] (or one scalar for all): 1 / sampled proposals of its image, divided
   *     by the batch size when several images share the batch
   * @param boxTargets [proposals, numClasses, 4]
   * @param boxWeights [proposals, numClasses]
   */
  public static Losses loss(Ops tf, Outputs out, Operand<TInt32> labels, Operand<TFloat32> classWeight,
      Operand<TFloat32> boxTargets, Operand<TFloat32> boxWeights, float localizationWeight,
      float classificationWeight) {
    int classes = (int) out.classLogits().shape().get(1);
    Operand<TFloat32> onehot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> ce = tf.nn.softmaxCrossEntropyWithLogits(out.classLogits(), onehot).loss();
    Operand<TFloat32> classification = tf.sum(tf.math.mul(ce, classWeight), tf.constant(0));
    Operand<TFloat32> perClass = SmoothL1.perBox(tf, out.boxCodes(), boxTargets, 2);
    Operand<TFloat32> localization = tf.sum(tf.math.mul(perClass, boxWeights),
        tf.constant(new int[] {0, 1}));
    Operand<TFloat32> total = tf.math.add(tf.math.mul(tf.constant(localizationWeight), localization),
        tf.math.mul(tf.constant(classificationWeight), classification));
    return new Losses(localization, classification, total);
  }
}
