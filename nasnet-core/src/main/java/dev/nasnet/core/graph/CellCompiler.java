package dev.nasnet.core.graph;

import dev.nasnet.core.spec.Block;
import dev.nasnet.core.spec.Branch;
import dev.nasnet.core.spec.CellSpec;
import dev.nasnet.core.spec.Combine;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Turns a {@link CellSpec} into graph ops the way TF-slim's generic NASNet cell does:
 *
 * <ol>
 *   <li>adjust the previous input to the current one: factorized reduction when the height differs, ReLU + 1x1
 *       {@code prev_1x1} + {@code prev_bn} when only the channels differ, nothing otherwise;
 *   <li>squeeze the current input: ReLU, 1x1 conv {@code 1x1}, {@code beginning_bn};
 *   <li>each block {@code comb_iter_k} applies its two ops ({@code left}, {@code right}) and adds or concatenates;
 *       in a strided cell only ops reading the cell's inputs are strided; drop path follows every op but identity;
 *   <li>output states whose height or channels differ from the last state go through a factorized reduction
 *       ({@code cell_output/reduction_s}), then all are concatenated.
 * </ol>
 */
public final class CellCompiler {
  private final OpLibrary library;

  public CellCompiler(OpLibrary library) {
    this.library = library;
  }

  public OpLibrary library() {
    return library;
  }

  /**
   * Compiles one cell under {@code scope}.
   *
   * @param previous the input before the current one, or null (the first cell after a stem that has only one
   *     output): then the raw current input serves as state 1
   * @param keepProb drop-path keep probability for this cell, or null for none (inference, or keep 1.0)
   */
  public Operand<TFloat32> compile(Layers scope, CellSpec spec, Operand<TFloat32> current,
      Operand<TFloat32> previous, int filters, int stride, Operand<TFloat32> keepProb) {
    spec.requireKnownOps(library.names());
    List<Operand<TFloat32>> states = new ArrayList<>();
    Operand<TFloat32> adjustedPrevious = adjustPrevious(scope, previous, current, filters);
    Operand<TFloat32> squeezed = scope.batchNorm("beginning_bn",
        scope.conv2d("1x1", scope.relu(current), filters, 1, 1, 1, "SAME"));
    states.add(squeezed);
    states.add(adjustedPrevious);
    for (int k = 0; k < spec.blocks().size(); k++) {
      Block block = spec.blocks().get(k);
      Layers blockScope = scope.sub("comb_iter_" + k);
      Operand<TFloat32> left = branch(blockScope.sub("left"), block.left(), states, filters, stride, keepProb);
      Operand<TFloat32> right = branch(blockScope.sub("right"), block.right(), states, filters, stride, keepProb);
      states.add(combine(blockScope, block.combine(), left, right, spec, k));
    }
    return output(scope.sub("cell_output"), spec, states);
  }

  private Operand<TFloat32> adjustPrevious(Layers scope, Operand<TFloat32> previous, Operand<TFloat32> current,
      int filters) {
    if (previous == null) {
      return current;
    }
    if (Layers.height(previous) != Layers.height(current)) {
      return scope.factorizedReduction(scope.relu(previous), filters, 2);
    }
    if (Layers.channels(previous) != filters) {
      return scope.batchNorm("prev_bn", scope.conv2d("prev_1x1", scope.relu(previous), filters, 1, 1, 1, "SAME"));
    }
    return previous;
  }

  private Operand<TFloat32> branch(Layers scope, Branch branch, List<Operand<TFloat32>> states, int filters,
      int cellStride, Operand<TFloat32> keepProb) {
    CellOp op = library.find(branch.op()).orElseThrow();
    // Slim strides only the ops that read the cell's own inputs; block outputs are already reduced.
    int stride = branch.input() < CellSpec.INPUT_STATES ? cellStride : 1;
    Operand<TFloat32> out = op.apply(scope, states.get(branch.input()), filters, stride);
    if (keepProb != null && op.dropPath()) {
      out = scope.dropPath(out, keepProb);
    }
    return out;
  }

  private static Operand<TFloat32> combine(Layers scope, Combine combine, Operand<TFloat32> left,
      Operand<TFloat32> right, CellSpec spec, int block) {
    if (Layers.height(left) != Layers.height(right)) {
      throw new IllegalArgumentException("cell '" + spec.name() + "', block " + block + " (comb_iter_" + block
          + "): branch outputs differ in size, " + left.shape() + " vs " + right.shape()
          + "; an op returned the wrong spatial size");
    }
    if (combine == Combine.CONCAT) {
      return scope.concatChannels(List.of(left, right));
    }
    if (Layers.channels(left) != Layers.channels(right)) {
      throw new IllegalArgumentException("cell '" + spec.name() + "', block " + block + " (comb_iter_" + block
          + "): cannot add " + Layers.channels(left) + " channels to " + Layers.channels(right));
    }
    return scope.tf().math.add(left, right);
  }

  private static Operand<TFloat32> output(Layers scope, CellSpec spec, List<Operand<TFloat32>> states) {
    Operand<TFloat32> last = states.get(states.size() - 1);
    int height = Layers.height(last);
    int channels = Layers.channels(last);
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (int s : spec.outputs()) {
      Operand<TFloat32> state = states.get(s);
      int h = Layers.height(state);
      if (h != height || Layers.channels(state) != channels) {
        state = scope.sub("reduction_" + s).factorizedReduction(state, channels, h != height ? 2 : 1);
      }
      parts.add(state);
    }
    return scope.concatChannels(parts);
  }
}
