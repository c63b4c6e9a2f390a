package dev.nasnet.core.graph;

import com.google.common.base.Preconditions;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Slim's "v3" ScheduledDropPath: the keep probability falls with depth (cell {@code n} of {@code total} keeps
 * {@code 1 - (n + 1) / total * (1 - keepProb)} at the end of training) and linearly with training progress from 1.
 *
 * @param keepProb the keep probability of the deepest cell at the end of training
 * @param totalNumCells the cells counted for depth scaling (slim's {@code total_num_cells})
 */
public record DropPathSchedule(double keepProb, int totalNumCells) {
  public DropPathSchedule {
    Preconditions.checkArgument(keepProb > 0 && keepProb <= 1, "keep probability must be in (0, 1], got %s", keepProb);
    Preconditions.checkArgument(totalNumCells > 0, "totalNumCells must be positive, got %s", totalNumCells);
  }

  public boolean enabled() {
    return keepProb < 1.0;
  }

  /** The keep probability of cell {@code cellNum} once training is complete. */
  public double layerKeepProb(int cellNum) {
    return 1 - (cellNum + 1.0) / totalNumCells * (1 - keepProb);
  }

  /** The keep probability of cell {@code cellNum} at {@code progress} = step / total steps (clipped to 1). */
  public double keepProb(int cellNum, double progress) {
    return 1 - Math.min(1.0, progress) * (1 - layerKeepProb(cellNum));
  }

  /** {@link #keepProb(int, double)} as graph ops on a progress scalar fed at run time. */
  public Operand<TFloat32> keepProb(Ops tf, int cellNum, Operand<TFloat32> progress) {
    Operand<TFloat32> ratio = tf.math.minimum(progress, tf.constant(1f));
    return tf.math.sub(tf.constant(1f), tf.math.mul(ratio, tf.constant((float) (1 - layerKeepProb(cellNum)))));
  }
}
