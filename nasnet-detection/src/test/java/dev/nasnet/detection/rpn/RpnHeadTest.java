package dev.nasnet.detection.rpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The RPN's objectness in its two-class form (sigmoid of the logits' difference, softplus cross-entropy) against the
 * softmax and softmax cross-entropy it stands for, computed here in double precision: values, loss and gradient,
 * including logits far enough apart that a naive form would overflow.
 */
class RpnHeadTest {
  private static final int BATCH = 2;
  private static final int ANCHORS = 7;

  @Test
  void objectnessEqualsTheTwoClassSoftmaxItReplaces() {
    Random random = new Random(11);
    float[] logits = new float[BATCH * ANCHORS * 2];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (random.nextGaussian() * 3);
    }
    // Anchor 0 of each image: the classes 120 apart either way, far past where exp overflows a float.
    logits[0] = 60f;
    logits[1] = -60f;
    logits[ANCHORS * 2] = -60f;
    logits[ANCHORS * 2 + 1] = 60f;
    int[] labels = new int[BATCH * ANCHORS];
    float[] weights = new float[BATCH * ANCHORS];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(2);
      weights[i] = random.nextInt(3) == 0 ? 0f : 1f / 5;
    }
    labels[0] = 1;
    weights[0] = 0.2f;
    labels[ANCHORS] = 1;
    weights[ANCHORS] = 0.2f;

    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> logitIn = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(BATCH, ANCHORS, 2)));
      Placeholder<TInt32> labelIn = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(BATCH, ANCHORS)));
      Placeholder<TFloat32> weightIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(BATCH, ANCHORS)));
      Operand<TFloat32> zeros = tf.zeros(tf.constant(new int[] {BATCH, ANCHORS, 4}), TFloat32.class);
      RpnHead.Outputs out = new RpnHead.Outputs(logitIn, zeros, ANCHORS);
      Operand<TFloat32> probability = RpnHead.objectProbability(tf, out);
      RpnHead.Losses losses = RpnHead.loss(tf, out, labelIn, weightIn, zeros,
          tf.zeros(tf.constant(new int[] {BATCH, ANCHORS}), TFloat32.class), 2f, 1f);
      Gradients grad = tf.gradients(losses.objectness(), List.of(logitIn));

      try (TFloat32 l = TFloat32.tensorOf(Shape.of(BATCH, ANCHORS, 2), DataBuffers.of(logits, true, false));
          TInt32 y = TInt32.tensorOf(Shape.of(BATCH, ANCHORS), DataBuffers.of(labels, true, false));
          TFloat32 w = TFloat32.tensorOf(Shape.of(BATCH, ANCHORS), DataBuffers.of(weights, true, false));
          Result r = s.runner().feed(logitIn, l).feed(labelIn, y).feed(weightIn, w).fetch(probability)
              .fetch(losses.objectness()).fetch(grad.dy(0)).run()) {
        float[] p = new float[BATCH * ANCHORS];
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(p);
        float[] dLogits = new float[logits.length];
        ((TFloat32) r.get(2)).asRawTensor().data().asFloats().read(dLogits);
        double expectedLoss = 0;
        for (int i = 0; i < BATCH * ANCHORS; i++) {
          double background = logits[2 * i];
          double object = logits[2 * i + 1];
          double max = Math.max(background, object);
          double logSum = max + Math.log(Math.exp(background - max) + Math.exp(object - max));
          double softmaxObject = Math.exp(object - logSum);
          assertThat((double) p[i]).as("object probability of anchor %s", i).isCloseTo(softmaxObject, within(1e-6));
          expectedLoss += weights[i] * (logSum - (labels[i] == 1 ? object : background)) / BATCH;
          // d(-log softmax_y)/d(logit_k) = softmax_k - [k == y], scaled by the anchor's weight over the batch.
          double scale = weights[i] / BATCH;
          assertThat((double) dLogits[2 * i + 1]).as("gradient of the object logit, anchor %s", i)
              .isCloseTo(scale * (softmaxObject - labels[i]), within(1e-6));
          assertThat((double) dLogits[2 * i]).as("gradient of the background logit, anchor %s", i)
              .isCloseTo(scale * ((1 - softmaxObject) - (1 - labels[i])), within(1e-6));
        }
        // Anchor 0 of image 0 is labelled an object at odds of e^-120: its loss alone is 0.2 * 120 / 2 = 12.
        assertThat(expectedLoss).isGreaterThan(12);
        assertThat((double) ((TFloat32) r.get(1)).getFloat()).isCloseTo(expectedLoss, within(1e-5 * expectedLoss));
      }
    }
  }
}
