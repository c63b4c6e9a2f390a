package dev.nasnet.core.spec;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An immutable description of one cell: its blocks and the hidden states concatenated as its output.
 *
 * <p>Plain data with no TensorFlow types; {@code dev.nasnet.core.graph.CellCompiler} turns it into graph ops. State
 * {@value #CURRENT} is the cell's current input (h_i, after the cell's 1x1 squeeze), state {@value #PREVIOUS} the input
 * before it (h_{i-1}, after its shape adjustment), and state {@code 2 + k} the output of block {@code k}.
 *
 * <p>The output list is explicit because NASNet-A's reduction cell concatenates a state that a later block also
 * consumes; {@link #unconsumedStates(List)} derives the paper's "all states no block consumed" rule for cells that
 * follow it.
 */
public record CellSpec(String name, ImmutableList<Block> blocks, ImmutableList<Integer> outputs) {
  public static final int CURRENT = 0;
  public static final int PREVIOUS = 1;
  /** Number of states a cell has before its first block. */
  public static final int INPUT_STATES = 2;

  private static final Pattern OP_NAME = Pattern.compile("[A-Za-z0-9_]+");

  public CellSpec {
    Preconditions.checkNotNull(name, "name");
    blocks = ImmutableList.copyOf(blocks);
    outputs = ImmutableList.copyOf(outputs);
    validate(name, blocks, outputs);
  }

  public CellSpec(String name, List<Block> blocks, List<Integer> outputs) {
    this(name, ImmutableList.copyOf(blocks), ImmutableList.copyOf(outputs));
  }

  /** Number of hidden states: the two inputs and one per block. */
  public int numStates() {
    return INPUT_STATES + blocks.size();
  }

  /** Every op name the cell uses, sorted. */
  public SortedSet<String> opNames() {
    TreeSet<String> ops = new TreeSet<>();
    for (Block b : blocks) {
      ops.add(b.left().op());
      ops.add(b.right().op());
    }
    return ImmutableSortedSet.copyOf(ops);
  }

  /**
   * Checks that every op is in {@code knownOps}.
   *
   * @throws InvalidCellSpecException naming the first block and branch whose op is unknown
   */
  public void requireKnownOps(Set<String> knownOps) {
    for (int k = 0; k < blocks.size(); k++) {
      Block b = blocks.get(k);
      for (String side : List.of("left", "right")) {
        String op = side.equals("left") ? b.left().op() : b.right().op();
        if (!knownOps.contains(op)) {
          throw new InvalidCellSpecException(where(name, k, side) + "op '" + op + "' is not a known op; known ops: "
              + ImmutableSortedSet.copyOf(knownOps));
        }
      }
    }
  }

  /** The states that no block reads, in index order: the paper's default output rule. */
  public static ImmutableList<Integer> unconsumedStates(List<Block> blocks) {
    Set<Integer> consumed = new HashSet<>();
    for (Block b : blocks) {
      consumed.add(b.left().input());
      consumed.add(b.right().input());
    }
    ImmutableList.Builder<Integer> out = ImmutableList.builder();
    for (int s = 0; s < INPUT_STATES + blocks.size(); s++) {
      if (!consumed.contains(s)) {
        out.add(s);
      }
    }
    return out.build();
  }

  /**
   * Builds a cell from TF-slim's three lists: ops in (left, right) pairs, hidden-state indices in the same pairs,
   * and the "used" mask (1 = left out of the output concat). Every block adds.
   */
  public static CellSpec fromSlimLists(String name, List<String> operations, List<Integer> hiddenStateIndices,
      List<Integer> usedHiddenStates) {
    Preconditions.checkArgument(operations.size() == hiddenStateIndices.size(),
        "cell '%s': %s operations but %s hidden-state indices", name, operations.size(), hiddenStateIndices.size());
    Preconditions.checkArgument(operations.size() % 2 == 0,
        "cell '%s': operations come in (left, right) pairs, got %s", name, operations.size());
    int numBlocks = operations.size() / 2;
    Preconditions.checkArgument(usedHiddenStates.size() == INPUT_STATES + numBlocks,
        "cell '%s': the used mask needs %s entries (2 inputs + %s blocks), got %s", name,
        INPUT_STATES + numBlocks, numBlocks, usedHiddenStates.size());
    List<Block> blocks = new ArrayList<>();
    for (int k = 0; k < numBlocks; k++) {
      blocks.add(Block.add(hiddenStateIndices.get(2 * k), operations.get(2 * k),
          hiddenStateIndices.get(2 * k + 1), operations.get(2 * k + 1)));
    }
    List<Integer> outputs = new ArrayList<>();
    for (int s = 0; s < usedHiddenStates.size(); s++) {
      if (usedHiddenStates.get(s) == 0) {
        outputs.add(s);
      }
    }
    return new CellSpec(name, blocks, outputs);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Adds blocks one at a time; {@link #build()} validates. */
  public static final class Builder {
    private final String name;
    private final List<Block> blocks = new ArrayList<>();
    private List<Integer> outputs;

    private Builder(String name) {
      this.name = name;
    }

    public Builder add(int leftInput, String leftOp, int rightInput, String rightOp) {
      blocks.add(Block.add(leftInput, leftOp, rightInput, rightOp));
      return this;
    }

    public Builder concat(int leftInput, String leftOp, int rightInput, String rightOp) {
      blocks.add(new Block(Branch.of(leftInput, leftOp), Branch.of(rightInput, rightOp), Combine.CONCAT));
      return this;
    }

    public Builder block(Block block) {
      blocks.add(block);
      return this;
    }

    public Builder outputs(Integer... states) {
      this.outputs = List.of(states);
      return this;
    }

    public Builder outputs(List<Integer> states) {
      this.outputs = List.copyOf(states);
      return this;
    }

    /** Output = every state that no block reads (the paper's rule); the default when no output list is given. */
    public Builder outputsUnconsumed() {
      this.outputs = null;
      return this;
    }

    public CellSpec build() {
      return new CellSpec(name, blocks, outputs == null ? unconsumedStates(blocks) : outputs);
    }
  }

  static String where(String cell, int block, String side) {
    return "cell '" + cell + "', block " + block + " (comb_iter_" + block + "), " + side + " branch: ";
  }

  private static void validate(String name, List<Block> blocks, List<Integer> outputs) {
    if (name.isBlank()) {
      throw new InvalidCellSpecException("a cell needs a non-blank name");
    }
    if (blocks.isEmpty()) {
      throw new InvalidCellSpecException("cell '" + name + "' has zero blocks; a cell needs at least one");
    }
    for (int k = 0; k < blocks.size(); k++) {
      Block b = blocks.get(k);
      checkBranch(name, k, "left", b.left());
      checkBranch(name, k, "right", b.right());
    }
    if (outputs.isEmpty()) {
      throw new InvalidCellSpecException("cell '" + name + "' has an empty output list; name at least one state");
    }
    int numStates = INPUT_STATES + blocks.size();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < outputs.size(); i++) {
      int s = outputs.get(i);
      if (s < 0 || s >= numStates) {
        throw new InvalidCellSpecException("cell '" + name + "', output " + i + ": state " + s
            + " does not exist; states are 0.." + (numStates - 1));
      }
      if (!seen.add(s)) {
        throw new InvalidCellSpecException("cell '" + name + "', output " + i + ": state " + s
            + " is listed twice in the outputs " + outputs);
      }
    }
  }

  private static void checkBranch(String cell, int block, String side, Branch branch) {
    int available = INPUT_STATES + block;
    if (branch.input() < 0 || branch.input() >= available) {
      throw new InvalidCellSpecException(where(cell, block, side) + "input " + branch.input()
          + " refers to a state not yet defined; block " + block + " can read states 0.." + (available - 1)
          + " (0 = current input, 1 = previous input, 2+k = block k)");
    }
    if (!OP_NAME.matcher(branch.op()).matches()) {
      throw new InvalidCellSpecException(where(cell, block, side) + "op name '" + branch.op()
          + "' is not a valid op name (letters, digits and '_')");
    }
  }
}
