package dev.nasnet.core.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Folds inference-mode batch norm into the convolution before it: {@code bn(conv(x, w))} becomes
 * {@code conv(x, w * s) + (beta - mean * s)} with {@code s = gamma / sqrt(variance + epsilon)} per output channel.
 * The batch norm node keeps its name and becomes a {@code BiasAdd}, so its consumers are untouched, and TensorFlow's
 * optimiser fuses convolution, bias and a ReLU after them into one kernel.
 *
 * <p>This class rewrites the graph: the convolution reads a new variable {@code <bn>/folded_weights} and the bias is
 * a new variable {@code <bn>/folded_bias}; each {@link Fold} says how to compute their values from the old
 * variables ({@link Fold#apply}). Variables stay variables, so a large network's weights are never copied into the
 * graph definition. Folded only where it is exact up to rounding: an NHWC {@code FusedBatchNorm}/{@code V3} not in
 * training, whose input is a {@code Conv2D} or {@code DepthwiseConv2dNative} read by nothing else, whose filter and
 * four parameters are variables read directly, and whose batch-statistics outputs nobody reads. Every other batch
 * norm (e.g. after a concatenation) stays as it is.
 */
final class BatchNormFolding {
  private static final Set<String> BATCH_NORMS = Set.of("FusedBatchNorm", "FusedBatchNormV3");
  private static final Set<String> CONVS = Set.of("Conv2D", "DepthwiseConv2dNative");
  private static final Set<String> VARIABLES = Set.of("VariableV2", "Variable");

  /** The rewritten graph, its folds, and how many batch norms it had. */
  record Result(GraphDef graph, List<Fold> folds, int batchNorms) {}

  /**
   * One folded batch norm: the variables it reads and the two it adds.
   *
   * @param weights the convolution's filter variable
   * @param gamma the batch norm's scale variable, then {@code beta}, {@code mean} and {@code variance}
   * @param foldedWeights the new filter variable's name
   * @param foldedBias the new bias variable's name
   */
  record Fold(String weights, String gamma, String beta, String mean, String variance, float epsilon,
      String foldedWeights, String foldedBias) {

    /**
     * The new filter and bias from the old values. Both filter layouts keep the output channel innermost:
     * [kh, kw, in, out] and, for a depthwise conv, [kh, kw, in, multiplier] with output channel in * multiplier + m.
     *
     * @return {folded filter, bias}
     */
    float[][] apply(float[] w, float[] gammaValues, float[] betaValues, float[] meanValues, float[] varianceValues) {
      int channels = gammaValues.length;
      if (w.length % channels != 0) {
        throw new IllegalStateException("cannot fold: filter '" + weights + "' has " + w.length
            + " values, not a multiple of the " + channels + " channels of '" + gamma + "'");
      }
      float[] scale = new float[channels];
      float[] shift = new float[channels];
      for (int c = 0; c < channels; c++) {
        scale[c] = (float) (gammaValues[c] / Math.sqrt((double) varianceValues[c] + epsilon));
        shift[c] = betaValues[c] - meanValues[c] * scale[c];
      }
      float[] scaled = new float[w.length];
      for (int i = 0; i < w.length; i++) {
        scaled[i] = w[i] * scale[i % channels];
      }
      return new float[][] {scaled, shift};
    }
  }

  private BatchNormFolding() {}

  static Result fold(GraphDef graph) {
    Map<String, NodeDef> nodes = GraphDefs.byName(graph);
    Map<String, Integer> uses = GraphDefs.consumers(graph);
    Map<String, NodeDef> replaced = new HashMap<>();
    List<NodeDef> added = new ArrayList<>();
    List<Fold> folds = new ArrayList<>();
    int batchNorms = 0;
    for (NodeDef bn : graph.getNodeList()) {
      if (!BATCH_NORMS.contains(bn.getOp())) {
        continue;
      }
      batchNorms++;
      NodeDef conv = foldableConv(bn, nodes, uses);
      if (conv == null) {
        continue;
      }
      NodeDef weights = variable(nodes, conv.getInput(1));
      List<NodeDef> params = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        params.add(variable(nodes, bn.getInput(i)));
      }
      if (weights == null || params.contains(null)) {
        continue;
      }
      float epsilon = bn.containsAttr("epsilon") ? bn.getAttrOrThrow("epsilon").getF() : 1e-4f;
      Fold fold = new Fold(weights.getName(), params.get(0).getName(), params.get(1).getName(),
          params.get(2).getName(), params.get(3).getName(), epsilon, bn.getName() + "/folded_weights",
          bn.getName() + "/folded_bias");
      folds.add(fold);
      added.add(weights.toBuilder().setName(fold.foldedWeights()).build());
      added.add(params.get(1).toBuilder().setName(fold.foldedBias()).build());
      replaced.put(conv.getName(), conv.toBuilder().setInput(1, fold.foldedWeights()).build());
      replaced.put(bn.getName(), NodeDef.newBuilder().setName(bn.getName()).setOp("BiasAdd").setDevice(bn.getDevice())
          .addInput(bn.getInput(0)).addInput(fold.foldedBias())
          .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
          .putAttr("data_format", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("NHWC"))
              .build()).build());
    }
    GraphDef.Builder out = graph.toBuilder().clearNode();
    out.addAllNode(added);
    graph.getNodeList().forEach(n -> out.addNode(replaced.getOrDefault(n.getName(), n)));
    return new Result(out.build(), folds, batchNorms);
  }

  /** The variable node an input reads directly, or null. */
  private static NodeDef variable(Map<String, NodeDef> nodes, String input) {
    NodeDef n = nodes.get(GraphDefs.nodeOf(input));
    return n != null && VARIABLES.contains(n.getOp()) && GraphDefs.outputOf(input) == 0 ? n : null;
  }

  /** The convolution {@code bn} can be folded into, or null. */
  private static NodeDef foldableConv(NodeDef bn, Map<String, NodeDef> nodes, Map<String, Integer> uses) {
    if (bn.containsAttr("is_training") && bn.getAttrOrThrow("is_training").getB()) {
      return null;
    }
    if (bn.containsAttr("data_format") && !bn.getAttrOrThrow("data_format").getS().toStringUtf8().equals("NHWC")) {
      return null;
    }
    for (int out = 1; out <= 5; out++) {
      if (uses.containsKey(bn.getName() + ":" + out)) {
        return null;
      }
    }
    String input = bn.getInput(0);
    NodeDef conv = nodes.get(GraphDefs.nodeOf(input));
    if (conv == null || !CONVS.contains(conv.getOp()) || GraphDefs.outputOf(input) != 0
        || uses.getOrDefault(conv.getName() + ":0", 0) != 1) {
      return null;
    }
    if (conv.containsAttr("data_format") && !conv.getAttrOrThrow("data_format").getS().toStringUtf8().equals("NHWC")) {
      return null;
    }
    return conv;
  }

  /** The shape attribute of a variable node. */
  static long[] variableShape(NodeDef variable) {
    return variable.getAttrOrThrow("shape").getShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize)
        .toArray();
  }
}
