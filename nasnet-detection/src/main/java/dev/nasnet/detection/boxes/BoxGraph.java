package dev.nasnet.detection.boxes;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;

/**
 * The box arithmetic of {@link FasterRcnnBoxCoder} and {@link BoxOps} as graph ops, for what must run inside a
 * graph (an exported model's post-processing). Boxes are {@code [..., 4]} {@code ymin, xmin, ymax, xmax}; leading
 * dimensions broadcast, so class-specific codes {@code [P, C, 4]} decode against proposals {@code [P, 1, 4]}.
 */
public final class BoxGraph {
  /**
   * Height and width codes are capped at log(1000 / 16) before exp, as torchvision does, so an untrained head cannot
   * overflow to infinite boxes; trained codes are far below it.
   */
  static final float MAX_LOG_SCALE = (float) Math.log(1000.0 / 16);

  private BoxGraph() {}

  public static Operand<TFloat32> decode(Ops tf, Operand<TFloat32> codes, Operand<TFloat32> anchors,
      FasterRcnnBoxCoder coder) {
    List<Operand<TFloat32>> a = parts(tf, anchors);
    List<Operand<TFloat32>> t = parts(tf, codes);
    Operand<TFloat32> ha = tf.math.sub(a.get(2), a.get(0));
    Operand<TFloat32> wa = tf.math.sub(a.get(3), a.get(1));
    Operand<TFloat32> yca = tf.math.add(a.get(0), half(tf, ha));
    Operand<TFloat32> xca = tf.math.add(a.get(1), half(tf, wa));
    Operand<TFloat32> cap = tf.constant(MAX_LOG_SCALE);
    Operand<TFloat32> h = tf.math.mul(tf.math.exp(tf.math.minimum(scale(tf, t.get(2), coder.heightScale()), cap)), ha);
    Operand<TFloat32> w = tf.math.mul(tf.math.exp(tf.math.minimum(scale(tf, t.get(3), coder.widthScale()), cap)), wa);
    Operand<TFloat32> yc = tf.math.add(tf.math.mul(scale(tf, t.get(0), coder.yScale()), ha), yca);
    Operand<TFloat32> xc = tf.math.add(tf.math.mul(scale(tf, t.get(1), coder.xScale()), wa), xca);
    return tf.stack(List.of(tf.math.sub(yc, half(tf, h)), tf.math.sub(xc, half(tf, w)), tf.math.add(yc, half(tf, h)),
        tf.math.add(xc, half(tf, w))), Stack.axis(-1L));
  }

  /** Clips to the window {@code [0, 0, height, width]}. */
  public static Operand<TFloat32> clip(Ops tf, Operand<TFloat32> boxes, float height, float width) {
    Operand<TFloat32> max = tf.constant(new float[] {height, width, height, width});
    return tf.math.minimum(tf.math.maximum(boxes, tf.constant(0f)), max);
  }

  /** Areas, {@code [...]}. */
  public static Operand<TFloat32> area(Ops tf, Operand<TFloat32> boxes) {
    List<Operand<TFloat32>> b = parts(tf, boxes);
    return tf.math.mul(tf.math.sub(b.get(2), b.get(0)), tf.math.sub(b.get(3), b.get(1)));
  }

  private static List<Operand<TFloat32>> parts(Ops tf, Operand<TFloat32> boxes) {
    Unstack<TFloat32> u = tf.unstack(boxes, 4L, Unstack.axis(-1L));
    return List.of(u.output().get(0), u.output().get(1), u.output().get(2), u.output().get(3));
  }

  private static Operand<TFloat32> half(Ops tf, Operand<TFloat32> x) {
    return tf.math.mul(x, tf.constant(0.5f));
  }

  private static Operand<TFloat32> scale(Ops tf, Operand<TFloat32> x, double factor) {
    return tf.math.div(x, tf.constant((float) factor));
  }
}
