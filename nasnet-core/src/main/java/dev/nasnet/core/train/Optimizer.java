package dev.nasnet.core.train;

import com.google.common.base.Preconditions;
import dev.nasnet.core.graph.ModelVariable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Applies gradients with TensorFlow's raw training kernels, the learning rate an operand fed each step. The
 * framework optimizers cannot be used: they differentiate against every variable in the graph (batch-norm moving
 * statistics included), break on names with '/', and take a fixed rate.
 *
 * <p>Slot variables are named as TF1 names them: {@code <var>/Momentum}, {@code <var>/RMSProp},
 * {@code <var>/RMSProp_1}, {@code <var>/Adam} and {@code <var>/Adam_1} (with Adam's {@code beta1_power} and
 * {@code beta2_power}), so they travel in checkpoints and a resumed run continues with the same state.
 */
public sealed interface Optimizer {
  /** Builds the update ops; slot variables it creates are added to {@code slots}. */
  List<Op> apply(Ops tf, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate, List<ModelVariable> slots);

  /** Momentum SGD (the paper's child-model optimizer: momentum 0.9). */
  static Optimizer momentum(double momentum, boolean nesterov) {
    return new Momentum(momentum, nesterov);
  }

  /** RMSProp; the paper's ImageNet setting is decay 0.9, momentum 0.9, epsilon 1.0. */
  static Optimizer rmsProp(double decay, double momentum, double epsilon) {
    return new RmsProp(decay, momentum, epsilon);
  }

  /** Adam (Kingma and Ba); TF1's defaults are beta1 0.9, beta2 0.999, epsilon 1e-8. */
  static Adam adam(double beta1, double beta2, double epsilon) {
    return new Adam(beta1, beta2, epsilon);
  }

  record Momentum(double momentum, boolean nesterov) implements Optimizer {
    public Momentum {
      Preconditions.checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
    }

    @Override
    public List<Op> apply(Ops tf, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
        Operand<TFloat32> learningRate, List<ModelVariable> slots) {
      List<Op> ops = new ArrayList<>();
      Operand<TFloat32> m = tf.constant((float) momentum);
      for (int i = 0; i < variables.size(); i++) {
        ModelVariable v = variables.get(i);
        Variable<TFloat32> accum = slot(tf, v, "Momentum", 0f, slots);
        ops.add(tf.train.applyMomentum(v.variable(), accum, learningRate, gradients.get(i), m,
            ApplyMomentum.useNesterov(nesterov)));
      }
      return ops;
    }
  }

  record RmsProp(double decay, double momentum, double epsilon) implements Optimizer {
    public RmsProp {
      Preconditions.checkArgument(decay > 0 && decay < 1, "decay must be in (0, 1), got %s", decay);
      Preconditions.checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
      Preconditions.checkArgument(epsilon > 0, "epsilon must be positive, got %s", epsilon);
    }

    @Override
    public List<Op> apply(Ops tf, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
        Operand<TFloat32> learningRate, List<ModelVariable> slots) {
      List<Op> ops = new ArrayList<>();
      Operand<TFloat32> rho = tf.constant((float) decay);
      Operand<TFloat32> mom = tf.constant((float) momentum);
      Operand<TFloat32> eps = tf.constant((float) epsilon);
      for (int i = 0; i < variables.size(); i++) {
        ModelVariable v = variables.get(i);
        // TF1 starts the mean square at 1, not 0, so early steps are not huge.
        Variable<TFloat32> ms = slot(tf, v, "RMSProp", 1f, slots);
        Variable<TFloat32> mo = slot(tf, v, "RMSProp_1", 0f, slots);
        ops.add(tf.train.applyRmsProp(v.variable(), ms, mo, learningRate, rho, mom, eps, gradients.get(i)));
      }
      return ops;
    }
  }

