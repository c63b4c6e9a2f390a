package dev.nasnet.detection.boxes;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

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

  /**
   * {@link FasterRcnnBoxCoder#encode} as graph ops: {@code boxes} relative to {@code anchors} (same leading shape),
   * with {@link FasterRcnnBoxCoder#EPSILON} added to every height and width. In float64 it computes what the Java
   * coder computes (it works in double).
   */
  public static <T extends TFloating> Operand<T> encode(Ops tf, Operand<T> boxes, Operand<T> anchors,
      FasterRcnnBoxCoder coder) {
    List<Operand<T>> a = typedParts(tf, anchors);
    List<Operand<T>> b = typedParts(tf, boxes);
    Operand<T> eps = constant(tf, FasterRcnnBoxCoder.EPSILON, anchors);
    Operand<T> ha = tf.math.add(tf.math.sub(a.get(2), a.get(0)), eps);
    Operand<T> wa = tf.math.add(tf.math.sub(a.get(3), a.get(1)), eps);
    Operand<T> h = tf.math.add(tf.math.sub(b.get(2), b.get(0)), eps);
    Operand<T> w = tf.math.add(tf.math.sub(b.get(3), b.get(1)), eps);
    // CornerBox.centerY(): ymin + 0.5 * height, without the epsilon.
    Operand<T> dy = tf.math.sub(center(tf, b.get(0), b.get(2)), center(tf, a.get(0), a.get(2)));
    Operand<T> dx = tf.math.sub(center(tf, b.get(1), b.get(3)), center(tf, a.get(1), a.get(3)));
    return tf.stack(List.of(
        tf.math.mul(tf.math.div(dy, ha), constant(tf, coder.yScale(), anchors)),
        tf.math.mul(tf.math.div(dx, wa), constant(tf, coder.xScale(), anchors)),
        tf.math.mul(tf.math.log(tf.math.div(h, ha)), constant(tf, coder.heightScale(), anchors)),
        tf.math.mul(tf.math.log(tf.math.div(w, wa)), constant(tf, coder.widthScale(), anchors))), Stack.axis(-1L));
  }

  /**
   * {@link BoxOps#iouMatrix} as graph ops: {@code rows} [R, 4] against {@code columns} [C, 4] gives [R, C]; no
   * overlap, or an empty union, is 0. Either side may be empty. In float64 it computes what the Java version does.
   */
  public static <T extends TFloating> Operand<T> iouMatrix(Ops tf, Operand<T> rows, Operand<T> columns) {
    Operand<T> r = tf.expandDims(rows, tf.constant(1));
    Operand<T> c = tf.expandDims(columns, tf.constant(0));
    List<Operand<T>> a = typedParts(tf, r);
    List<Operand<T>> b = typedParts(tf, c);
    Operand<T> zero = constant(tf, 0, rows);
    Operand<T> ih = tf.math.maximum(tf.math.sub(tf.math.minimum(a.get(2), b.get(2)),
        tf.math.maximum(a.get(0), b.get(0))), zero);
    Operand<T> iw = tf.math.maximum(tf.math.sub(tf.math.minimum(a.get(3), b.get(3)),
        tf.math.maximum(a.get(1), b.get(1))), zero);
    Operand<T> inter = tf.math.mul(ih, iw);
    Operand<T> union = tf.math.sub(tf.math.add(sideClampedArea(tf, a, zero), sideClampedArea(tf, b, zero)), inter);
    // BoxOps.iou: 0 unless the union is positive (divNoNan covers a zero union; a negative one cannot have overlap).
    return tf.math.divNoNan(inter, tf.math.maximum(union, zero));
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

  /** {@link CornerBox#area}: negative sides count as 0. */
  private static <T extends TFloating> Operand<T> sideClampedArea(Ops tf, List<Operand<T>> b, Operand<T> zero) {
    return tf.math.mul(tf.math.maximum(tf.math.sub(b.get(2), b.get(0)), zero),
        tf.math.maximum(tf.math.sub(b.get(3), b.get(1)), zero));
  }

  private static <T extends TFloating> Operand<T> center(Ops tf, Operand<T> lo, Operand<T> hi) {
    return tf.math.add(lo, tf.math.mul(constant(tf, 0.5, lo), tf.math.sub(hi, lo)));
  }

  private static <T extends TFloating> Operand<T> constant(Ops tf, double value, Operand<T> like) {
    return tf.dtypes.cast(tf.constant(value), like.type());
  }

  private static <T extends TFloating> List<Operand<T>> typedParts(Ops tf, Operand<T> boxes) {
    Unstack<T> u = tf.unstack(boxes, 4L, Unstack.axis(-1L));
    return List.of(u.output().get(0), u.output().get(1), u.output().get(2), u.output().get(3));
  }

  private static Operand<TFloat32> half(Ops tf, Operand<TFloat32> x) {
    return tf.math.mul(x, tf.constant(0.5f));
  }

  private static Operand<TFloat32> scale(Ops tf, Operand<TFloat32> x, double factor) {
    return tf.math.div(x, tf.constant((float) factor));
  }
}
