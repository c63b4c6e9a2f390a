package dev.nasnet.core.data;

/** A data file that is missing, truncated or not of its format; the message names the file and the offset. */
public class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
