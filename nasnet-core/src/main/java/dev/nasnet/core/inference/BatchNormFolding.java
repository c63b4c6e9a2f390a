package dev.nasnet.core.inference;

import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Folds inference-mode batch norm into the convolution before it, in a frozen graph: {@code bn(conv(x, w))} becomes
 * {@code conv(x, w * s) + (beta - mean * s)} with {@code s = gamma / sqrt(variance + epsilon)} per output channel.
 * The batch norm node keeps its name and becomes a {@code BiasAdd}, so its consumers are untouched, and TensorFlow's
 * optimiser can fuse convolution and bias (and a ReLU after them) into one kernel.
 *
 * <p>Folded only where it is exact up to rounding: an NHWC {@code FusedBatchNorm}/{@code V3} not in training, whose
 * only input is a {@code Conv2D} or {@code DepthwiseConv2dNative} read by nothing else, with constant weights and
 * constant batch-norm parameters, and whose other outputs (batch statistics) nobody reads. Every other batch norm
 * (e.g. after a concatenation) stays as it is.
 */
final class BatchNormFolding {
  private static final Set<String> BATCH_NORMS = Set.of("FusedBatchNorm", "FusedBatchNormV3");
  private static final Set<String> CONVS = Set.of("Conv2D", "DepthwiseConv2dNative");

  /** The rewritten graph and how many batch norms were folded out of how many. */
  record Result(GraphDef graph, int folded, int batchNorms) {}

  private BatchNormFolding() {}

  static Result fold(GraphDef graph) {
    Map<String, NodeDef> nodes = GraphDefs.byName(graph);
    Map<String, Integer> uses = GraphDefs.consumers(graph);
    Map<String, NodeDef> replaced = new java.util.HashMap<>();
    java.util.List<NodeDef> added = new java.util.ArrayList<>();
    int folded = 0;
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
      float[] gamma = GraphDefs.floatValues(nodes.get(GraphDefs.nodeOf(bn.getInput(1))));
      float[] beta = GraphDefs.floatValues(nodes.get(GraphDefs.nodeOf(bn.getInput(2))));
      float[] mean = GraphDefs.floatValues(nodes.get(GraphDefs.nodeOf(bn.getInput(3))));
      float[] variance = GraphDefs.floatValues(nodes.get(GraphDefs.nodeOf(bn.getInput(4))));
      NodeDef weights = nodes.get(GraphDefs.nodeOf(conv.getInput(1)));
      float[] w = GraphDefs.floatValues(weights);
      if (gamma == null || beta == null || mean == null || variance == null || w == null) {
        continue;
      }
      float epsilon = bn.containsAttr("epsilon") ? bn.getAttrOrThrow("epsilon").getF() : 1e-4f;
      int channels = gamma.length;
      float[] scale = new float[channels];
      float[] shift = new float[channels];
      for (int c = 0; c < channels; c++) {
        scale[c] = (float) (gamma[c] / Math.sqrt((double) variance[c] + epsilon));
        shift[c] = beta[c] - mean[c] * scale[c];
      }
      // Both filter layouts keep the output channel innermost: [kh, kw, in, out] and [kh, kw, in, multiplier],
      // where a depthwise conv's output channel is in * multiplier + m.
      if (w.length % channels != 0) {
        continue;
      }
      float[] scaled = new float[w.length];
      for (int i = 0; i < w.length; i++) {
        scaled[i] = w[i] * scale[i % channels];
      }
      String folding = bn.getName() + "/folded";
      added.add(GraphDefs.floatConstant(folding + "_weights", weights.getDevice(), GraphDefs.constantShape(weights),
          scaled));
      added.add(GraphDefs.floatConstant(folding + "_bias", bn.getDevice(), new long[] {channels}, shift));
      replaced.put(conv.getName(), conv.toBuilder().setInput(1, folding + "_weights").build());
      replaced.put(bn.getName(), NodeDef.newBuilder().setName(bn.getName()).setOp("BiasAdd").setDevice(bn.getDevice())
          .addInput(bn.getInput(0)).addInput(folding + "_bias")
          .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
          .putAttr("data_format", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("NHWC"))
              .build()).build());
      folded++;
    }
    GraphDef.Builder out = graph.toBuilder().clearNode();
    out.addAllNode(added);
    graph.getNodeList().forEach(n -> out.addNode(replaced.getOrDefault(n.getName(), n)));
    return new Result(out.build(), folded, batchNorms);
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
}
