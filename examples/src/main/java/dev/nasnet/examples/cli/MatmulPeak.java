package dev.nasnet.examples.cli;

import dev.nasnet.core.runtime.GraphSession;
import java.util.Arrays;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * This machine's FP32 matrix-multiply speed through TensorFlow (the same kernels the networks use), as the limit
 * bench's other lines are measured against: an n x n by n x n product is 2 n^3 floating-point operations.
 */
final class MatmulPeak {
  /** The median GFLOP/s and the runs behind it. */
  record Result(int n, double gflops, int runs) {}

  private MatmulPeak() {}

  static Result measure(int n, int runs, int warmup) {
    float[] values = new float[n * n];
    Random random = new Random(1);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() - 0.5f;
    }
    GraphSession.Built<Operand<TFloat32>> built = GraphSession.build(g -> {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.constant(Shape.of(n, n), org.tensorflow.ndarray.buffer.DataBuffers.of(values));
      // A variable input keeps grappler from folding the product into a constant.
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      return tf.linalg.matMul(x, a);
      // Always the FP32 peak on every core, whatever --bf16 and the thread split say: the limit the other lines are
      // measured against.
    }, dev.nasnet.core.runtime.SessionOptions.defaults().withBfloat16(false)
        .withThreads(Runtime.getRuntime().availableProcessors(), 1));
    double[] seconds = new double[runs];
    try (GraphSession gs = built.holder();
        TFloat32 x = TFloat32.tensorOf(Shape.of(n, n), org.tensorflow.ndarray.buffer.DataBuffers.of(values))) {
      Operand<TFloat32> x0 = gs.graph().operation("x").output(0);
      for (int r = -warmup; r < runs; r++) {
        long t0 = System.nanoTime();
        gs.session().runner().feed(x0, x).fetch(built.model()).run().close();
        if (r >= 0) {
          seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
      }
    }
    Arrays.sort(seconds);
    double median = seconds.length % 2 == 1 ? seconds[seconds.length / 2]
        : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2;
    return new Result(n, 2.0 * n * n * n / median / 1e9, runs);
  }
}
