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
import org.tensorflow.DeviceSpec;
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
 *
 * <p>With {@link TrainingConfig#devices()} above 1 the model is replicated in towers (see
 * {@link NasNetBuilder#buildTowers}): the {@code images} and {@code train/labels} placeholders take the global batch,
 * split evenly; the loss is the mean of the towers' losses plus the weight decay once, and one gradient of it (the
 * mean of the towers' gradients) updates the one set of variables. Gradient ops carry no device pin (TensorFlow's
 * gradient builder does not place them), so TensorFlow's placer places the backward pass.
 */
public final class TrainingGraph {
  private final NasNetModel model;
  private final ImmutableList<NasNetModel> towers;
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
    int n = training.devices();
    towers = ImmutableList.copyOf(new NasNetBuilder(config, ops).withRegularization(training.regularization())
        .withBatchNormGroups(training.batchNormGroups())
        .buildTowers(graph, Mode.TRAINING, n, DeviceSpec.DeviceType.valueOf(training.deviceType())));
    model = towers.get(0);
    Ops tf = Ops.create(graph).withSubScope("train");
    labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    double weightDecay = training.regularization().weightDecay();
    if (n == 1) {
      Head head = head(tf, model, labels, config.numClasses(), training);
      crossEntropy = head.crossEntropy();
      List<Operand<TFloat32>> terms = new ArrayList<>(List.of(crossEntropy));
      if (head.aux() != null) {
        terms.add(head.aux());
      }
      if (weightDecay > 0) {
        terms.add(GradientStep.weightDecay(tf, model.variables(), weightDecay));
      }
      loss = terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
      correct = head.correct();
    } else {
      // Each tower's loss over its slice of the labels, on the tower's device; the total is their mean (plus the
      // weight decay once), so its one gradient is the mean of the towers' gradients.
      List<Operand<TInt32>> labelSlices = new ArrayList<>();
      tf.withName("labels_split").split(tf.constant(0), labels, (long) n).output().forEach(labelSlices::add);
      List<Operand<TFloat32>> crossEntropies = new ArrayList<>();
      List<Operand<TFloat32>> auxes = new ArrayList<>();
      List<Operand<TFloat32>> corrects = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Ops t = tf.withSubScope("tower_" + i).withDevice(DeviceSpec.newBuilder()
            .deviceType(DeviceSpec.DeviceType.valueOf(training.deviceType())).deviceIndex(i).build());
        Head head = head(t, towers.get(i), labelSlices.get(i), config.numClasses(), training);
        crossEntropies.add(head.crossEntropy());
        if (head.aux() != null) {
          auxes.add(head.aux());
        }
        corrects.add(head.correct());
      }
      Operand<TFloat32> towerCount = tf.constant((float) n);
      crossEntropy = tf.withName("cross_entropy").math.div(tf.math.addN(crossEntropies), towerCount);
      List<Operand<TFloat32>> terms = new ArrayList<>(List.of(crossEntropy));
      if (!auxes.isEmpty()) {
        terms.add(tf.math.div(tf.math.addN(auxes), towerCount));
      }
      if (weightDecay > 0) {
        terms.add(GradientStep.weightDecay(tf, model.variables(), weightDecay));
      }
      loss = tf.math.addN(terms);
      correct = tf.math.addN(corrects);
    }

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

  /** One tower's terms: mean cross-entropy, weighted aux loss (null without the head) and top-1 count. */
  private record Head(Operand<TFloat32> crossEntropy, Operand<TFloat32> aux, Operand<TFloat32> correct) {}

  private static Head head(Ops tf, NasNetModel model, Operand<TInt32> labels, int classes, TrainingConfig training) {
    float smooth = (float) training.labelSmoothing();
    Operand<TFloat32> targets = tf.oneHot(labels, tf.constant(classes), tf.constant(1f - smooth + smooth / classes),
        tf.constant(smooth / classes));
    Operand<TInt32> batchAxis = tf.constant(0);
    Operand<TFloat32> crossEntropy = tf.math.mean(
        tf.nn.softmaxCrossEntropyWithLogits(model.logits().orElseThrow(), targets).loss(), batchAxis);
    Operand<TFloat32> weightedAux = null;
    if (model.auxLogits().isPresent() && training.auxLossWeight() > 0) {
      Operand<TFloat32> aux = tf.math.mean(
          tf.nn.softmaxCrossEntropyWithLogits(model.auxLogits().get(), targets).loss(), batchAxis);
      weightedAux = tf.math.mul(tf.constant((float) training.auxLossWeight()), aux);
    }
    Operand<TFloat32> correct = tf.sum(tf.dtypes.cast(tf.nn.inTopK(model.logits().get(), labels, tf.constant(1)),
        TFloat32.class), batchAxis);
    return new Head(crossEntropy, weightedAux, correct);
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


  /** Tower 0's model (the only one on a single device): its input placeholder feeds every tower. */
  public NasNetModel model() {
    return model;
  }

  /** Every tower's model, tower 0 first; one on a single device. They share tower 0's variables. */
  public ImmutableList<NasNetModel> towers() {
    return towers;
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
