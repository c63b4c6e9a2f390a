package dev.nasnet.core.spec;

import com.google.common.base.Preconditions;

/**
 * One half of a block: which hidden state it reads and which op it applies.
 *
 * <p>States are numbered as in TF-slim: {@link CellSpec#CURRENT} (0) is the cell's current input after its 1x1
 * squeeze, {@link CellSpec#PREVIOUS} (1) the previous cell's output after its adjustment, and {@code 2 + k} the
 * output of block {@code k}.
 */
public record Branch(int input, String op) {
  public Branch {
    Preconditions.checkNotNull(op, "op");
  }

  public static Branch of(int input, String op) {
    return new Branch(input, op);
  }
}
