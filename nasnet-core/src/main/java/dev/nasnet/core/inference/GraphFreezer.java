package dev.nasnet.core.inference;

import com.google.common.base.Preconditions;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * Freezes an inference graph: the nodes its outputs need, with every variable replaced by a constant holding the
 * value it has in a session. The frozen graph reads no variables at run time and lets TensorFlow's optimiser fold
 * constants, and it is what {@link BatchNormFolding} rewrites.
 */
final class GraphFreezer {
  private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable");

  private GraphFreezer() {}

  /**
   * @param outputs the names of the nodes to keep with everything they depend on
   * @return the pruned graph, variables as constants
   * @throws IllegalArgumentException when an output is missing, or a needed variable is not float32 or is a resource
   *     variable (which this freezer does not read)
   */
  static GraphDef freeze(Graph graph, Session session, Set<String> outputs) {
    GraphDef pruned = GraphDefs.prune(graph.toGraphDef(), outputs);
    GraphDef.Builder frozen = pruned.toBuilder().clearNode();
    for (NodeDef n : pruned.getNodeList()) {
      if (n.getOp().equals("VarHandleOp")) {
        throw new IllegalArgumentException("cannot freeze resource variable '" + n.getName() + "': only reference "
            + "variables (VariableV2), which NASNet graphs use, are read into constants");
      }
      frozen.addNode(VARIABLE_OPS.contains(n.getOp()) ? constantOf(n, session) : n);
    }
    return frozen.build();
  }

  private static NodeDef constantOf(NodeDef variable, Session session) {
    try (Result r = session.runner().fetch(variable.getName()).run()) {
      Tensor t = r.get(0);
      Preconditions.checkArgument(t instanceof TFloat32, "cannot freeze variable '%s' of type %s: only float32 "
          + "variables are read into constants", variable.getName(), t.dataType());
      TFloat32 value = (TFloat32) t;
      float[] values = new float[Math.toIntExact(value.size())];
      value.asRawTensor().data().asFloats().read(values);
      return GraphDefs.floatConstant(variable.getName(), variable.getDevice(), value.shape().asArray(), values);
    }
  }
}
