package dev.nasnet.core.graph;

import java.util.Arrays;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A variable of a built network with its checkpoint name, e.g. {@code cell_0/1x1/weights}.
 *
 * @param trainable false for batch-norm moving statistics
 * @param weightDecay true for conv, separable and fully connected weights, the ones slim regularises with L2
 */
public record ModelVariable(String name, long[] shape, boolean trainable, boolean weightDecay,
    Variable<TFloat32> variable) {
  public ModelVariable {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + (trainable ? "" : " (non-trainable)");
  }
}
