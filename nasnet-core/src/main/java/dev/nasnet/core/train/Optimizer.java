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
 * <p>Slot variables are named as TF1 names them: {@code <var>/Momentum}, {@code <var>/RMSProp} and
 * {@code <var>/RMSProp_1}, so they travel in checkpoints and a resumed run continues with the same state.
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
   * A variable named {@code <var>/<suffix>} with {@code var}'s shape, filled with {@code init}. The name holds
   * slashes, which the scoped op API refuses, so the variable is built with the graph's op builder.
   */
  @SuppressWarnings("unchecked")
  static Variable<TFloat32> slot(Ops tf, ModelVariable v, String suffix, float init, List<ModelVariable> slots) {
    Graph graph = (Graph) tf.scope().env();
    String name = v.name() + "/" + suffix;
    Ops initOps = tf.withInitScope();
    Variable<TFloat32> var = new Variable<>(graph.opBuilder("VariableV2", name, initOps.scope())
        .setAttr("shape", Shape.of(v.shape())).setAttr("dtype", DataType.DT_FLOAT).build());
    initOps.assign(var, initOps.fill(initOps.constant(v.shape()), initOps.constant(init)));
    slots.add(new ModelVariable(name, v.shape(), false, false, var));
    return var;
  }
}
