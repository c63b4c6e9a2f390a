package dev.nasnet.core.spec;

import com.google.common.base.Preconditions;

/** Two branches and how their outputs are merged into one new hidden state. */
public record Block(Branch left, Branch right, Combine combine) {
  public Block {
    Preconditions.checkNotNull(left, "left");
    Preconditions.checkNotNull(right, "right");
    Preconditions.checkNotNull(combine, "combine");
  }

  /** A block that adds its two branches, as every NASNet-A block does. */
  public static Block add(int leftInput, String leftOp, int rightInput, String rightOp) {
    return new Block(Branch.of(leftInput, leftOp), Branch.of(rightInput, rightOp), Combine.ADD);
  }
}
