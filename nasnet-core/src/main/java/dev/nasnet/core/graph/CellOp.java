package dev.nasnet.core.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * One op a block branch can apply. Register new ones in an {@link OpLibrary}; the compiler needs no change.
 *
 * <p>An op receives its branch's scope (variables it creates land under
 * {@code cell/comb_iter_k/left|right/...}), the input state, the cell's filter count F and the branch stride (2 only
 * on a reduction cell's inputs). It must return F channels, or any count the cell's output logic can reconcile, at
 * {@code ceil(height / stride)}.
 */
@FunctionalInterface
public interface CellOp {
  Operand<TFloat32> apply(Layers scope, Operand<TFloat32> input, int filters, int stride);

  /** Whether ScheduledDropPath applies to this op's output; slim exempts only the identity. */
  default boolean dropPath() {
    return true;
  }
}
