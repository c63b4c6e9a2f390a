package dev.nasnet.detection.data;

import com.google.common.base.Preconditions;

/**
 * One entry of a COCO {@code images} list.
 *
 * @param fileName empty when the file does not give one
 * @param width 0 when the file does not give one
 * @param height 0 when the file does not give one
 */
public record CocoImage(long id, String fileName, int width, int height) {

  public CocoImage {
    Preconditions.checkNotNull(fileName, "fileName");
    Preconditions.checkArgument(width >= 0 && height >= 0, "image %s has a negative size %s x %s", id, width, height);
  }
}
