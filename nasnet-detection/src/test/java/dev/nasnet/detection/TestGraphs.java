package dev.nasnet.detection;

import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.model.TwoStageBackbone;
import dev.nasnet.core.train.GradientStep;
import dev.nasnet.core.train.Optimizer;
import dev.nasnet.detection.synthetic.SyntheticImage;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What the RPN training test needs: a training step and reading the RPN's outputs of one image. */
public final class TestGraphs {
  private TestGraphs() {}

  /** Momentum 0.9 on every trainable variable of the backbone graph at {@code learningRate}, plus the BN updates. */
  public static Op momentumStep(Ops tf, TwoStageBackbone backbone, Operand<TFloat32> loss, float learningRate) {
    List<ModelVariable> trainable = backbone.variables().stream().filter(ModelVariable::trainable).toList();
    return GradientStep.build(tf, loss, trainable, Optimizer.momentum(0.9, false), tf.constant(learningRate), 0,
        backbone.updateOps(), new ArrayList<>(), "train_step");
  }

  /** One image's RPN outputs: the object probability of each anchor and its box codes, flattened. */
  public record RpnReadout(float[] objectProbability, float[] codes) {}

  /**
   * @param objectness the softmax of the objectness logits, [1, anchors, 2]
   * @param boxCodes [1, anchors, 4]
   */
  public static RpnReadout readRpn(Session s, SyntheticImage image, TwoStageBackbone backbone,
      Operand<TFloat32> objectness, Operand<TFloat32> boxCodes, int anchors) {
    try (TFloat32 pixels = TestImages.pixels(image);
        Result r = s.runner().feed(backbone.images(), pixels).fetch(objectness).fetch(boxCodes).run()) {
      TFloat32 scores = (TFloat32) r.get(0);
      float[] object = new float[anchors];
      for (int k = 0; k < anchors; k++) {
        object[k] = scores.getFloat(0, k, 1);
      }
      float[] codes = new float[anchors * 4];
      ((TFloat32) r.get(1)).asRawTensor().data().asFloats().read(codes);
      return new RpnReadout(object, codes);
    }
  }
}
