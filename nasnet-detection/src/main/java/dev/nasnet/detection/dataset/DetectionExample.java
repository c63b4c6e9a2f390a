package dev.nasnet.detection.dataset;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableIntArray;
import dev.nasnet.detection.boxes.CornerBox;
import java.util.ArrayList;
import java.util.List;

/**
 * One training image's ground truth, checked before it reaches a graph: an RGB image of known size, and boxes in its
 * pixels with class indices {@code 0..numClasses-1}. An image with no boxes is allowed (every anchor and proposal is
 * background). A box that sticks out of the image is clipped to it; a box that is NaN or infinite, empty, inverted,
 * or entirely outside, a class outside the set, or an image that is not three-channel is an error that names the
 * image and the box.
 *
 * @param image a name for messages (file, COCO image id)
 */
public record DetectionExample(String image, int width, int height, ImmutableList<CornerBox> boxes,
    ImmutableIntArray classes) {

  /** Holds what {@link #of} made; built directly, it still refuses empty, inverted or outside boxes. */
  public DetectionExample {
    Preconditions.checkArgument(boxes.size() == classes.length(), "%s: %s boxes but %s classes", image, boxes.size(),
        classes.length());
    for (int i = 0; i < boxes.size(); i++) {
      CornerBox b = boxes.get(i);
      Preconditions.checkArgument(b.ymax() > b.ymin() && b.xmax() > b.xmin() && b.ymin() >= 0 && b.xmin() >= 0
          && b.ymax() <= height && b.xmax() <= width, "%s, box %s %s: empty, inverted or outside the %sx%s image "
          + "(use DetectionExample.of to clip)", image, i, b, width, height);
      Preconditions.checkArgument(classes.get(i) >= 0, "%s, box %s: negative class %s", image, i, classes.get(i));
    }
  }

  /** {@link #of(String, int, int, int, double[][], int[], int)} for boxes already made. */
  public static DetectionExample of(String image, int width, int height, int channels, List<CornerBox> boxes,
      int[] classes, int numClasses) {
    double[][] raw = new double[boxes.size()][];
    for (int i = 0; i < raw.length; i++) {
      CornerBox b = boxes.get(i);
      raw[i] = new double[] {b.ymin(), b.xmin(), b.ymax(), b.xmax()};
    }
    return of(image, width, height, channels, raw, classes, numClasses);
  }

  /**
   * Checks and clips.
   *
   * @param boxes per box {@code ymin, xmin, ymax, xmax} in pixels
   * @param channels the image's channel count (the detector takes RGB)
   * @throws IllegalArgumentException naming the image, the box index and what is wrong
   */
  public static DetectionExample of(String image, int width, int height, int channels, double[][] boxes,
      int[] classes, int numClasses) {
    Preconditions.checkArgument(width > 0 && height > 0, "%s: image size must be positive, got %sx%s", image, width,
        height);
    Preconditions.checkArgument(channels == 3, "%s: image has %s channels; the detector takes RGB (3) images, "
        + "convert grey or RGBA ones first", image, channels);
    Preconditions.checkArgument(boxes.length == classes.length, "%s: %s boxes but %s classes", image, boxes.length,
        classes.length);
    List<CornerBox> clipped = new ArrayList<>(boxes.length);
    for (int i = 0; i < boxes.length; i++) {
      double[] b = boxes[i];
      String where = image + ", box " + i + " " + java.util.Arrays.toString(b);
      Preconditions.checkArgument(b.length == 4, "%s: a box is [ymin, xmin, ymax, xmax]", where);
      Preconditions.checkArgument(Double.isFinite(b[0]) && Double.isFinite(b[1]) && Double.isFinite(b[2])
          && Double.isFinite(b[3]), "%s: coordinates must be finite", where);
      Preconditions.checkArgument(b[2] > b[0] && b[3] > b[1], "%s: empty or inverted box (ymax must exceed ymin, "
          + "xmax xmin)", where);
      Preconditions.checkArgument(classes[i] >= 0 && classes[i] < numClasses, "%s: class %s is outside 0..%s",
          where, classes[i], numClasses - 1);
      double ymin = Math.max(0, b[0]);
      double xmin = Math.max(0, b[1]);
      double ymax = Math.min(height, b[2]);
      double xmax = Math.min(width, b[3]);
      Preconditions.checkArgument(ymax > ymin && xmax > xmin, "%s: box lies outside the %sx%s image", where, width,
          height);
      clipped.add(new CornerBox(ymin, xmin, ymax, xmax));
    }
    return new DetectionExample(image, width, height, ImmutableList.copyOf(clipped), ImmutableIntArray.copyOf(classes));
  }
}
