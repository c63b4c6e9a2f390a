package dev.nasnet.detection.data;

/**
 * A COCO annotations or results file that cannot be used; the message names the file and the offending entry.
 */
public final class CocoFormatException extends RuntimeException {

  public CocoFormatException(String message) {
    super(message);
  }

  public CocoFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
