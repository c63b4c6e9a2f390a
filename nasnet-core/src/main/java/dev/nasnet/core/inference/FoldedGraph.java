package dev.nasnet.core.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * An inference graph made for serving: the nodes the outputs need, with batch norm folded into the convolutions
 * ({@link BatchNormFolding}), imported into a new graph whose variables are then filled from the original session.
 * Values travel one variable at a time, so a large network never has a second copy of all its weights on the Java
 * heap or inside a graph definition.
 */
final class FoldedGraph {
  private FoldedGraph() {}

  /**
   * The rewritten definition of {@code graph}: pruned to {@code outputs}, batch norms folded.
   *
   * @throws IllegalArgumentException when an output is missing or a needed variable is a resource variable
   */
  static BatchNormFolding.Result define(Graph graph, Set<String> outputs) {
    GraphDef pruned = GraphDefs.prune(graph.toGraphDef(), outputs);
    for (NodeDef n : pruned.getNodeList()) {
      if (n.getOp().equals("VarHandleOp")) {
        throw new IllegalArgumentException("cannot fold the graph's resource variable '" + n.getName() + "': only "
            + "reference variables (VariableV2), which NASNet graphs use, are read");
      }
    }
    BatchNormFolding.Result folded = BatchNormFolding.fold(pruned);
    // The batch norms' own variables are read by nothing now.
    return new BatchNormFolding.Result(GraphDefs.prune(folded.graph(), outputs), folded.folds(),
        folded.batchNorms());
  }

  /**
   * Fills every variable of {@code target} (a graph imported from {@link #define}'s definition) from
   * {@code source}: folded ones computed from the variables they replace, the others copied by name.
   */
  static void fill(Session source, Graph target, Session targetSession, BatchNormFolding.Result definition) {
    Ops tf = Ops.create(target).withSubScope("fill_variables");
    Map<String, BatchNormFolding.Fold> foldOf = new HashMap<>();
    definition.folds().forEach(f -> foldOf.put(f.foldedWeights(), f));
    Set<String> biases = new java.util.HashSet<>();
    definition.folds().forEach(f -> biases.add(f.foldedBias()));
    for (NodeDef n : definition.graph().getNodeList()) {
      if (!n.getOp().equals("VariableV2") && !n.getOp().equals("Variable")) {
        continue;
      }
      if (biases.contains(n.getName())) {
        continue; // filled with its weights
      }
      BatchNormFolding.Fold fold = foldOf.get(n.getName());
      if (fold == null) {
        try (Result r = source.runner().fetch(n.getName()).run()) {
          assign(tf, target, targetSession, n.getName(), (TFloat32) r.get(0));
        }
        continue;
      }
      float[][] values = fold.apply(read(source, fold.weights()), read(source, fold.gamma()),
          read(source, fold.beta()), read(source, fold.mean()), read(source, fold.variance()));
      try (TFloat32 w = TFloat32.tensorOf(Shape.of(BatchNormFolding.variableShape(n)), DataBuffers.of(values[0]));
          TFloat32 b = TFloat32.vectorOf(values[1])) {
        assign(tf, target, targetSession, fold.foldedWeights(), w);
        assign(tf, target, targetSession, fold.foldedBias(), b);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void assign(Ops tf, Graph target, Session session, String variable, TFloat32 value) {
    Operand<TFloat32> ref = (Operand<TFloat32>) (Operand<?>) target.operation(variable).output(0);
    Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(value.shape()));
    session.runner().feed(in, value).addTarget(tf.assign(ref, in)).run().close();
  }

  private static float[] read(Session session, String variable) {
    try (Result r = session.runner().fetch(variable).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] v = new float[Math.toIntExact(t.size())];
      t.asRawTensor().data().asFloats().read(v);
      return v;
    }
  }

  /** Names of the variables a definition reads, for tests and logs. */
  static List<String> variables(GraphDef graph) {
    List<String> names = new ArrayList<>();
    graph.getNodeList().stream().filter(n -> n.getOp().equals("VariableV2")).forEach(n -> names.add(n.getName()));
    return names;
  }
}
