package dev.nasnet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Training-mode batch norm against its definition, computed here in double precision: the output normalised with the
 * batch's (biased) statistics, and after each step's update ops the moving averages moved by {@code 1 - decay}
 * towards the batch mean and the batch's unbiased variance, as slim's fused batch norm moves them. With ghost batch
 * norm (2 groups) each half is normalised on its own and the averages follow the first half.
 */
class BatchNormTest {
  private static final int N = 4;
  private static final int H = 3;
  private static final int W = 2;
  private static final int C = 3;
  private static final float DECAY = 0.9f;
  private static final float EPS = 1e-3f;

  @Test
  void normalisesWithBatchStatisticsAndMovesTheAveragesTowardsThem() {
    check(1);
  }

  @Test
  void ghostBatchNormMovesTheAveragesTowardsTheFirstGroup() {
    check(2);
  }

  private static void check(int groups) {
    Random random = new Random(5 + groups);
    float[][] steps = new float[2][N * H * W * C];
    for (float[] values : steps) {
      for (int i = 0; i < values.length; i++) {
        // Channel c centred on c and spread by c + 1, so a channel mix-up shows.
        int c = i % C;
        values[i] = (float) (c + (c + 1) * random.nextGaussian());
      }
    }
    try (Graph g = new Graph()) {
      BuildContext ctx = new BuildContext(g, Mode.TRAINING, new BatchNormSettings(DECAY, EPS), 1)
          .batchNormGroups(groups);
      Layers root = ctx.rootLayers();
      Placeholder<TFloat32> x = root.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(N, H, W, C)));
      Operand<TFloat32> y = root.batchNorm("bn", x);
      assertThat(ctx.updateOps()).hasSize(2);
      try (Session s = new Session(g)) {
        s.initialize();
        double[] mean = {0, 0, 0};
        double[] variance = {1, 1, 1};
        for (float[] values : steps) {
          try (TFloat32 in = TFloat32.tensorOf(Shape.of(N, H, W, C), DataBuffers.of(values, true, false))) {
            Session.Runner runner = s.runner().feed(x, in).fetch(y);
            ctx.updateOps().forEach(runner::addTarget);
            float[] out = new float[values.length];
            try (Result r = runner.run()) {
              ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
            }
            int perGroup = N / groups;
            for (int group = 0; group < groups; group++) {
              for (int c = 0; c < C; c++) {
                double[] stats = stats(values, group * perGroup, perGroup, c);
                for (int i = group * perGroup * H * W * C + c; i < (group + 1) * perGroup * H * W * C; i += C) {
                  double expected = (values[i] - stats[0]) / Math.sqrt(stats[1] + EPS);
                  assertThat((double) out[i]).as("group %s channel %s element %s", group, c, i)
                      .isCloseTo(expected, within(1e-4));
                }
                if (group == 0) {
                  int n = perGroup * H * W;
                  mean[c] = DECAY * mean[c] + (1 - DECAY) * stats[0];
                  variance[c] = DECAY * variance[c] + (1 - DECAY) * stats[1] * n / (n - 1);
                }
              }
            }
          }
          assertThat(read(s, "bn/moving_mean")).containsExactly(mean, within(1e-5));
          assertThat(read(s, "bn/moving_variance")).containsExactly(variance, within(1e-5));
        }
      }
    }
  }

  /** The mean and biased variance of channel {@code c} over {@code count} images from {@code first}. */
  private static double[] stats(float[] values, int first, int count, int c) {
    double sum = 0;
    int n = 0;
    for (int i = first * H * W * C + c; i < (first + count) * H * W * C; i += C) {
      sum += values[i];
      n++;
    }
    double mean = sum / n;
    double squares = 0;
    for (int i = first * H * W * C + c; i < (first + count) * H * W * C; i += C) {
      squares += (values[i] - mean) * (values[i] - mean);
    }
    return new double[] {mean, squares / n};
  }

  private static double[] read(Session s, String variable) {
    try (Result r = s.runner().fetch(variable).run()) {
      float[] v = new float[C];
      ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(v);
      double[] out = new double[C];
      for (int i = 0; i < C; i++) {
        out[i] = v[i];
      }
      return out;
    }
  }
}
