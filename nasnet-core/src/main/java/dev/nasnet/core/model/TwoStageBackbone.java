package dev.nasnet.core.model;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.nasnet.core.graph.BuildContext;
import dev.nasnet.core.graph.ModelVariable;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * A NASNet cut in two for a two-stage detector ({@link NasNetBuilder#buildTwoStage}): the first stage maps images to
 * region-proposal features; the second stage, built once by {@link #secondStage}, maps crops of those features
 * (e.g. 17x17 per proposal) through the remaining cells. Both stages share one graph and one set of variables, named
 * as in the whole network, so a classification checkpoint restores into them.
 */
public final class TwoStageBackbone {
  private final BuildContext ctx;
  private final Operand<TFloat32> images;
  private final Operand<TFloat32> firstStageFeatures;
  private final Map<String, Operand<TFloat32>> endpoints;
  private final UnaryOperator<Operand<TFloat32>> secondStageBuilder;
  private Operand<TFloat32> secondStage;

  TwoStageBackbone(BuildContext ctx, Operand<TFloat32> images, Operand<TFloat32> firstStageFeatures,
      Map<String, Operand<TFloat32>> endpoints, UnaryOperator<Operand<TFloat32>> secondStageBuilder) {
    this.ctx = ctx;
    this.images = images;
    this.firstStageFeatures = firstStageFeatures;
    this.endpoints = endpoints;
    this.secondStageBuilder = secondStageBuilder;
  }

  /** Layers at the graph's root scope, to build heads whose variables join {@link #variables()}. */
  public dev.nasnet.core.graph.Layers layers() {
    return ctx.rootLayers();
  }

  /** What the network reads: its own placeholder, or the operand given to the builder. */
  public Operand<TFloat32> images() {
    return images;
  }

  /** The drop-path progress scalar (0..1, defaults to 0); feed it while training when drop path is on. */
  public Operand<TFloat32> dropPathProgress() {
    return ctx.dropPathProgress();
  }

  /** The step seeding stateless random ops (defaults to 0); feed the training step. */
  public Operand<org.tensorflow.types.TInt64> randomStep() {
    return ctx.randomStep();
  }

  public dev.nasnet.core.graph.Mode mode() {
    return ctx.mode();
  }

  /** {@code concat(Cell_{k-1}, Cell_k)}: what the region proposal network and the crops read. */
  public Operand<TFloat32> firstStageFeatures() {
    return firstStageFeatures;
  }

  /**
   * Builds the remaining cells over {@code crops} ([proposals, h, w, channels of the first-stage features]) and
   * returns their ReLU output; callable once.
   */
  public Operand<TFloat32> secondStage(Operand<TFloat32> crops) {
    Preconditions.checkState(secondStage == null, "the second stage is already built");
    Preconditions.checkArgument(crops.shape().get(3) == firstStageFeatures.shape().get(3),
        "crops have %s channels, the first-stage features %s", crops.shape().get(3),
        firstStageFeatures.shape().get(3));
    secondStage = secondStageBuilder.apply(crops);
    return secondStage;
  }

  /** Cell endpoints built so far ({@code Stem}, {@code Cell_n}, {@code Reduction_Cell_r}). */
  public ImmutableMap<String, Operand<TFloat32>> endpoints() {
    return ImmutableMap.copyOf(endpoints);
  }

  public ImmutableList<ModelVariable> variables() {
    return ctx.variables();
  }

  /** Batch-norm moving-average updates (training graphs). */
  public ImmutableList<Op> updateOps() {
    return ctx.updateOps();
  }

  /** Multiply-adds per image of what is built so far (the second stage counts per crop). */
  public long multiplyAdds() {
    return ctx.multiplyAdds();
  }
}
