package dev.nasnet.detection.rpn;

import dev.nasnet.detection.boxes.BoxGraph;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.NonMaxSuppression;
import org.tensorflow.types.TFloat32;

/**
 * {@link ProposalGenerator} as graph ops, for one image: decode every anchor, clip to the image, score empty boxes
 * out, NMS down to at most {@code maxProposals}. Same rule as the Java version, which the tests hold it to.
 */
public final class ProposalGraph {
  private ProposalGraph() {}

  /**
   * @param codes [anchors, 4]
   * @param objectProbability [anchors]
   * @param anchors [anchors, 4] in pixels
   * @return [proposals, 4] in pixels, best first
   */
  public static Operand<TFloat32> propose(Ops tf, Operand<TFloat32> codes, Operand<TFloat32> objectProbability,
      Operand<TFloat32> anchors, float height, float width, FasterRcnnBoxCoder coder, double nmsIou,
      int maxProposals) {
    Operand<TFloat32> boxes = BoxGraph.clip(tf, BoxGraph.decode(tf, codes, anchors, coder), height, width);
    // Boxes that clipping left empty get a score below the threshold, so NMS never selects them.
    Operand<TFloat32> scores = tf.select(tf.math.greater(BoxGraph.area(tf, boxes), tf.constant(0f)), objectProbability,
        tf.math.neg(tf.onesLike(objectProbability)));
    NonMaxSuppression<TFloat32> nms = tf.image.nonMaxSuppression(boxes, scores, tf.constant(maxProposals),
        tf.constant((float) nmsIou), tf.constant(-0.5f), tf.constant(0f));
    return tf.gather(boxes, nms.selectedIndices(), tf.constant(0));
  }
}
