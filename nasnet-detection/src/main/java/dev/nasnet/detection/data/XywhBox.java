package dev.nasnet.detection.data;

import com.google.common.base.Preconditions;

/**
 * An axis-aligned box in COCO's layout: top-left corner plus width and height, absolute pixels, continuous
 * coordinates (no +1 on the sizes).
 */
public record XywhBox(double x, double y, double width, double height) {

  public XywhBox {
    Preconditions.checkArgument(Double.isFinite(x) && Double.isFinite(y),
        "box corner must be finite, got (%s, %s)", x, y);
    Preconditions.checkArgument(Double.isFinite(width) && Double.isFinite(height),
        "box size must be finite, got %s x %s", width, height);
    Preconditions.checkArgument(width >= 0 && height >= 0,
        "box width and height must not be negative, got %s x %s", width, height);
  }

  /** From corners {@code [x1, y1, x2, y2]} (torchvision's xyxy); the size is {@code x2 - x1} in double. */
  public static XywhBox fromCorners(double x1, double y1, double x2, double y2) {
    return new XywhBox(x1, y1, x2 - x1, y2 - y1);
  }

  /** width * height, the area pycocotools gives a detection (and the one to use when a GT has no mask). */
  public double area() {
    return width * height;
  }

  public double maxX() {
    return x + width;
  }

  public double maxY() {
    return y + height;
  }
}
