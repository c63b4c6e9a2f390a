package dev.nasnet.core.train;

import dev.nasnet.core.graph.ModelVariable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;

/**
 * One optimisation step as graph ops, shared by every trainer: L2 weight decay, gradients of the loss, clipping by
 * global norm, the optimizer's updates and any extra updates (batch-norm moving averages) behind one op.
 */
public final class GradientStep {
  private GradientStep() {}

  /** {@code decay * sum(l2_loss(w))} over the variables slim decays (conv, separable and FC weights). */
  public static Operand<TFloat32> weightDecay(Ops tf, List<ModelVariable> variables, double decay) {
    List<Operand<TFloat32>> l2 = new ArrayList<>();
    variables.stream().filter(ModelVariable::weightDecay).forEach(v -> l2.add(tf.nn.l2Loss(v.variable())));
    if (l2.isEmpty() || decay <= 0) {
      return tf.constant(0f);
    }
    return tf.math.mul(tf.constant((float) decay), tf.math.addN(l2));
  }

  /**
   * @param clipGlobalNorm 0 for no clipping
   * @param slots receives the optimizer's slot variables (to checkpoint them)
   * @return an op that runs every update
   */
  public static Op build(Ops tf, Operand<TFloat32> loss, List<ModelVariable> trained, Optimizer optimizer,
      Operand<TFloat32> learningRate, double clipGlobalNorm, List<Op> extraUpdates, List<ModelVariable> slots,
      String name) {
    List<Operand<TFloat32>> vars = new ArrayList<>();
    trained.forEach(v -> vars.add(v.variable()));
    Gradients grads = tf.gradients(loss, vars);
    List<Operand<TFloat32>> g = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      g.add(float32(grads.dy(i)));
    }
    if (clipGlobalNorm > 0) {
      g = clipByGlobalNorm(tf, g, (float) clipGlobalNorm);
    }
    List<Op> updates = new ArrayList<>(optimizer.apply(tf, trained, g, learningRate, slots));
    updates.addAll(extraUpdates);
    return tf.withName(name).withControlDependencies(updates).noOp();
  }

  static List<Operand<TFloat32>> clipByGlobalNorm(Ops tf, List<Operand<TFloat32>> grads, float clip) {
    List<Operand<TFloat32>> halfSquares = new ArrayList<>();
    for (Operand<TFloat32> g : grads) {
      halfSquares.add(tf.nn.l2Loss(g));
    }
    // Doubling the sum once is exact, as doubling each term was, and saves a kernel per variable.
    Operand<TFloat32> norm = tf.math.sqrt(tf.math.mul(tf.constant(2f), tf.math.addN(halfSquares)));
    Operand<TFloat32> c = tf.constant(clip);
    Operand<TFloat32> scale = tf.math.div(c, tf.math.maximum(norm, c));
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : grads) {
      out.add(tf.math.mul(g, scale));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> float32(Output<?> o) {
    return (Operand<TFloat32>) (Operand<?>) o;
  }
}
