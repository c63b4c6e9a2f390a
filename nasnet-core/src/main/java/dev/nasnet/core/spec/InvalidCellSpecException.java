package dev.nasnet.core.spec;

/** A cell spec that cannot describe a network; the message names the cell, the block and the input at fault. */
public class InvalidCellSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidCellSpecException(String message) {
    super(message);
  }

  public InvalidCellSpecException(String message, Throwable cause) {
    super(message, cause);
  }
}
