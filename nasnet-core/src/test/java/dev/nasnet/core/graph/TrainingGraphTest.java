package dev.nasnet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Regularization;
import dev.nasnet.core.model.NasNetModel;
import dev.nasnet.core.spec.CellSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** A training graph differentiates through every op and a few plain SGD steps lower the loss on a fixed batch. */
class TrainingGraphTest {

  /** A cell that uses all 13 of the paper's ops, so gradients are checked for each. */
  static CellSpec everyOpCell() {
    return CellSpec.builder("every_op")
        .add(0, "none", 1, "1x3_3x1")
        .add(0, "1x7_7x1", 1, "dil_conv_3x3")
        .add(0, "avg_pool_3x3", 1, "max_pool_3x3")
        .add(2, "max_pool_5x5", 3, "max_pool_7x7")
        .add(0, "1x1", 1, "3x3")
        .add(4, "separable_3x3_2", 5, "separable_5x5_2")
        .concat(6, "separable_7x7_2", 7, "none")
        .build();
  }

  @Test
  void sgdStepsLowerTheLossWithDropPathOn() {
    CellSpec cell = everyOpCell();
    NasNetConfig config = TinyConfigs.cifar().toBuilder().cells(cell, cell).build();
    Regularization regularization = Regularization.cifar().withDropPathKeepProb(0.8).withDenseDropoutKeepProb(0.9);
    int batch = 8;
    try (Graph g = new Graph()) {
      NasNetModel model = new NasNetBuilder(config).withRegularization(regularization).build(g, Mode.TRAINING);
      assertThat(model.auxLogits()).isPresent();
      Ops tf = Ops.create(g).withSubScope("train");
      Placeholder<TFloat32> labels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 10)));
      // The paper's loss: main head plus the auxiliary head at weight 0.4.
      Operand<TFloat32> main = tf.math.mean(
          tf.nn.softmaxCrossEntropyWithLogits(model.logits().orElseThrow(), labels).loss(), tf.constant(0));
      Operand<TFloat32> aux = tf.math.mean(
          tf.nn.softmaxCrossEntropyWithLogits(model.auxLogits().orElseThrow(), labels).loss(), tf.constant(0));
      Operand<TFloat32> loss = tf.math.add(main, tf.math.mul(tf.constant(0.4f), aux));
      List<Operand<TFloat32>> vars = new ArrayList<>();
      model.trainableVariables().forEach(v -> vars.add(v.variable()));
      Gradients grads = tf.gradients(loss, vars);
      List<Op> steps = new ArrayList<>(model.updateOps());
      for (int i = 0; i < vars.size(); i++) {
        @SuppressWarnings("unchecked")
        Output<TFloat32> grad = (Output<TFloat32>) (Output<?>) grads.dy(i);
        assertThat(grad).as("gradient of %s", model.trainableVariables().get(i).name()).isNotNull();
        steps.add(tf.train.applyGradientDescent(vars.get(i), tf.constant(0.01f), grad));
      }
      Random r = new Random(5);
      float[][][][] x = new float[batch][16][16][3];
      float[][] y = new float[batch][10];
      for (int b = 0; b < batch; b++) {
        for (float[][] row : x[b]) {
          for (float[] px : row) {
            for (int c = 0; c < 3; c++) {
              px[c] = (float) r.nextGaussian();
            }
          }
        }
        y[b][b % 10] = 1;
      }
      try (Session s = new Session(g);
          TFloat32 images = TFloat32.tensorOf(StdArrays.ndCopyOf(x));
          TFloat32 targets = TFloat32.tensorOf(StdArrays.ndCopyOf(y));
          TFloat32 progress = TFloat32.scalarOf(1f)) {
        s.initialize();
        float[] losses = new float[30];
        for (int step = 0; step < losses.length; step++) {
          Session.Runner run = s.runner().feed(model.images(), images).feed(labels, targets)
              .feed(model.dropPathProgress().orElseThrow(), progress).fetch(loss);
          steps.forEach(run::addTarget);
          try (Result res = run.run()) {
            losses[step] = ((TFloat32) res.get(0)).getFloat();
          }
        }
        // Drop path and dropout make single steps noisy: compare the first and last five.
        double first = java.util.Arrays.stream(new double[] {losses[0], losses[1], losses[2], losses[3], losses[4]})
            .average().orElseThrow();
        double last = 0;
        for (int i = losses.length - 5; i < losses.length; i++) {
          last += losses[i] / 5.0;
        }
        assertThat(last).as("losses %s", java.util.Arrays.toString(losses)).isFinite().isLessThan(first * 0.6);
      }
    }
  }
}
