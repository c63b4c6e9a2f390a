package dev.nasnet.core.inference;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Small helpers for rewriting a GraphDef: input names, float constants, pruning to what outputs need. */
final class GraphDefs {
  private GraphDefs() {}

  /** The node an input refers to: "conv" for "conv", "conv:1" and "^conv". */
  static String nodeOf(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** The output index an input refers to: 0 for "conv" and "conv:0", 1 for "conv:1"; -1 for a control input. */
  static int outputOf(String input) {
    if (input.startsWith("^")) {
      return -1;
    }
    int colon = input.indexOf(':');
    return colon < 0 ? 0 : Integer.parseInt(input.substring(colon + 1));
  }

  /** Nodes by name. */
  static Map<String, NodeDef> byName(GraphDef graph) {
    Map<String, NodeDef> nodes = new HashMap<>();
    graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
    return nodes;
  }

  /** How many inputs of all nodes read each (node, output index), keyed "node:index"; control inputs not counted. */
  static Map<String, Integer> consumers(GraphDef graph) {
    Map<String, Integer> uses = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      for (String in : n.getInputList()) {
        if (outputOf(in) >= 0) {
          uses.merge(nodeOf(in) + ":" + outputOf(in), 1, Integer::sum);
        }
      }
    }
    return uses;
  }

  /** The nodes {@code outputs} depend on (data and control inputs), in the graph's order; the rest dropped. */
  static GraphDef prune(GraphDef graph, Set<String> outputs) {
    Map<String, NodeDef> nodes = byName(graph);
    Set<String> keep = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(outputs);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef n = nodes.get(name);
      if (n == null) {
        throw new IllegalArgumentException("the graph has no node '" + name + "'");
      }
      if (keep.add(name)) {
        n.getInputList().forEach(in -> todo.push(nodeOf(in)));
      }
    }
    GraphDef.Builder b = graph.toBuilder().clearNode();
    graph.getNodeList().stream().filter(n -> keep.contains(n.getName())).forEach(b::addNode);
    return b.build();
  }

  /** A float32 constant node holding {@code values} in {@code shape}. */
  static NodeDef floatConstant(String name, String device, long[] shape, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : shape) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(s)
        .setTensorContent(ByteString.copyFrom(bytes.array())).build();
    return NodeDef.newBuilder().setName(name).setOp("Const").setDevice(device)
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()).build();
  }

  /** The values of a float32 constant node written by {@link #floatConstant}; null for any other node. */
  static float[] floatValues(NodeDef node) {
    if (!node.getOp().equals("Const") || !node.containsAttr("value")) {
      return null;
    }
    TensorProto t = node.getAttrOrThrow("value").getTensor();
    if (t.getDtype() != DataType.DT_FLOAT || t.getTensorContent().isEmpty()) {
      return null;
    }
    float[] v = new float[t.getTensorContent().size() / Float.BYTES];
    t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  /** The shape of a constant node's value. */
  static long[] constantShape(NodeDef node) {
    return node.getAttrOrThrow("value").getTensor().getTensorShape().getDimList().stream()
        .mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }
}
