package dev.nasnet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nasnet.core.graph.ModelVariable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Two steps of each optimizer on a scalar with a constant gradient, against the update rules written out. */
class OptimizerTest {

  private static float[] twoSteps(Optimizer opt, List<String> slotNames) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w = tf.withName("w").variable(tf.withInitScope().constant(new float[] {1f}));
      ModelVariable mv = new ModelVariable("w", new long[] {1}, true, true, w);
      List<ModelVariable> slots = new ArrayList<>();
      List<Op> ops = opt.apply(tf, List.of(mv), List.<Operand<TFloat32>>of(tf.constant(new float[] {0.5f})),
          tf.constant(0.1f), slots);
      slots.forEach(s -> slotNames.add(s.name()));
      try (Session s = new Session(g)) {
        s.initialize();
        float[] out = new float[2];
        for (int i = 0; i < 2; i++) {
          Session.Runner r = s.runner();
          ops.forEach(r::addTarget);
          r.run().close();
          try (Result res = s.runner().fetch(w).run()) {
            out[i] = ((TFloat32) res.get(0)).getFloat(0);
          }
        }
        return out;
      }
    }
  }

  @Test
  void momentumFollowsTheTf1Rule() {
    List<String> slots = new ArrayList<>();
    float[] w = twoSteps(Optimizer.momentum(0.9, false), slots);
    // accum = 0.9 accum + g; w -= lr * accum
    assertThat(w[0]).isCloseTo(1f - 0.1f * 0.5f, within(1e-6f));
    assertThat(w[1]).isCloseTo(w[0] - 0.1f * (0.9f * 0.5f + 0.5f), within(1e-6f));
    assertThat(slots).containsExactly("w/Momentum");
  }

  @Test
  void rmsPropFollowsTheTf1RuleWithMeanSquareStartingAtOne() {
    List<String> slots = new ArrayList<>();
    float[] w = twoSteps(Optimizer.rmsProp(0.9, 0.9, 1.0), slots);
    double ms1 = 0.9 * 1 + 0.1 * 0.25;
    double mom1 = 0.1 * 0.5 / Math.sqrt(ms1 + 1.0);
    double ms2 = 0.9 * ms1 + 0.1 * 0.25;
    double mom2 = 0.9 * mom1 + 0.1 * 0.5 / Math.sqrt(ms2 + 1.0);
    assertThat((double) w[0]).isCloseTo(1 - mom1, within(1e-6));
    assertThat((double) w[1]).isCloseTo(1 - mom1 - mom2, within(1e-6));
    assertThat(slots).containsExactly("w/RMSProp", "w/RMSProp_1");
  }
}