  /**
   * Adam over TF1's kernel: {@code m = beta1 m + (1 - beta1) g}, {@code v = beta2 v + (1 - beta2) g²} (both slots
   * start at 0), {@code var -= lr sqrt(1 - beta2^t) / (1 - beta1^t) m / (sqrt(v) + epsilon)} at step t from 1.
   *
   * <p>{@link #apply(Ops, List, List, Operand, List)} keeps {@code beta1^t} and {@code beta2^t} as TF1 does, in
   * scalar variables {@code beta1_power} and {@code beta2_power} (float products, in the caller's scope) updated
   * after each step. {@link #apply(Ops, List, List, Operand, Operand, Operand, SlotNames, List)} takes them as
   * operands the caller feeds instead, with slot names of the caller's choice.
   */
  record Adam(double beta1, double beta2, double epsilon) implements Optimizer {
    public Adam {
      Preconditions.checkArgument(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got %s", beta1);
      Preconditions.checkArgument(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got %s", beta2);
      Preconditions.checkArgument(epsilon > 0, "epsilon must be positive, got %s", epsilon);
    }

    /** Names a variable's two slots: {@code moment} 1 for the mean of the gradients, 2 for their mean square. */
    @FunctionalInterface
    public interface SlotNames {
      /** TF1's: {@code <var>/Adam} and {@code <var>/Adam_1}. */
      SlotNames TF1 = (index, variable, moment) -> variable.name() + (moment == 1 ? "/Adam" : "/Adam_1");

      /** @param index the variable's position in the list passed to apply */
      String name(int index, ModelVariable variable, int moment);
    }

    @Override
    public List<Op> apply(Ops tf, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
        Operand<TFloat32> learningRate, List<ModelVariable> slots) {
      Variable<TFloat32> beta1Power = power(tf, "beta1_power", beta1, slots);
      Variable<TFloat32> beta2Power = power(tf, "beta2_power", beta2, slots);
      List<Op> ops = new ArrayList<>(apply(tf, variables, gradients, learningRate, beta1Power, beta2Power,
          SlotNames.TF1, slots));
      // The powers move on once every variable has read them.
      Ops after = tf.withControlDependencies(List.copyOf(ops));
      ops.add(after.assign(beta1Power, after.math.mul(beta1Power, after.constant((float) beta1))));
      ops.add(after.assign(beta2Power, after.math.mul(beta2Power, after.constant((float) beta2))));
      return ops;
    }

    /**
     * The update ops with the bias correction fed: {@code beta1Power} and {@code beta2Power} must hold
     * {@code beta1^t} and {@code beta2^t} at step t (from 1). Creates two zero slots per variable, in order.
     */
    public List<Op> apply(Ops tf, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
        Operand<TFloat32> learningRate, Operand<TFloat32> beta1Power, Operand<TFloat32> beta2Power, SlotNames names,
        List<ModelVariable> slots) {
      Preconditions.checkArgument(variables.size() == gradients.size(), "%s variables but %s gradients",
          variables.size(), gradients.size());
      List<Op> ops = new ArrayList<>();
      Operand<TFloat32> b1 = tf.constant((float) beta1);
      Operand<TFloat32> b2 = tf.constant((float) beta2);
      Operand<TFloat32> eps = tf.constant((float) epsilon);
      for (int i = 0; i < variables.size(); i++) {
        ModelVariable v = variables.get(i);
        Variable<TFloat32> m = namedSlot(tf, v, names.name(i, v, 1), 0f, slots);
        Variable<TFloat32> s = namedSlot(tf, v, names.name(i, v, 2), 0f, slots);
        ops.add(tf.train.applyAdam(v.variable(), m, s, beta1Power, beta2Power, learningRate, b1, b2, eps,
            gradients.get(i)));
      }
      return ops;
    }

    private static Variable<TFloat32> power(Ops tf, String name, double beta, List<ModelVariable> slots) {
      Variable<TFloat32> v = tf.withName(name).variable(tf.withInitScope().constant((float) beta));
      slots.add(new ModelVariable(v.op().name(), new long[0], false, false, v));
      return v;
    }
  }

  /**
   * A variable named {@code <var>/<suffix>} with {@code var}'s shape, filled with {@code init}. The name holds
   * slashes, which the scoped op API refuses, so the variable is built with the graph's op builder.
   */
  static Variable<TFloat32> slot(Ops tf, ModelVariable v, String suffix, float init, List<ModelVariable> slots) {
    return namedSlot(tf, v, v.name() + "/" + suffix, init, slots);
  }

  /** A variable named {@code name} with {@code v}'s shape, filled with {@code init}. */
  @SuppressWarnings("unchecked")
  private static Variable<TFloat32> namedSlot(Ops tf, ModelVariable v, String name, float init,
      List<ModelVariable> slots) {
    Graph graph = (Graph) tf.scope().env();
    Ops initOps = tf.withInitScope();
    Variable<TFloat32> var = new Variable<>(graph.opBuilder("VariableV2", name, initOps.scope())
        .setAttr("shape", Shape.of(v.shape())).setAttr("dtype", DataType.DT_FLOAT).build());
    initOps.assign(var, initOps.fill(initOps.constant(v.shape()), initOps.constant(init)));
    slots.add(new ModelVariable(name, v.shape(), false, false, var));
    return var;
  }
}
