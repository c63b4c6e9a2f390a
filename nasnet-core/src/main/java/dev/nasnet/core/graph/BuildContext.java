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
 *
 * <p>Data-parallel training builds one context per tower: tower 0's owns the variables and the batch-norm updates,
 * the others ({@link #tower}) build their ops under their own scope and device, reuse tower 0's variables by
 * checkpoint name, register no variables or updates of their own, and share tower 0's step and progress inputs.
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
  /** Tower 0's context when this one is another tower; null otherwise. */
  private final BuildContext owner;
  private final int tower;
  private int batchNormGroups = 1;
  private long multiplyAdds;
  private int randomOps;
  private Operand<TFloat32> dropPathProgress;
  private Operand<TInt64> randomStep;

  public BuildContext(Graph graph, Mode mode, BatchNormSettings batchNorm, long seed) {
    this(graph, mode, batchNorm, seed, PoolPadding.SAME);
  }

  public BuildContext(Graph graph, Mode mode, BatchNormSettings batchNorm, long seed, PoolPadding poolPadding) {
    this(graph, Ops.create(graph), mode, batchNorm, seed, poolPadding);
  }

  /**
   * As {@link #BuildContext(Graph, Mode, BatchNormSettings, long, PoolPadding)}, with every op built from
   * {@code root} (of {@code graph}), e.g. {@code Ops.create(graph).withDevice(...)} to pin tower 0 to its device.
   * Variable names stay those of the root scope, so {@code root} must not carry a sub-scope.
   */
  public BuildContext(Graph graph, Ops root, Mode mode, BatchNormSettings batchNorm, long seed,
      PoolPadding poolPadding) {
    this(graph, root, mode, batchNorm, seed, poolPadding, null, 0);
  }

  private BuildContext(Graph graph, Ops root, Mode mode, BatchNormSettings batchNorm, long seed,
      PoolPadding poolPadding, BuildContext owner, int tower) {
    this.poolPadding = java.util.Objects.requireNonNull(poolPadding, "poolPadding");
    this.graph = graph;
    this.root = java.util.Objects.requireNonNull(root, "root");
    this.mode = mode;
    this.batchNorm = batchNorm;
    this.seed = seed;
    this.owner = owner;
    this.tower = tower;
    if (owner != null) {
      this.batchNormGroups = owner.batchNormGroups;
    }
  }

  /**
   * Tower {@code index} (1 or more) of a data-parallel build whose tower 0 is {@code owner} (fully built): its ops
   * come from {@code root} (normally {@code Ops.create(graph).withSubScope("tower_<index>").withDevice(...)}), its
   * layers use {@code owner}'s variables (found by checkpoint name; a variable tower 0 lacks is an error), and it
   * registers no variables and no batch-norm updates: the moving averages follow tower 0's batch statistics, as
   * TF-slim's model_deploy keeps them. Drop path and dropout draw masks other than tower 0's.
   */
  public static BuildContext tower(BuildContext owner, Ops root, int index) {
    java.util.Objects.requireNonNull(owner, "owner");
    if (owner.owner != null) {
      throw new IllegalArgumentException("a tower's owner must be tower 0's context");
    }
    if (index < 1) {
      throw new IllegalArgumentException("tower index must be at least 1, got " + index);
    }
    return new BuildContext(owner.graph, root, owner.mode, owner.batchNorm, owner.seed, owner.poolPadding, owner,
        index);
  }

  /** The tower this context builds: 0 for a single-device build and for the tower that owns the variables. */
  public int towerIndex() {
    return tower;
  }

  /**
   * Training-mode batch norm splits the batch into {@code groups} equal groups and normalises each with its own
   * statistics (ghost batch norm); the moving averages follow group 0. 1 (the default) normalises the whole batch.
   * A batch not divisible by the groups fails when run. Set it before building layers.
   */
  public BuildContext batchNormGroups(int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("batch-norm groups must be at least 1, got " + groups);
    }
    this.batchNormGroups = groups;
    return this;
  }

  public int batchNormGroups() {
    return batchNormGroups;
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

  /** The variables in creation order; for a tower other than 0, tower 0's (which it shares). */
  public ImmutableList<ModelVariable> variables() {
    if (owner != null) {
      return owner.variables();
    }
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
    if (owner != null) {
      return owner.dropPathProgress();
    }
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
    if (owner != null) {
      return owner.randomStep();
    }
    if (randomStep == null) {
      randomStep = root.withName(RANDOM_STEP).placeholderWithDefault(root.constant(0L), Shape.scalar());
    }
    return randomStep;
  }

  /** A seed pair [distinct per op, training step] for a stateless random op built in {@code tf}'s scope. */
  Operand<TInt64> statelessSeed(Ops tf) {
    long[] seeds = nextSeeds();
    // Towers other than 0 draw from their own seeds, so their slices get masks of their own.
    Operand<TInt64> opSeed = tf.constant(new long[] {seeds[0] * 1_000_003L + seeds[1] + tower * 0x9E3779B97F4A7C15L});
    return tf.concat(java.util.List.of(opSeed, tf.reshape(randomStep(), tf.constant(new int[] {1}))),
        tf.constant(0));
  }

  /** False for a tower other than 0: it reuses tower 0's variables and registers no updates. */
  boolean ownsVariables() {
    return owner == null;
  }

  /** The variable named {@code name} that a tower other than 0 reuses; null when this context owns its variables. */
  ModelVariable sharedVariable(String name) {
    if (owner == null) {
      return null;
    }
    ModelVariable v = owner.variables.get(name);
    if (v == null) {
      throw new IllegalStateException("tower " + tower + " needs variable '" + name + "', which tower 0 lacks");
    }
    return v;
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
    if (owner != null) {
      return;
    }
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
