package dev.nasnet.detection.synthetic;

import com.google.common.base.Preconditions;
import dev.nasnet.detection.data.XywhBox;

/**
 * One drawn shape.
 *
 * @param box the tight box of the shape's pixels: {@code x = leftmost column}, {@code width = columns covered}
 *     (continuous COCO coordinates, so a one-pixel shape at column c spans [c, c + 1))
 * @param rgb the shape's solid colour as {@code 0xRRGGBB}
 */
public record SyntheticObject(ShapeKind kind, XywhBox box, int rgb) {

  public SyntheticObject {
    Preconditions.checkNotNull(kind, "kind");
    Preconditions.checkNotNull(box, "box");
    Preconditions.checkArgument((rgb & 0xFF000000) == 0, "rgb must be 0xRRGGBB, got %s", Integer.toHexString(rgb));
  }
}
