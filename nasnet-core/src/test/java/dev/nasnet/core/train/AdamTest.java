package dev.nasnet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nasnet.core.graph.ModelVariable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Three Adam steps on a two-element variable with a changing gradient, against the update rule written out. */
class AdamTest {
  private static final double LR = 0.1;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;
  private static final float[] START = {1f, -2f};
  /** The gradient at step t (from 1) is {@code GRAD[i] * t}, so the moments do not settle. */
  private static final float[] GRAD = {0.5f, -0.25f};
  private static final int STEPS = 3;

  /**
   * The weights after each step, by the rule: bias-corrected step size, epsilon added to sqrt(v). The kernel holds
   * the betas and beta^t in float32, and {@code 1 - beta2} and {@code 1 - beta2^t} lose digits to that, so the hand
   * computation uses the same float values: {@code (float) beta^t} when fed, a float product when kept in TF1's
   * variables.
   */
  private static double[][] byHand(boolean fed) {
    double[] w = {START[0], START[1]};
    double[] m = new double[2];
    double[] v = new double[2];
    double[][] out = new double[STEPS][];
    double beta1 = (float) BETA1;
    double beta2 = (float) BETA2;
    float p1 = 1f;
    float p2 = 1f;
    for (int t = 1; t <= STEPS; t++) {
      p1 = fed ? (float) Math.pow(BETA1, t) : p1 * (float) BETA1;
      p2 = fed ? (float) Math.pow(BETA2, t) : p2 * (float) BETA2;
      double lrT = LR * Math.sqrt(1 - p2) / (1 - p1);
      for (int i = 0; i < 2; i++) {
        double g = GRAD[i] * t;
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + EPS);
      }
      out[t - 1] = w.clone();
    }
    return out;
  }

  /** Runs {@code STEPS} steps; {@code fed} feeds beta^t through placeholders, otherwise TF1's power variables. */
  private static float[][] run(boolean fed, List<String> slotNames) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w = tf.withName("w").variable(tf.withInitScope().constant(START));
      ModelVariable mv = new ModelVariable("w", new long[] {2}, true, true, w);
      Placeholder<TFloat32> step = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      List<Operand<TFloat32>> grads = List.of(tf.math.mul(tf.constant(GRAD), step));
      Placeholder<TFloat32> b1 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TFloat32> b2 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      List<ModelVariable> slots = new ArrayList<>();
      Optimizer.Adam adam = Optimizer.adam(BETA1, BETA2, EPS);
      List<Op> ops = fed
          ? adam.apply(tf, List.of(mv), grads, tf.constant((float) LR), b1, b2,
              (index, v, moment) -> "opt/" + (moment == 1 ? "m_" : "v_") + index, slots)
          : adam.apply(tf, List.of(mv), grads, tf.constant((float) LR), slots);
      slots.forEach(s -> slotNames.add(s.name()));
      try (Session s = new Session(g)) {
        s.initialize();
        float[][] out = new float[STEPS][2];
        for (int t = 1; t <= STEPS; t++) {
          try (TFloat32 st = TFloat32.scalarOf(t);
              TFloat32 p1 = TFloat32.scalarOf((float) Math.pow(BETA1, t));
              TFloat32 p2 = TFloat32.scalarOf((float) Math.pow(BETA2, t))) {
            Session.Runner r = s.runner().feed(step, st);
            if (fed) {
              r.feed(b1, p1).feed(b2, p2);
            }
            ops.forEach(r::addTarget);
            r.run().close();
          }
          try (Result res = s.runner().fetch(w).run()) {
            ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(out[t - 1]);
          }
        }
        return out;
      }
    }
  }

  @Test
  void followsTheRuleWithTf1PowerVariablesAndSlotNames() {
    List<String> slots = new ArrayList<>();
    float[][] w = run(false, slots);
    double[][] expected = byHand(false);
    for (int t = 0; t < STEPS; t++) {
      for (int i = 0; i < 2; i++) {
        assertThat((double) w[t][i]).as("step %s element %s", t + 1, i).isCloseTo(expected[t][i], within(1e-6));
      }
    }
    // The first step moves each weight by about the learning rate, whatever the gradient's size.
    assertThat((double) w[0][0]).isCloseTo(START[0] - LR, within(1e-5));
    assertThat((double) w[0][1]).isCloseTo(START[1] + LR, within(1e-5));
    assertThat(slots).containsExactly("beta1_power", "beta2_power", "w/Adam", "w/Adam_1");
  }

  @Test
  void followsTheRuleWithFedPowersAndTheCallersSlotNames() {
    List<String> slots = new ArrayList<>();
    float[][] w = run(true, slots);
    double[][] expected = byHand(true);
    for (int t = 0; t < STEPS; t++) {
      for (int i = 0; i < 2; i++) {
        assertThat((double) w[t][i]).as("step %s element %s", t + 1, i).isCloseTo(expected[t][i], within(1e-6));
      }
    }
    assertThat(slots).containsExactly("opt/m_0", "opt/v_0");
  }

  @Test
  void rejectsBetasOutsideTheUnitInterval() {
    assertThatThrownBy(() -> Optimizer.adam(1, 0.999, 1e-8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Optimizer.adam(0.9, -0.1, 1e-8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Optimizer.adam(0.9, 0.999, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
