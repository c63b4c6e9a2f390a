package dev.nasnet.detection.boxes;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableDoubleArray;
import dev.nasnet.detection.boxes.CornerBox;

/**
 * Anchors on a regular grid, as the TF Object Detection API's GridAnchorGenerator makes them for Faster R-CNN.
 * Anchors are in absolute pixels, {@code [ymin, xmin, ymax, xmax]}.
 *
 * <p>Per scale {@code s} and aspect ratio {@code r} (width / height): {@code height = s * baseHeight / sqrt(r)},
 * {@code width = s * baseWidth * sqrt(r)}. Cell {@code (i, j)} is centred at
 * {@code (i * strideY + offsetY, j * strideX + offsetX)}: with offset 0 the first centre is the image corner.
 *
 * <p>Order: row-major over the grid (row i, then column j); within a cell the aspect ratio is the outer loop and the
 * scale the inner one (the OD API meshes scales against ratios with scales varying fastest), so anchor
 * {@code k} of a cell has ratio {@code ratios[k / numScales]} and scale {@code scales[k % numScales]}. Predictions of
 * shape {@code [H, W, numAnchorsPerCell * 4]} line up with this order when reshaped to {@code [H * W * A, 4]}.
 */
public record GridAnchorGenerator(ImmutableDoubleArray scales, ImmutableDoubleArray aspectRatios,
    double baseHeight, double baseWidth, double strideY, double strideX, double offsetY, double offsetX) {

  public GridAnchorGenerator {
    Preconditions.checkNotNull(scales, "scales");
    Preconditions.checkNotNull(aspectRatios, "aspectRatios");
    Preconditions.checkArgument(!scales.isEmpty(), "GridAnchorGenerator needs at least one scale");
    Preconditions.checkArgument(!aspectRatios.isEmpty(), "GridAnchorGenerator needs at least one aspect ratio");
    for (int i = 0; i < scales.length(); i++) {
      double s = scales.get(i);
      Preconditions.checkArgument(Double.isFinite(s) && s > 0, "scales[%s] must be finite and positive, got %s", (Integer) i, (Double) s);
    }
    for (int i = 0; i < aspectRatios.length(); i++) {
      double r = aspectRatios.get(i);
      Preconditions.checkArgument(Double.isFinite(r) && r > 0,
          "aspectRatios[%s] must be finite and positive, got %s", (Integer) i, (Double) r);
    }
    checkPositive(baseHeight, "baseHeight");
    checkPositive(baseWidth, "baseWidth");
    checkPositive(strideY, "strideY");
    checkPositive(strideX, "strideX");
    Preconditions.checkArgument(Double.isFinite(offsetY) && Double.isFinite(offsetX),
        "anchor offset must be finite, got (%s, %s)", offsetY, offsetX);
    scales = scales.trimmed();
    aspectRatios = aspectRatios.trimmed();
  }

  private static void checkPositive(double v, String name) {
    Preconditions.checkArgument(Double.isFinite(v) && v > 0, "GridAnchorGenerator %s must be finite and positive, "
        + "got %s", name, v);
  }

  /**
   * The faster_rcnn_nas_coco.config grid: scales 0.25, 0.5, 1, 2; ratios 0.5, 1, 2; base 256 x 256; stride 16 x 16;
   * offset 0 (12 anchors per cell, 64 to 512 px).
   */
  public static GridAnchorGenerator nasnetDefaults() {
    return new GridAnchorGenerator(ImmutableDoubleArray.of(0.25, 0.5, 1.0, 2.0), ImmutableDoubleArray.of(0.5, 1.0, 2.0),
        256, 256, 16, 16, 0, 0);
  }

  public GridAnchorGenerator withScales(double... newScales) {
    return new GridAnchorGenerator(ImmutableDoubleArray.copyOf(newScales), aspectRatios, baseHeight, baseWidth,
        strideY, strideX, offsetY, offsetX);
  }

  public GridAnchorGenerator withAspectRatios(double... newRatios) {
    return new GridAnchorGenerator(scales, ImmutableDoubleArray.copyOf(newRatios), baseHeight, baseWidth, strideY,
        strideX, offsetY, offsetX);
  }

  public GridAnchorGenerator withBaseSize(double height, double width) {
    return new GridAnchorGenerator(scales, aspectRatios, height, width, strideY, strideX, offsetY, offsetX);
  }

  public GridAnchorGenerator withStride(double y, double x) {
    return new GridAnchorGenerator(scales, aspectRatios, baseHeight, baseWidth, y, x, offsetY, offsetX);
  }

  public GridAnchorGenerator withOffset(double y, double x) {
    return new GridAnchorGenerator(scales, aspectRatios, baseHeight, baseWidth, strideY, strideX, y, x);
  }

  /** {@code numScales * numAspectRatios}, 12 for the NASNet config. */
  public int anchorsPerCell() {
    return scales.length() * aspectRatios.length();
  }

  /** Anchors for a {@code gridHeight x gridWidth} feature map, in the order described on the class. */
  public ImmutableList<CornerBox> generate(int gridHeight, int gridWidth) {
    Preconditions.checkArgument(gridHeight > 0 && gridWidth > 0,
        "feature map must be at least 1 x 1, got %s x %s", gridHeight, gridWidth);
    int perCell = anchorsPerCell();
    long total = (long) gridHeight * gridWidth * perCell;
    Preconditions.checkArgument(total <= Integer.MAX_VALUE, "%s x %s x %s anchors is too many", gridHeight, gridWidth,
        perCell);
    double[] heights = new double[perCell];
    double[] widths = new double[perCell];
    for (int k = 0; k < perCell; k++) {
      double scale = scales.get(k % scales.length());
      double ratioSqrt = Math.sqrt(aspectRatios.get(k / scales.length()));
      heights[k] = scale / ratioSqrt * baseHeight;
      widths[k] = scale * ratioSqrt * baseWidth;
    }
    ImmutableList.Builder<CornerBox> out = ImmutableList.builderWithExpectedSize((int) total);
    for (int i = 0; i < gridHeight; i++) {
      double cy = i * strideY + offsetY;
      for (int j = 0; j < gridWidth; j++) {
        double cx = j * strideX + offsetX;
        for (int k = 0; k < perCell; k++) {
          out.add(CornerBox.fromCenterSize(cy, cx, heights[k], widths[k]));
        }
      }
    }
    return out.build();
  }
}
