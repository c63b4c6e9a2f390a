package dev.nasnet.examples.cli;

import dev.nasnet.core.runtime.GraphSession;
import dev.nasnet.core.runtime.SessionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * This machine's FP32 matrix-multiply speed through TensorFlow (the same kernels the networks use), as the limit
 * bench's other lines are measured against: an n x n by n x n product is 2 n^3 floating-point operations.
 *
 * <p>TensorFlow sizes its thread pools once per process, from the first session's options, and later sessions share
 * them. So the product is split into one block of rows per core, independent ops: with one thread per op and ops side
 * by side (our default) the blocks run in parallel, with every thread in one op they run in turn, and either way the
 * whole machine is measured, whichever session came first.
 */
final class MatmulPeak {
  /** The median GFLOP/s and the runs behind it. */
  record Result(int n, double gflops, int runs) {}

  private MatmulPeak() {}

  /** Values in [-0.5, 0.5), written straight into native memory. */
  private static TFloat32 randomMatrix(int rows, int columns, Random random) {
    TFloat32 m = TFloat32.tensorOf(Shape.of(rows, columns));
    org.tensorflow.ndarray.buffer.FloatDataBuffer data = m.asRawTensor().data().asFloats();
    for (long i = 0; i < data.size(); i++) {
      data.setFloat(random.nextFloat() - 0.5f, i);
    }
    return m;
  }

  static Result measure(int n, int runs, int warmup) {
    int blocks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n));
    // Both factors are fed, not constants: a constant would sit in the graph definition, the session's graph and
    // grappler's copy, and the peak would take more memory than the network bench measures beside it.
    GraphSession.Built<List<Operand<TFloat32>>> built = GraphSession.build(g -> {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.withName("a").placeholder(TFloat32.class);
      List<Operand<TFloat32>> products = new ArrayList<>();
      for (int b = 0; b < blocks; b++) {
        products.add(tf.linalg.matMul(tf.withName("x" + b).placeholder(TFloat32.class), a));
      }
      return products;
      // Always FP32, whatever --bf16 says: the limit the other lines are measured against.
    }, SessionOptions.defaults().withBfloat16(false));
    double[] seconds = new double[runs];
    List<TFloat32> inputs = new ArrayList<>();
    Random random = new Random(1);
    try (GraphSession gs = built.holder();
        TFloat32 a = randomMatrix(n, n, random)) {
      for (int b = 0; b < blocks; b++) {
        inputs.add(randomMatrix((int) ((long) n * (b + 1) / blocks) - (int) ((long) n * b / blocks), n, random));
      }
      for (int r = -warmup; r < runs; r++) {
        Session.Runner runner = gs.session().runner().feed(gs.graph().operation("a").output(0), a);
        for (int b = 0; b < blocks; b++) {
          runner.feed(gs.graph().operation("x" + b).output(0), inputs.get(b)).fetch(built.model().get(b));
        }
        long t0 = System.nanoTime();
        runner.run().close();
        if (r >= 0) {
          seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
      }
    } finally {
      inputs.forEach(TFloat32::close);
    }
    double median = BenchCommand.median(seconds);
    return new Result(n, 2.0 * n * n * n / median / 1e9, runs);
  }
}
