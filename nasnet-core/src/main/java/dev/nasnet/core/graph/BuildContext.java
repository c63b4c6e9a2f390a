package dev.nasnet.core.graph;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What one network build accumulates: its variables by checkpoint name, the batch-norm update ops, the multiply-add
 * count, and the settings every layer shares. One context per graph build; not thread-safe.
 */
public final class BuildContext {
  /** Name of the int64 scalar fed with the training step; drop path and dropout masks are drawn from it. */
  public static final String RANDOM_STEP = "random_step";
  /** Name of the scalar fed with training progress (step / total steps) for ScheduledDropPath. */
  public static final String DROP_PATH_PROGRESS = "drop_path_progress";

  private final Graph graph;
  private final Ops root;
  private final Mode mode;
  private final BatchNormSettings batchNorm;
  private final long seed;
  private final PoolPadding poolPadding;
  private final Map<String, ModelVariable> variables = new LinkedHashMap<>();
  private final List<Op> updateOps = new ArrayList<>();
  private long multiplyAdds;
  private int randomOps;
  private Operand<TFloat32> dropPathProgress;
  private Operand<TInt64> randomStep;

  public BuildContext(Graph graph, Mode mode, BatchNormSettings batchNorm, long seed) {
    this(graph, mode, batchNorm, seed, PoolPadding.SAME);
  }

  public BuildContext(Graph graph, Mode mode, BatchNormSettings batchNorm, long seed, PoolPadding poolPadding) {
    this.poolPadding = java.util.Objects.requireNonNull(poolPadding, "poolPadding");
    this.graph = graph;
    this.root = Ops.create(graph);
    this.mode = mode;
    this.batchNorm = batchNorm;
    this.seed = seed;
  }

  public Graph graph() {
    return graph;
  }

  public Mode mode() {
    return mode;
  }

  public BatchNormSettings batchNorm() {
    return batchNorm;
  }

  public PoolPadding poolPadding() {
    return poolPadding;
  }

  /** Layers at the root scope; variables built from it get names with no prefix, as slim's checkpoints have. */
  public Layers rootLayers() {
    return new Layers(this, root, "");
  }

  public ImmutableList<ModelVariable> variables() {
    return ImmutableList.copyOf(variables.values());
  }

  /** Batch-norm moving-average updates; run them with each training step. Empty for inference graphs. */
  public ImmutableList<Op> updateOps() {
    return ImmutableList.copyOf(updateOps);
  }

  public long multiplyAdds() {
    return multiplyAdds;
  }

  /**
   * The training-progress scalar for ScheduledDropPath: 0 at the first step, 1 from {@code total_training_steps} on.
   * Defaults to 0 when not fed, so an unfed graph drops nothing on the time axis.
   */
  public Operand<TFloat32> dropPathProgress() {
    if (dropPathProgress == null) {
      dropPathProgress = root.withName(DROP_PATH_PROGRESS).placeholderWithDefault(root.constant(0f), Shape.scalar());
    }
    return dropPathProgress;
  }

  /**
   * The step that seeds stateless random ops (drop path, dropout); defaults to 0 when not fed. Feeding the training
   * step makes masks reproducible across a resume.
   */
  public Operand<TInt64> randomStep() {
    if (randomStep == null) {
      randomStep = root.withName(RANDOM_STEP).placeholderWithDefault(root.constant(0L), Shape.scalar());
    }
    return randomStep;
  }

  /** A seed pair [distinct per op, training step] for a stateless random op built in {@code tf}'s scope. */
  Operand<TInt64> statelessSeed(Ops tf) {
    long[] seeds = nextSeeds();
    Operand<TInt64> opSeed = tf.constant(new long[] {seeds[0] * 1_000_003L + seeds[1]});
    return tf.concat(java.util.List.of(opSeed, tf.reshape(randomStep(), tf.constant(new int[] {1}))),
        tf.constant(0));
  }

  void addVariable(ModelVariable v) {
    if (!v.variable().op().name().equals(v.name())) {
      throw new IllegalStateException("variable meant to be named '" + v.name() + "' was created as '"
          + v.variable().op().name() + "': a scope was entered twice");
    }
    if (variables.putIfAbsent(v.name(), v) != null) {
      throw new IllegalStateException("variable '" + v.name() + "' is defined twice");
    }
  }

  void addUpdateOp(Op op) {
    updateOps.add(op);
  }

  void addMultiplyAdds(long n) {
    multiplyAdds += n;
  }

  /** A fresh (seed, seed2) pair so every random op differs and the whole build is reproducible from one seed. */
  long[] nextSeeds() {
    return new long[] {seed, ++randomOps};
  }
}
