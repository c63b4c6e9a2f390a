package dev.nasnet.detection.boxes;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableIntArray;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Box-list operations of the Faster R-CNN pipeline: IoU, clipping to the image window, pruning, and greedy NMS.
 * Operations that drop boxes return the kept <em>indices</em> so callers can keep scores, labels and anchors aligned.
 */
public final class BoxOps {

  private BoxOps() {}

  /** IoU of two boxes; 0 when they do not overlap or the union is empty (so two empty boxes give 0, not NaN). */
  public static double iou(CornerBox a, CornerBox b) {
    double ih = Math.min(a.ymax(), b.ymax()) - Math.max(a.ymin(), b.ymin());
    double iw = Math.min(a.xmax(), b.xmax()) - Math.max(a.xmin(), b.xmin());
    if (ih <= 0 || iw <= 0) {
      return 0;
    }
    double inter = ih * iw;
    double union = a.area() + b.area() - inter;
    return union > 0 ? inter / union : 0;
  }

  /**
   * IoU of every pair: {@code result[i][j] = iou(rows[i], columns[j])}. The matcher takes ground truth as rows and
   * anchors/proposals as columns. A fresh array each call.
   */
  public static double[][] iouMatrix(List<CornerBox> rows, List<CornerBox> columns) {
    Preconditions.checkNotNull(rows, "rows");
    Preconditions.checkNotNull(columns, "columns");
    double[][] out = new double[rows.size()][columns.size()];
    for (int i = 0; i < rows.size(); i++) {
      CornerBox r = rows.get(i);
      for (int j = 0; j < columns.size(); j++) {
        out[i][j] = iou(r, columns.get(j));
      }
    }
    return out;
  }

  /**
   * Clamps every corner into the window. A box entirely outside ends up with zero height or width; inference uses this
   * on anchors and proposals (training prunes instead, see {@link #insideWindowIndices}).
   */
  public static CornerBox clip(CornerBox box, CornerBox window) {
    checkWindow(window);
    return new CornerBox(clamp(box.ymin(), window.ymin(), window.ymax()),
        clamp(box.xmin(), window.xmin(), window.xmax()),
        clamp(box.ymax(), window.ymin(), window.ymax()),
        clamp(box.xmax(), window.xmin(), window.xmax()));
  }

  /** {@link #clip} applied to each box; the result is aligned with the input. */
  public static ImmutableList<CornerBox> clipAll(List<CornerBox> boxes, CornerBox window) {
    checkWindow(window);
    ImmutableList.Builder<CornerBox> out = ImmutableList.builderWithExpectedSize(boxes.size());
    for (CornerBox b : boxes) {
      out.add(clip(b, window));
    }
    return out.build();
  }

  /**
   * Indices, ascending, of the boxes that lie entirely inside the window (edges may touch). Training drops anchors
   * that cross the image border this way.
   */
  public static ImmutableIntArray insideWindowIndices(List<CornerBox> boxes, CornerBox window) {
    checkWindow(window);
    ImmutableIntArray.Builder out = ImmutableIntArray.builder();
    for (int i = 0; i < boxes.size(); i++) {
      CornerBox b = boxes.get(i);
      if (b.ymin() >= window.ymin() && b.xmin() >= window.xmin() && b.ymax() <= window.ymax()
          && b.xmax() <= window.xmax()) {
        out.add(i);
      }
    }
    return out.build();
  }

  /**
   * Indices, ascending, of the boxes whose height and width both exceed {@code minSide}. With {@code minSide = 0}
   * this drops zero-area and inverted boxes, such as those {@link #clip} leaves for boxes outside the window.
   */
  public static ImmutableIntArray nonDegenerateIndices(List<CornerBox> boxes, double minSide) {
    Preconditions.checkArgument(Double.isFinite(minSide) && minSide >= 0,
        "nonDegenerateIndices: minSide must be finite and >= 0, got %s", minSide);
    ImmutableIntArray.Builder out = ImmutableIntArray.builder();
    for (int i = 0; i < boxes.size(); i++) {
      CornerBox b = boxes.get(i);
      if (b.height() > minSide && b.width() > minSide) {
        out.add(i);
      }
    }
    return out.build();
  }

  /**
   * Greedy non-maximum suppression. Candidates are the boxes with {@code score > scoreThreshold} (strictly, as TF's
   * NMS kernel filters), visited by descending score with ties broken by the lower index so the result never depends
   * on sort stability; a candidate is kept unless its IoU with an already-kept box is greater than
   * {@code iouThreshold}. Stops after {@code maxOutputs} boxes.
   *
   * @return kept indices in selection order (descending score)
   */
  public static ImmutableIntArray nonMaxSuppression(List<CornerBox> boxes, double[] scores, double iouThreshold,
      double scoreThreshold, int maxOutputs) {
    Preconditions.checkNotNull(boxes, "boxes");
    Preconditions.checkNotNull(scores, "scores");
    Preconditions.checkArgument(boxes.size() == scores.length,
        "nonMaxSuppression needs one score per box, got %s boxes and %s scores", boxes.size(), scores.length);
    Preconditions.checkArgument(iouThreshold >= 0 && iouThreshold <= 1,
        "nonMaxSuppression: iouThreshold must be in [0, 1], got %s", iouThreshold);
    Preconditions.checkArgument(!Double.isNaN(scoreThreshold), "nonMaxSuppression: scoreThreshold is NaN");
    Preconditions.checkArgument(maxOutputs >= 0, "nonMaxSuppression: maxOutputs must be >= 0, got %s", maxOutputs);
    for (int i = 0; i < scores.length; i++) {
      Preconditions.checkArgument(!Double.isNaN(scores[i]), "nonMaxSuppression: scores[%s] is NaN", i);
    }
    Integer[] order = IntStream.range(0, scores.length)
        .filter(i -> scores[i] > scoreThreshold)
        .boxed()
        .toArray(Integer[]::new);
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    ImmutableIntArray.Builder kept = ImmutableIntArray.builder();
    int[] keptSoFar = new int[Math.min(maxOutputs, order.length)];
    int numKept = 0;
    for (int candidate : order) {
      if (numKept >= maxOutputs) {
        break;
      }
      CornerBox box = boxes.get(candidate);
      boolean suppressed = false;
      for (int k = 0; k < numKept && !suppressed; k++) {
        suppressed = iou(box, boxes.get(keptSoFar[k])) > iouThreshold;
      }
      if (!suppressed) {
        keptSoFar[numKept++] = candidate;
        kept.add(candidate);
      }
    }
    return kept.build();
  }

  private static void checkWindow(CornerBox window) {
    Preconditions.checkNotNull(window, "window");
    Preconditions.checkArgument(window.height() >= 0 && window.width() >= 0, "window %s is inverted", window);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
