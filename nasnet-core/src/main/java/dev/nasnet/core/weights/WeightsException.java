package dev.nasnet.core.weights;

/**
 * A weights file that cannot be read or does not fit the model. The message names the file and the first layer or
 * variable that does not fit, with both shapes where shapes differ.
 */
public class WeightsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WeightsException(String message) {
    super(message);
  }

  public WeightsException(String message, Throwable cause) {
    super(message, cause);
  }
}
