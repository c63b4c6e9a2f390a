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
 * four parameters are variables read directly, and whose batch-statistics outputs nobody reads; or one whose input
 * is a channel concatenation of such {@code Conv2D}s (the factorized reduction's), folded into each of them. Every
 * other batch norm stays as it is.
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
   * @param firstChannel the batch norm channel this convolution's output channel 0 is (non-zero for the second and
   *     later parts of a concatenation)
   * @param channels how many of the batch norm's channels this convolution makes; -1 for all of them
   */
  record Fold(String weights, String gamma, String beta, String mean, String variance, float epsilon,
      String foldedWeights, String foldedBias, int firstChannel, int channels) {

    /**
     * The new filter and bias from the old values. Both filter layouts keep the output channel innermost:
     * [kh, kw, in, out] and, for a depthwise conv, [kh, kw, in, multiplier] with output channel in * multiplier + m.
     *
     * @return {folded filter, bias}
     */
    float[][] apply(float[] w, float[] gammaValues, float[] betaValues, float[] meanValues, float[] varianceValues) {
      int channels = this.channels < 0 ? gammaValues.length : this.channels;
      if (w.length % channels != 0 || firstChannel + channels > gammaValues.length) {
        throw new IllegalStateException("cannot fold: filter '" + weights + "' has " + w.length
            + " values, not a multiple of its " + channels + " channels from channel " + firstChannel + " of '" + gamma
            + "' (" + gammaValues.length + " channels)");
      }
      float[] scale = new float[channels];
      float[] shift = new float[channels];
      for (int c = 0; c < channels; c++) {
        int k = firstChannel + c;
        scale[c] = (float) (gammaValues[k] / Math.sqrt((double) varianceValues[k] + epsilon));
        shift[c] = betaValues[k] - meanValues[k] * scale[c];
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
    Map<String, List<NodeDef>> addedAfter = new HashMap<>();
    List<NodeDef> added = new ArrayList<>();
    List<Fold> folds = new ArrayList<>();
    int batchNorms = 0;
    for (NodeDef bn : graph.getNodeList()) {
      if (!BATCH_NORMS.contains(bn.getOp())) {
        continue;
      }
      batchNorms++;
      if (!foldable(bn, uses)) {
        continue;
      }
      List<NodeDef> params = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        params.add(variable(nodes, bn.getInput(i)));
      }
      if (params.contains(null)) {
        continue;
      }
      float epsilon = bn.containsAttr("epsilon") ? bn.getAttrOrThrow("epsilon").getF() : 1e-4f;
      NodeDef conv = soleConv(bn.getInput(0), nodes, uses, CONVS);
      NodeDef weights = conv == null ? null : variable(nodes, conv.getInput(1));
      if (weights != null) {
        Fold fold = new Fold(weights.getName(), params.get(0).getName(), params.get(1).getName(),
            params.get(2).getName(), params.get(3).getName(), epsilon, bn.getName() + "/folded_weights",
            bn.getName() + "/folded_bias", 0, -1);
        folds.add(fold);
        added.add(weights.toBuilder().setName(fold.foldedWeights()).build());
        added.add(params.get(1).toBuilder().setName(fold.foldedBias()).build());
        replaced.put(conv.getName(), conv.toBuilder().setInput(1, fold.foldedWeights()).build());
        replaced.put(bn.getName(), biasAdd(bn.getName(), bn.getDevice(), bn.getInput(0), fold.foldedBias()));
        continue;
      }
      // A batch norm over a channel concatenation of convolutions (the factorized reduction's) folds into each of
      // them, its channels in order; each gets its own bias, and the batch norm becomes the concatenation itself.
      NodeDef concat = channelConcat(bn.getInput(0), nodes, uses);
      if (concat == null) {
        continue;
      }
      int parts = concat.getInputCount() - 1;
      List<Fold> partFolds = new ArrayList<>();
      List<NodeDef> partConvs = new ArrayList<>();
      int channels = 0;
      for (int i = 0; i < parts; i++) {
        NodeDef part = partConv(concat.getInput(i), nodes, uses);
        NodeDef partWeights = part == null ? null : variable(nodes, part.getInput(1));
        if (partWeights == null) {
          break;
        }
        int partChannels = (int) variableShape(partWeights)[3];
        partFolds.add(new Fold(partWeights.getName(), params.get(0).getName(), params.get(1).getName(),
            params.get(2).getName(), params.get(3).getName(), epsilon, bn.getName() + "/folded_weights_" + i,
            bn.getName() + "/folded_bias_" + i, channels, partChannels));
        partConvs.add(part);
        channels += partChannels;
      }
      if (partFolds.size() != parts || channels != variableShape(params.get(0))[0]) {
        continue;
      }
      NodeDef.Builder newConcat = concat.toBuilder();
      for (int i = 0; i < parts; i++) {
        Fold fold = partFolds.get(i);
        NodeDef part = partConvs.get(i);
        folds.add(fold);
        added.add(nodes.get(fold.weights()).toBuilder().setName(fold.foldedWeights()).build());
        added.add(params.get(1).toBuilder().setName(fold.foldedBias())
            .putAttr("shape", AttrValue.newBuilder().setShape(TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(fold.channels()))).build()).build());
        replaced.put(part.getName(), part.toBuilder().setInput(1, fold.foldedWeights()).build());
        // The bias goes after the part as the concatenation reads it: after a pad, the padded zeros get it too, as
        // the batch norm gave them (0 - mean) * scale + beta.
        String biased = bn.getName() + "/folded_bias_add_" + i;
        String partOutput = GraphDefs.nodeOf(concat.getInput(i));
        addedAfter.computeIfAbsent(partOutput, k -> new ArrayList<>())
            .add(biasAdd(biased, bn.getDevice(), partOutput, fold.foldedBias()));
        newConcat.setInput(i, biased);
      }
      replaced.put(concat.getName(), newConcat.build());
      replaced.put(bn.getName(), NodeDef.newBuilder().setName(bn.getName()).setOp("Identity").setDevice(bn.getDevice())
          .addInput(concat.getName()).putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
          .build());
    }
    GraphDef.Builder out = graph.toBuilder().clearNode();
    out.addAllNode(added);
    for (NodeDef n : graph.getNodeList()) {
      out.addNode(replaced.getOrDefault(n.getName(), n));
      out.addAllNode(addedAfter.getOrDefault(n.getName(), List.of()));
    }
    return new Result(out.build(), folds, batchNorms);
  }

  private static NodeDef biasAdd(String name, String device, String input, String bias) {
    return NodeDef.newBuilder().setName(name).setOp("BiasAdd").setDevice(device).addInput(input).addInput(bias)
        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("data_format", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("NHWC"))
            .build()).build();
  }

  /**
   * The {@code ConcatV2} along channels (axis 3 or -1, a constant) that {@code input} is, read by nothing else, or
   * null.
   */
  private static NodeDef channelConcat(String input, Map<String, NodeDef> nodes, Map<String, Integer> uses) {
    NodeDef concat = nodes.get(GraphDefs.nodeOf(input));
    if (concat == null || !concat.getOp().equals("ConcatV2") || GraphDefs.outputOf(input) != 0
        || uses.getOrDefault(concat.getName() + ":0", 0) != 1 || concat.getInputCount() < 2) {
      return null;
    }
    Number axis = scalarConstant(nodes.get(GraphDefs.nodeOf(concat.getInput(concat.getInputCount() - 1))));
    if (axis == null) {
      return null;
    }
    int a = axis.intValue();
    return a == 3 || a == -1 ? concat : null;
  }

  /** The variable node an input reads directly, or null. */
  private static NodeDef variable(Map<String, NodeDef> nodes, String input) {
    NodeDef n = nodes.get(GraphDefs.nodeOf(input));
    return n != null && VARIABLES.contains(n.getOp()) && GraphDefs.outputOf(input) == 0 ? n : null;
  }

  /**
   * The {@code Conv2D} a concatenation's part comes from, read by nothing else: the part itself, or the conv under a
   * slice or a zero pad (the factorized reduction's path 2 has one or the other); null otherwise.
   */
  private static NodeDef partConv(String input, Map<String, NodeDef> nodes, Map<String, Integer> uses) {
    NodeDef part = nodes.get(GraphDefs.nodeOf(input));
    boolean zeroPad = part != null && (part.getOp().equals("Pad") || part.getOp().equals("PadV2"))
        && zeroPadding(part, nodes);
    if (part != null && (zeroPad || part.getOp().equals("Slice")) && GraphDefs.outputOf(input) == 0
        && uses.getOrDefault(part.getName() + ":0", 0) == 1) {
      return soleConv(part.getInput(0), nodes, uses, Set.of("Conv2D"));
    }
    return soleConv(input, nodes, uses, Set.of("Conv2D"));
  }

  /** Whether a pad fills with zeros: {@code Pad}, or {@code PadV2} with a constant 0. */
  private static boolean zeroPadding(NodeDef pad, Map<String, NodeDef> nodes) {
    if (pad.getOp().equals("Pad")) {
      return true;
    }
    Number value = scalarConstant(nodes.get(GraphDefs.nodeOf(pad.getInput(2))));
    return value != null && value.floatValue() == 0f;
  }

  /**
   * The value of a one-element int32 or float {@code Const} node (in the value list or as 4 little-endian bytes of
   * tensor content), or null for anything else.
   */
  private static Number scalarConstant(NodeDef node) {
    if (node == null || !node.getOp().equals("Const")) {
      return null;
    }
    org.tensorflow.proto.TensorProto t = node.getAttrOrThrow("value").getTensor();
    boolean isInt = t.getDtype() == DataType.DT_INT32;
    if (!isInt && t.getDtype() != DataType.DT_FLOAT) {
      return null;
    }
    if (isInt ? t.getIntValCount() == 1 : t.getFloatValCount() == 1) {
      return isInt ? (Number) t.getIntVal(0) : (Number) t.getFloatVal(0);
    }
    if (t.getTensorContent().size() != 4) {
      return null;
    }
    java.nio.ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    return isInt ? (Number) b.getInt() : (Number) b.getFloat();
  }

  /** Whether {@code bn} is an inference-mode NHWC batch norm whose batch statistics nobody reads. */
  private static boolean foldable(NodeDef bn, Map<String, Integer> uses) {
    if (bn.containsAttr("is_training") && bn.getAttrOrThrow("is_training").getB()) {
      return false;
    }
    if (bn.containsAttr("data_format") && !bn.getAttrOrThrow("data_format").getS().toStringUtf8().equals("NHWC")) {
      return false;
    }
    for (int out = 1; out <= 5; out++) {
      if (uses.containsKey(bn.getName() + ":" + out)) {
        return false;
      }
    }
    return true;
  }

  /** The NHWC convolution of one of {@code types} that {@code input} is, read by nothing else, or null. */
  private static NodeDef soleConv(String input, Map<String, NodeDef> nodes, Map<String, Integer> uses,
      Set<String> types) {
    NodeDef conv = nodes.get(GraphDefs.nodeOf(input));
    if (conv == null || !types.contains(conv.getOp()) || GraphDefs.outputOf(input) != 0
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
