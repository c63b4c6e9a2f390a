package dev.nasnet.detection.boxes;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The Huber loss with delta 1 both detection stages put on box codes: 0.5 x^2 below 1, |x| - 0.5 above. */
public final class SmoothL1 {
  private SmoothL1() {}

  /** Element-wise smooth L1 of {@code predicted - target}, summed over the last axis (the 4 box codes). */
  public static Operand<TFloat32> perBox(Ops tf, Operand<TFloat32> predicted, Operand<TFloat32> target, int codeAxis) {
    Operand<TFloat32> diff = tf.math.abs(tf.math.sub(predicted, target));
    Operand<TFloat32> quadratic = tf.math.minimum(diff, tf.constant(1f));
    Operand<TFloat32> huber = tf.math.add(tf.math.mul(tf.constant(0.5f), tf.math.square(quadratic)),
        tf.math.sub(diff, quadratic));
    return tf.sum(huber, tf.constant(codeAxis));
  }
}
