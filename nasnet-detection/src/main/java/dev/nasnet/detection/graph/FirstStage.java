package dev.nasnet.detection.graph;

import dev.nasnet.detection.FasterRcnnConfig;

import com.google.common.collect.ImmutableList;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.Regularization;
import dev.nasnet.core.model.TwoStageBackbone;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.rpn.ProposalGraph;
import dev.nasnet.detection.rpn.RpnHead;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What the training and the inference graph share: NASNet preprocessing of 0..255 pixels, the backbone's first stage,
 * the RPN and the anchors of its grid (the input size is fixed, so the anchors are constants).
 */
public record FirstStage(TwoStageBackbone backbone, RpnHead.Outputs rpn, Operand<TFloat32> objectProbability,
    ImmutableList<CornerBox> anchors, Operand<TFloat32> anchorTensor) {

  public static final FasterRcnnBoxCoder CODER = FasterRcnnBoxCoder.nasnetDefaults();

  /** @param pixels [N, size, size, 3] in 0..255 */
  public static FirstStage build(Graph graph, FasterRcnnConfig config, Mode mode, Operand<TFloat32> pixels) {
    return build(graph, config, mode, pixels, Regularization.none());
  }

  /** As above; a training graph's backbone regularised by {@code regularization}. */
  public static FirstStage build(Graph graph, FasterRcnnConfig config, Mode mode, Operand<TFloat32> pixels,
      Regularization regularization) {
    Ops tf = Ops.create(graph).withSubScope("preprocess");
    Operand<TFloat32> scaled = tf.math.sub(tf.math.mul(pixels, tf.constant(2f / 255f)), tf.constant(1f));
    TwoStageBackbone backbone = new NasNetBuilder(config.backbone()).withRegularization(regularization)
        .buildTwoStage(graph, mode, config.splitCell(),
        scaled);
    Operand<TFloat32> features = backbone.firstStageFeatures();
    ImmutableList<CornerBox> anchors = config.anchors().generate((int) features.shape().get(1),
        (int) features.shape().get(2));
    RpnHead.Outputs rpn = RpnHead.build(backbone.layers(), features, config.anchors().anchorsPerCell(),
        config.rpnDepth());
    Ops root = Ops.create(graph);
    Operand<TFloat32> probability = RpnHead.objectProbability(root, rpn);
    float[] flat = CornerBox.flatten(anchors);
    Operand<TFloat32> anchorTensor = root.withName("anchors").reshape(root.constant(flat),
        root.constant(new int[] {anchors.size(), 4}));
    return new FirstStage(backbone, rpn, probability, anchors, anchorTensor);
  }

  /** In-graph proposals of image {@code index} of the batch, [proposals, 4] pixels. */
  Operand<TFloat32> proposals(Ops tf, FasterRcnnConfig config, int index) {
    Operand<TFloat32> codes = tf.squeeze(tf.slice(rpn.boxCodes(), tf.constant(new int[] {index, 0, 0}),
        tf.constant(new int[] {1, -1, -1})), org.tensorflow.op.core.Squeeze.axis(java.util.List.of(0L)));
    Operand<TFloat32> scores = tf.squeeze(tf.slice(objectProbability, tf.constant(new int[] {index, 0}),
        tf.constant(new int[] {1, -1})), org.tensorflow.op.core.Squeeze.axis(java.util.List.of(0L)));
    float size = config.inputSize();
    return ProposalGraph.propose(tf, codes, scores, anchorTensor, size, size, CODER, config.proposalNmsIou(),
        config.maxProposals());
  }
}
