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
 * Values travel in chunks of a few tens of megabytes, so a large network never has a second copy of all its weights
 * on the Java heap or inside a graph definition.
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

  /** Values moved per session run: large enough that a network takes a handful of runs, small next to its weights. */
  static final long CHUNK_BYTES = 64L << 20;

  /**
   * Fills every variable of {@code target} (a graph imported from {@link #define}'s definition) from
   * {@code source}: folded ones computed from the variables they replace, the others copied by name.
   *
   * <p>Variables travel in chunks of about {@link #CHUNK_BYTES}, one run on each side per chunk: a session builds an
   * executor for every new set of fetches, and one per variable made filling NASNet-A CIFAR take two minutes.
   */
  static void fill(Session source, Graph target, Session targetSession, BatchNormFolding.Result definition) {
    Map<String, BatchNormFolding.Fold> foldOf = new HashMap<>();
    definition.folds().forEach(f -> foldOf.put(f.foldedWeights(), f));
    Set<String> biases = new java.util.HashSet<>();
    definition.folds().forEach(f -> biases.add(f.foldedBias()));
    List<NodeDef> chunk = new ArrayList<>();
    long bytes = 0;
    for (NodeDef n : definition.graph().getNodeList()) {
      if (!n.getOp().equals("VariableV2") && !n.getOp().equals("Variable") || biases.contains(n.getName())) {
        continue; // biases are filled with their weights
      }
      long size = 4L * java.util.Arrays.stream(BatchNormFolding.variableShape(n)).reduce(1, Math::multiplyExact);
      if (!chunk.isEmpty() && bytes + size > CHUNK_BYTES) {
        fillChunk(source, target, targetSession, chunk, foldOf);
        chunk.clear();
        bytes = 0;
      }
      chunk.add(n);
      bytes += size;
    }
    if (!chunk.isEmpty()) {
      fillChunk(source, target, targetSession, chunk, foldOf);
    }
  }

  private static void fillChunk(Session source, Graph target, Session targetSession, List<NodeDef> chunk,
      Map<String, BatchNormFolding.Fold> foldOf) {
    List<String> reads = new ArrayList<>();
    for (NodeDef n : chunk) {
      BatchNormFolding.Fold fold = foldOf.get(n.getName());
      reads.addAll(fold == null ? List.of(n.getName())
          : List.of(fold.weights(), fold.gamma(), fold.beta(), fold.mean(), fold.variance()));
    }
    Map<String, float[]> values = read(source, reads);
    Map<String, TFloat32> assignments = new java.util.LinkedHashMap<>();
    try {
      for (NodeDef n : chunk) {
        BatchNormFolding.Fold fold = foldOf.get(n.getName());
        long[] shape = BatchNormFolding.variableShape(n);
        if (fold == null) {
          assignments.put(n.getName(), TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values.get(n.getName()))));
          continue;
        }
        float[][] folded = fold.apply(values.get(fold.weights()), values.get(fold.gamma()), values.get(fold.beta()),
            values.get(fold.mean()), values.get(fold.variance()));
        assignments.put(fold.foldedWeights(), TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(folded[0])));
        assignments.put(fold.foldedBias(), TFloat32.vectorOf(folded[1]));
      }
      assign(target, targetSession, assignments);
    } finally {
      assignments.values().forEach(TFloat32::close);
    }
  }

  @SuppressWarnings("unchecked")
  private static void assign(Graph target, Session session, Map<String, TFloat32> values) {
    Ops tf = Ops.create(target).withSubScope("fill_variables");
    Session.Runner runner = session.runner();
    values.forEach((variable, value) -> {
      Operand<TFloat32> ref = (Operand<TFloat32>) (Operand<?>) target.operation(variable).output(0);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(value.shape()));
      runner.feed(in, value).addTarget(tf.assign(ref, in));
    });
    runner.run().close();
  }

  /** The values of {@code variables} (duplicates read once), in one run. */
  private static Map<String, float[]> read(Session session, List<String> variables) {
    List<String> names = variables.stream().distinct().toList();
    Session.Runner runner = session.runner();
    names.forEach(runner::fetch);
    Map<String, float[]> values = new HashMap<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < names.size(); i++) {
        TFloat32 t = (TFloat32) r.get(i);
        float[] v = new float[Math.toIntExact(t.size())];
        t.asRawTensor().data().asFloats().read(v);
        values.put(names.get(i), v);
      }
    }
    return values;
  }

  /** Names of the variables a definition reads, for tests and logs. */
  static List<String> variables(GraphDef graph) {
    List<String> names = new ArrayList<>();
    graph.getNodeList().stream().filter(n -> n.getOp().equals("VariableV2")).forEach(n -> names.add(n.getName()));
    return names;
  }
}
