package dev.nasnet.core.train;

import dev.nasnet.core.runtime.GraphSession;
import dev.nasnet.core.checkpoint.Checkpoints;
import dev.nasnet.core.data.Batch;
import dev.nasnet.core.data.DataPipeline;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.NasNetModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Top-1, top-5 and loss of the inference graph (batch norm on moving statistics, no drop path) on a data split.
 * Weights come from a training session, optionally its moving averages, or from a checkpoint.
 */
public final class Evaluator implements AutoCloseable {
  private final GraphSession tf;
  private final EvalGraph ops;

  /** The inference model and the summed metrics over one batch. */
  private record EvalGraph(NasNetModel model, Placeholder<TInt32> labels, Operand<TFloat32> lossSum,
      Operand<TFloat32> top1, Operand<TFloat32> top5) {}

  public Evaluator(NasNetConfig config, OpLibrary library) {
    GraphSession.Built<EvalGraph> built = GraphSession.build(graph -> {
      NasNetModel model = new NasNetBuilder(config, library).build(graph, Mode.INFERENCE);
      Ops tf = Ops.create(graph).withSubScope("eval");
      Placeholder<TInt32> labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> logits = model.logits().orElseThrow();
      int classes = config.numClasses();
      Operand<TInt32> axis = tf.constant(0);
      Operand<TFloat32> targets = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
      return new EvalGraph(model, labels,
          tf.sum(tf.nn.softmaxCrossEntropyWithLogits(logits, targets).loss(), axis),
          tf.sum(tf.dtypes.cast(tf.nn.inTopK(logits, labels, tf.constant(1)), TFloat32.class), axis),
          tf.sum(tf.dtypes.cast(tf.nn.inTopK(logits, labels, tf.constant(Math.min(5, classes))), TFloat32.class),
              axis));
    });
    tf = built.holder().initialize();
    ops = built.model();
  }

  public NasNetModel model() {
    return ops.model();
  }

  public Session session() {
    return tf.session();
  }

  /**
   * Copies the weights of a training session into this graph; with {@code useAverages} the trained variables come
   * from their moving averages where the training graph keeps them.
   */
  public void loadFrom(Session training, TrainingGraph graph, boolean useAverages) {
    Map<String, ModelVariable> source = new HashMap<>();
    graph.model().variables().forEach(v -> source.put(v.name(), v));
    if (useAverages) {
      for (ModelVariable avg : graph.averages()) {
        source.put(avg.name().substring(0, avg.name().length() - Checkpoints.EMA_SUFFIX.length()), avg);
      }
    }
    Checkpoints.copy(training, source, tf.session(), ops.model().variables());
  }

  /**
   * Loads weights from a checkpoint; with {@code useAverages}, the {@code /ExponentialMovingAverage} copies where
   * present.
   */
  public void restoreFrom(java.nio.file.Path checkpoint, boolean useAverages) {
    Checkpoints.restore(tf.session(), ops.model().variables(), checkpoint, useAverages
        ? Checkpoints.NamePolicy.PREFER_MOVING_AVERAGE : Checkpoints.NamePolicy.EXACT);
  }

  /** Evaluates every batch of {@code data} (build it with {@code forEvaluation()}). */
  public EvalResult evaluate(DataPipeline data) {
    double loss = 0;
    double c1 = 0;
    double c5 = 0;
    long n = 0;
    for (Batch b : data.epochInOrder()) {
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(b.size(), b.height(), b.width(), b.channels()),
              DataBuffers.of(b.images(), true, false));
          TInt32 y = TInt32.tensorOf(Shape.of(b.size()), DataBuffers.of(b.labels(), true, false));
          Result r = tf.session().runner().feed(ops.model().images(), x).feed(ops.labels(), y).fetch(ops.lossSum())
              .fetch(ops.top1()).fetch(ops.top5()).run()) {
        loss += ((TFloat32) r.get(0)).getFloat();
        c1 += ((TFloat32) r.get(1)).getFloat();
        c5 += ((TFloat32) r.get(2)).getFloat();
        n += b.size();
      }
    }
    return new EvalResult(n, c1 / n, c5 / n, loss / n);
  }

  @Override
  public void close() {
    tf.close();
  }
}
