package dev.nasnet.core.train;

import com.google.common.collect.ImmutableList;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.NasNetModel;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A network's training graph: the training-mode model, the loss (cross-entropy with label smoothing, the aux head's
 * loss, L2 weight decay on conv/separable/FC weights), gradients clipped by global norm, the optimizer's updates,
 * batch-norm moving averages, and an optional exponential moving average of the weights.
 */
public final class TrainingGraph {
  private final NasNetModel model;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TFloat32> emaDecay;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> crossEntropy;
  private final Operand<TFloat32> correct;
  private final Op trainOp;
  private final ImmutableList<ModelVariable> trained;
  private final ImmutableList<ModelVariable> slots;
  private final ImmutableList<ModelVariable> averages;

  public TrainingGraph(Graph graph, NasNetConfig config, OpLibrary ops, TrainingConfig training) {
    if (config.numClasses() <= 0) {
      throw new IllegalArgumentException("training needs a classifier head: config '" + config.name()
          + "' has numClasses 0");
    }
    model = new NasNetBuilder(config, ops).withRegularization(training.regularization()).build(graph, Mode.TRAINING);
    Ops tf = Ops.create(graph).withSubScope("train");
    labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    int classes = config.numClasses();
    float smooth = (float) training.labelSmoothing();
    Operand<TFloat32> targets = tf.oneHot(labels, tf.constant(classes), tf.constant(1f - smooth + smooth / classes),
        tf.constant(smooth / classes));
    Operand<TInt32> batchAxis = tf.constant(0);
    crossEntropy = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(model.logits().orElseThrow(), targets).loss(),
        batchAxis);
    List<Operand<TFloat32>> terms = new ArrayList<>(List.of(crossEntropy));
    if (model.auxLogits().isPresent() && training.auxLossWeight() > 0) {
      Operand<TFloat32> aux = tf.math.mean(
          tf.nn.softmaxCrossEntropyWithLogits(model.auxLogits().get(), targets).loss(), batchAxis);
      terms.add(tf.math.mul(tf.constant((float) training.auxLossWeight()), aux));
    }
    double weightDecay = training.regularization().weightDecay();
    if (weightDecay > 0) {
      terms.add(GradientStep.weightDecay(tf, model.variables(), weightDecay));
    }
    loss = terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
    correct = tf.sum(tf.dtypes.cast(tf.nn.inTopK(model.logits().get(), labels, tf.constant(1)),
        TFloat32.class), batchAxis);

    trained = trainableVariables(model, training.freezeBelow());
    List<ModelVariable> slotList = new ArrayList<>();
    Op step = GradientStep.build(tf, loss, trained, training.optimizer(), learningRate, training.clipGlobalNorm(),
        model.updateOps(), slotList, "step");
    slots = ImmutableList.copyOf(slotList);

    List<ModelVariable> averageList = new ArrayList<>();
    if (training.movingAverageDecay() > 0) {
      emaDecay = tf.withName("ema_decay").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Ops after = tf.withControlDependencies(List.of(step));
      List<Op> emaOps = new ArrayList<>();
      Operand<TFloat32> rate = after.math.sub(after.constant(1f), emaDecay);
      for (ModelVariable v : trained) {
        // Shadows start at zero; the fed decay follows TF's num_updates rule, min(d, (1 + t) / (10 + t)), so the
        // first steps all but copy the weights.
        Variable<TFloat32> shadow = Optimizer.slot(tf, v, "ExponentialMovingAverage", 0f, averageList);
        emaOps.add(after.assignSub(shadow, after.math.mul(after.math.sub(shadow, v.variable()), rate)));
      }
      trainOp = tf.withName("step_with_ema").withControlDependencies(emaOps).noOp();
    } else {
      emaDecay = null;
      trainOp = step;
    }
    averages = ImmutableList.copyOf(averageList);
  }

  private static ImmutableList<ModelVariable> trainableVariables(NasNetModel model, String freezeBelow) {
    List<ModelVariable> all = model.trainableVariables();
    if (freezeBelow == null) {
      return ImmutableList.copyOf(all);
    }
    int first = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).name().startsWith(freezeBelow + "/")) {
        first = i;
        break;
      }
    }
    if (first < 0) {
      throw new IllegalArgumentException("freezeBelow: the network has no scope '" + freezeBelow
          + "'; use a cell scope such as cell_4 or reduction_cell_0");
    }
    return ImmutableList.copyOf(all.subList(first, all.size()));
  }


  public NasNetModel model() {
    return model;
  }

  public Placeholder<TInt32> labels() {
    return labels;
  }

  public Placeholder<TFloat32> learningRate() {
    return learningRate;
  }

  /** The moving-average decay to feed each step, when the config asks for an average. */
  public java.util.Optional<Placeholder<TFloat32>> emaDecay() {
    return java.util.Optional.ofNullable(emaDecay);
  }

  /** The total loss being minimised. */
  public Operand<TFloat32> loss() {
    return loss;
  }

  /** The main head's cross-entropy alone. */
  public Operand<TFloat32> crossEntropy() {
    return crossEntropy;
  }

  /** Number of examples in the batch whose top-1 prediction is right. */
  public Operand<TFloat32> correct() {
    return correct;
  }

  /** Runs one optimisation step (and the batch-norm and weight averages). */
  public Op trainOp() {
    return trainOp;
  }

  /** The variables this run trains (all trainable ones, or those from {@code freezeBelow} on). */
  public ImmutableList<ModelVariable> trainedVariables() {
    return trained;
  }

  /** Every variable a resumable checkpoint needs: the model's, the optimizer slots and the weight averages. */
  public ImmutableList<ModelVariable> checkpointVariables() {
    return ImmutableList.<ModelVariable>builder().addAll(model.variables()).addAll(slots).addAll(averages).build();
  }

  /** The weight averages, named {@code <var>/ExponentialMovingAverage}. */
  public ImmutableList<ModelVariable> averages() {
    return averages;
  }
}
