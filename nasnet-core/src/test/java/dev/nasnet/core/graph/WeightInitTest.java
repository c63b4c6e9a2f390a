package dev.nasnet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The spread of freshly initialised weights, for each rule, against the formula it claims. */
class WeightInitTest {
  @Test
  void eachRuleGivesTheSpreadItsFormulaSays() {
    try (Graph g = new Graph()) {
      BuildContext ctx = new BuildContext(g, Mode.INFERENCE, new BatchNormSettings(0.9f, 1e-3f), 1);
      Layers root = ctx.rootLayers();
      Placeholder<TFloat32> x = Ops.create(g).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 64)));
      root.conv2dWithBias("slim", x, 128, 3, 1, "SAME");
      root.conv2dWithBias("rpn", x, 128, 3, 1, "SAME", new WeightInit.TruncatedNormal(0.01));
      Placeholder<TFloat32> v = Ops.create(g).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 300)));
      root.fullyConnected("fc", v, 100, new WeightInit.VarianceScaling(1.0, WeightInit.Fan.AVERAGE, true));
      try (Session s = new Session(g)) {
        s.initialize();
        // A normal truncated at 2 sigma keeps 88% of its stddev; slim multiplies by 1.3 to make up for it in variance.
        assertThat(std(s, ctx, "slim/weights")).isCloseTo(Math.sqrt(1.3 * 2.0 / (9 * 128)) * 0.8796, within(2e-3));
        assertThat(std(s, ctx, "rpn/weights")).isCloseTo(0.01 * 0.8796, within(3e-4));
        double limit = Math.sqrt(3.0 / ((300 + 100) / 2.0));
        assertThat(std(s, ctx, "fc/weights")).isCloseTo(limit / Math.sqrt(3), within(3e-3));
        assertThat(maxAbs(s, ctx, "fc/weights")).isLessThanOrEqualTo(limit).isGreaterThan(0.95 * limit);
      }
    }
  }

  private static float[] values(Session s, BuildContext ctx, String name) {
    ModelVariable var = ctx.variables().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    Operand<TFloat32> op = var.variable();
    try (Result r = s.runner().fetch(op).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  private static double std(Session s, BuildContext ctx, String name) {
    float[] w = values(s, ctx, name);
    double mean = 0;
    for (float f : w) {
      mean += f;
    }
    mean /= w.length;
    double var = 0;
    for (float f : w) {
      var += (f - mean) * (f - mean);
    }
    return Math.sqrt(var / w.length);
  }

  private static double maxAbs(Session s, BuildContext ctx, String name) {
    double m = 0;
    for (float f : values(s, ctx, name)) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
