package dev.nasnet.detection.synthetic;

import com.google.common.base.Preconditions;

/**
 * Parameters of {@link ShapesDataset}.
 *
 * @param minShapeSize smallest bounding-box side drawn, in pixels
 * @param maxShapeSize largest bounding-box side drawn, in pixels (capped by the image size)
 * @param maxObjects each image gets a uniform 0..maxObjects objects (fewer when they do not fit without touching)
 */
public record ShapesConfig(int imageWidth, int imageHeight, int maxObjects, int minShapeSize, int maxShapeSize) {

  public ShapesConfig {
    Preconditions.checkArgument(imageWidth > 0 && imageHeight > 0, "ShapesConfig image size must be positive, got "
        + "%s x %s", imageWidth, imageHeight);
    Preconditions.checkArgument(maxObjects >= 0, "ShapesConfig maxObjects must be >= 0, got %s", maxObjects);
    Preconditions.checkArgument(minShapeSize >= 3, "ShapesConfig minShapeSize must be >= 3 px, got %s", minShapeSize);
    Preconditions.checkArgument(maxShapeSize >= minShapeSize,
        "ShapesConfig maxShapeSize %s is below minShapeSize %s", maxShapeSize, minShapeSize);
    Preconditions.checkArgument(minShapeSize <= Math.min(imageWidth, imageHeight),
        "ShapesConfig minShapeSize %s does not fit a %s x %s image", minShapeSize, imageWidth, imageHeight);
  }

  /** 128 x 96 images, up to 4 objects of 8..48 px: small enough for quick training smoke tests. */
  public static ShapesConfig small() {
    return new ShapesConfig(128, 96, 4, 8, 48);
  }
}
