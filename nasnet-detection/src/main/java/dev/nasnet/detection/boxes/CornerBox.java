package dev.nasnet.detection.boxes;

import com.google.common.base.Preconditions;
import dev.nasnet.detection.data.XywhBox;

/**
 * A box as the TF Object Detection API lays it out: {@code [ymin, xmin, ymax, xmax]}, continuous coordinates (no +1
 * on sizes). The frame (absolute pixels inside the model, normalized [0, 1] for outputs) is the caller's; nothing here
 * depends on it. A box may be degenerate ({@code ymax <= ymin}), as decoded or clipped boxes can be;
 * {@link BoxOps#nonDegenerateIndices} removes those.
 */
public record CornerBox(double ymin, double xmin, double ymax, double xmax) {

  public CornerBox {
    Preconditions.checkArgument(Double.isFinite(ymin) && Double.isFinite(xmin) && Double.isFinite(ymax)
        && Double.isFinite(xmax), "box corners must be finite, got [%s, %s, %s, %s]", ymin, xmin, ymax, xmax);
  }

  /** The box with this centre and size, corners at centre -/+ size/2. */
  public static CornerBox fromCenterSize(double centerY, double centerX, double height, double width) {
    return new CornerBox(centerY - 0.5 * height, centerX - 0.5 * width, centerY + 0.5 * height,
        centerX + 0.5 * width);
  }

  /** From a COCO {@code [x, y, w, h]} box in the same frame. */
  public static CornerBox fromXywh(XywhBox box) {
    Preconditions.checkNotNull(box, "box");
    return new CornerBox(box.y(), box.x(), box.maxY(), box.maxX());
  }

  /** To COCO {@code [x, y, w, h]}; a degenerate box becomes one of size 0 because XywhBox refuses negative sizes. */
  public XywhBox toXywh() {
    return new XywhBox(xmin, ymin, Math.max(0, xmax - xmin), Math.max(0, ymax - ymin));
  }

  /** {@code ymax - ymin}; negative for an inverted box. */
  public double height() {
    return ymax - ymin;
  }

  /** {@code xmax - xmin}; negative for an inverted box. */
  public double width() {
    return xmax - xmin;
  }

  public double centerY() {
    return ymin + 0.5 * height();
  }

  public double centerX() {
    return xmin + 0.5 * width();
  }

  /** Area with negative sides taken as 0, so an inverted box never adds to a union. */
  public double area() {
    return Math.max(0, height()) * Math.max(0, width());
  }

  /** Boxes as float32 rows [ymin, xmin, ymax, xmax], one after another: the layout of TensorFlow's box tensors. */
  public static float[] flatten(java.util.List<CornerBox> boxes) {
    float[] out = new float[boxes.size() * 4];
    for (int i = 0; i < boxes.size(); i++) {
      CornerBox b = boxes.get(i);
      out[4 * i] = (float) b.ymin();
      out[4 * i + 1] = (float) b.xmin();
      out[4 * i + 2] = (float) b.ymax();
      out[4 * i + 3] = (float) b.xmax();
    }
    return out;
  }
}
