package dev.nasnet.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Clipping by global norm against a hand-computed norm: gradients (3, 4) and (12) have global norm 13. */
class GradientStepClipTest {
  @Test
  void scalesEveryGradientByClipOverGlobalNormOnlyWhenTheNormExceedsTheClip() {
    assertThat(clipped(6.5f)).containsExactly(1.5f, 2f, 6f);
    assertThat(clipped(13f)).containsExactly(3f, 4f, 12f);
    assertThat(clipped(100f)).containsExactly(3f, 4f, 12f);
  }

  private static float[] clipped(float clip) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> out = GradientStep.clipByGlobalNorm(tf,
          List.of(tf.constant(new float[] {3f, 4f}), tf.constant(new float[] {12f})), clip);
      try (Result r = s.runner().fetch(out.get(0)).fetch(out.get(1)).run()) {
        TFloat32 a = (TFloat32) r.get(0);
        TFloat32 b = (TFloat32) r.get(1);
        return new float[] {a.getFloat(0), a.getFloat(1), b.getFloat(0)};
      }
    }
  }
}
