package dev.nasnet.core.checkpoint;

/** A checkpoint that cannot be read or does not fit the model; the message names the file, variable or offset. */
public class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
