package dev.nasnet.detection.boxes;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The Faster R-CNN box coder: a box relative to an anchor as
 * {@code ty = (y - ya) / ha, tx = (x - xa) / wa, th = log(h / ha), tw = log(w / wa)} (centres and sizes), each then
 * multiplied by its scale factor. The NASNet config uses {@code [10, 10, 5, 5]} in both stages.
 *
 * <p>Encoding adds {@link #EPSILON} to every height and width before the divide and the log so that a zero-size
 * box or anchor gives a large finite code rather than NaN; decoding adds nothing, as the OD API does.
 *
 * @param yScale multiplies ty; 0 is not allowed (the OD API's "no scale factors" is all ones, see {@link #unscaled})
 */
public record FasterRcnnBoxCoder(double yScale, double xScale, double heightScale, double widthScale) {

  /** Added to heights and widths before encoding. */
  public static final double EPSILON = 1e-8;

  public FasterRcnnBoxCoder {
    checkScale(yScale, "yScale");
    checkScale(xScale, "xScale");
    checkScale(heightScale, "heightScale");
    checkScale(widthScale, "widthScale");
  }

  private static void checkScale(double value, String name) {
    Preconditions.checkArgument(Double.isFinite(value) && value > 0,
        "FasterRcnnBoxCoder %s must be finite and positive, got %s", name, value);
  }

  /** Scale factors {@code [10, 10, 5, 5]}, as both stages of faster_rcnn_nas_coco.config use. */
  public static FasterRcnnBoxCoder nasnetDefaults() {
    return new FasterRcnnBoxCoder(10, 10, 5, 5);
  }

  /** No scaling: the plain centre/size parametrisation. */
  public static FasterRcnnBoxCoder unscaled() {
    return new FasterRcnnBoxCoder(1, 1, 1, 1);
  }

  public BoxCode encode(CornerBox box, CornerBox anchor) {
    Preconditions.checkNotNull(box, "box");
    Preconditions.checkNotNull(anchor, "anchor");
    double ha = anchor.height() + EPSILON;
    double wa = anchor.width() + EPSILON;
    double h = box.height() + EPSILON;
    double w = box.width() + EPSILON;
    Preconditions.checkArgument(ha > 0 && wa > 0, "anchor %s must have positive height and width", anchor);
    Preconditions.checkArgument(h > 0 && w > 0, "box %s (encoded against anchor %s) must not be inverted", box,
        anchor);
    double ty = (box.centerY() - anchor.centerY()) / ha;
    double tx = (box.centerX() - anchor.centerX()) / wa;
    double th = Math.log(h / ha);
    double tw = Math.log(w / wa);
    return new BoxCode(ty * yScale, tx * xScale, th * heightScale, tw * widthScale);
  }

  public CornerBox decode(BoxCode code, CornerBox anchor) {
    Preconditions.checkNotNull(code, "code");
    Preconditions.checkNotNull(anchor, "anchor");
    double ha = anchor.height();
    double wa = anchor.width();
    double h = Math.exp(code.th() / heightScale) * ha;
    double w = Math.exp(code.tw() / widthScale) * wa;
    double cy = code.ty() / yScale * ha + anchor.centerY();
    double cx = code.tx() / xScale * wa + anchor.centerX();
    return CornerBox.fromCenterSize(cy, cx, h, w);
  }

  /** Encodes {@code boxes[i]} against {@code anchors[i]}. */
  public ImmutableList<BoxCode> encodeAll(List<CornerBox> boxes, List<CornerBox> anchors) {
    Preconditions.checkArgument(boxes.size() == anchors.size(),
        "encodeAll needs one anchor per box, got %s boxes and %s anchors", boxes.size(), anchors.size());
    ImmutableList.Builder<BoxCode> out = ImmutableList.builderWithExpectedSize(boxes.size());
    for (int i = 0; i < boxes.size(); i++) {
      out.add(encode(boxes.get(i), anchors.get(i)));
    }
    return out.build();
  }

  /** Decodes {@code codes[i]} against {@code anchors[i]}. */
  public ImmutableList<CornerBox> decodeAll(List<BoxCode> codes, List<CornerBox> anchors) {
    Preconditions.checkArgument(codes.size() == anchors.size(),
        "decodeAll needs one anchor per code, got %s codes and %s anchors", codes.size(), anchors.size());
    ImmutableList.Builder<CornerBox> out = ImmutableList.builderWithExpectedSize(codes.size());
    for (int i = 0; i < codes.size(); i++) {
      out.add(decode(codes.get(i), anchors.get(i)));
    }
    return out.build();
  }
}
