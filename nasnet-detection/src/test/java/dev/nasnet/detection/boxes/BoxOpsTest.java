package dev.nasnet.detection.boxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoxOpsTest {

  private static CornerBox box(double ymin, double xmin, double ymax, double xmax) {
    return new CornerBox(ymin, xmin, ymax, xmax);
  }

  @Test
  void iouHandComputed() {
    assertThat(BoxOps.iou(box(0, 0, 10, 10), box(5, 5, 15, 15))).isCloseTo(25.0 / 175, within(1e-12));
    assertThat(BoxOps.iou(box(0, 0, 10, 10), box(0, 0, 10, 10))).isEqualTo(1.0);
    assertThat(BoxOps.iou(box(0, 0, 10, 10), box(0, 10, 10, 20))).as("touching").isZero();
    assertThat(BoxOps.iou(box(0, 0, 10, 10), box(20, 20, 30, 30))).isZero();
    assertThat(BoxOps.iou(box(3, 3, 3, 3), box(3, 3, 3, 3))).as("empty boxes give 0, not NaN").isZero();
    // A box inside another: intersection is the small one.
    assertThat(BoxOps.iou(box(0, 0, 10, 10), box(2, 2, 4, 7))).isCloseTo(10.0 / 100, within(1e-12));
  }

  @Test
  void iouMatrixHasRowsByColumns() {
    List<CornerBox> rows = List.of(box(0, 0, 10, 10), box(0, 0, 2, 2));
    List<CornerBox> cols = List.of(box(5, 5, 15, 15), box(0, 0, 10, 10), box(0, 0, 1, 2));
    double[][] m = BoxOps.iouMatrix(rows, cols);
    assertThat(m).hasDimensions(2, 3);
    assertThat(m[0][0]).isCloseTo(25.0 / 175, within(1e-12));
    assertThat(m[0][1]).isEqualTo(1.0);
    assertThat(m[0][2]).isCloseTo(2.0 / 100, within(1e-12));
    assertThat(m[1][0]).isZero();
    assertThat(m[1][1]).isCloseTo(4.0 / 100, within(1e-12));
    assertThat(m[1][2]).isCloseTo(2.0 / 4, within(1e-12));
    assertThat(BoxOps.iouMatrix(List.of(), cols)).isEmpty();
  }

  @Test
  void clipAndRemoveDegenerate() {
    CornerBox window = box(0, 0, 10, 20);
    List<CornerBox> boxes = List.of(box(-5, 3, 20, 8), box(20, 25, 30, 30), box(2, 2, 4, 4), box(1, 18, 3, 40));
    List<CornerBox> clipped = BoxOps.clipAll(boxes, window);
    assertThat(clipped).containsExactly(box(0, 3, 10, 8), box(10, 20, 10, 20), box(2, 2, 4, 4), box(1, 18, 3, 20));
    assertThat(BoxOps.nonDegenerateIndices(clipped, 0).asList()).containsExactly(0, 2, 3);
    // Side > 2 required: box 2 is 2 x 2 and box 3 is 2 tall.
    assertThat(BoxOps.nonDegenerateIndices(clipped, 2).asList()).containsExactly(0);
    assertThat(BoxOps.nonDegenerateIndices(List.of(box(5, 5, 4, 9)), 0).asList()).as("inverted").isEmpty();
    assertThat(BoxOps.insideWindowIndices(boxes, window).asList()).containsExactly(2);
    assertThat(BoxOps.insideWindowIndices(List.of(window), window).asList()).as("touching edges is inside")
        .containsExactly(0);
  }

  /**
   * Worked by hand (IoU threshold 0.5, score threshold 0.1):
   * 0 (0.90) kept; 3 (0.85) IoU with 0 = 50/150 = 0.33, kept; 1 (0.80) IoU with 0 = 81/119 = 0.68, suppressed;
   * 2 (0.70) overlaps no kept box, kept; 4 (0.60) IoU with 2 = 60/140 = 0.43, kept; 5 (0.05) below the score threshold.
   */
  private static final List<CornerBox> BOXES = List.of(box(0, 0, 10, 10), box(1, 1, 11, 11), box(0, 20, 10, 30),
      box(0, 5, 10, 15), box(0, 24, 10, 34), box(50, 50, 60, 60));
  private static final double[] SCORES = {0.9, 0.8, 0.7, 0.85, 0.6, 0.05};

  @Test
  void nmsHandWorked() {
    assertThat(BoxOps.nonMaxSuppression(BOXES, SCORES, 0.5, 0.1, 10).asList()).containsExactly(0, 3, 2, 4);
    // At 0.3, box 3 (0.33) and box 4 (0.43) are suppressed too.
    assertThat(BoxOps.nonMaxSuppression(BOXES, SCORES, 0.3, 0.1, 10).asList()).containsExactly(0, 2);
    assertThat(BoxOps.nonMaxSuppression(BOXES, SCORES, 0.5, 0.1, 2).asList()).containsExactly(0, 3);
    assertThat(BoxOps.nonMaxSuppression(BOXES, SCORES, 0.5, 0.0, 10).asList()).containsExactly(0, 3, 2, 4, 5);
    assertThat(BoxOps.nonMaxSuppression(BOXES, SCORES, 0.5, 0.1, 0).asList()).isEmpty();
  }

  @Test
  void nmsSuppressesOnlyAboveTheIouThresholdAndKeepsOnlyScoresAboveTheScoreThreshold() {
    // IoU exactly 0.25 (intersection 2, union 8).
    List<CornerBox> boxes = List.of(box(0, 0, 2, 2), box(0, 1, 2, 4));
    assertThat(BoxOps.iou(boxes.get(0), boxes.get(1))).isEqualTo(0.25);
    double[] scores = {0.9, 0.8};
    assertThat(BoxOps.nonMaxSuppression(boxes, scores, 0.25, 0, 5).asList()).containsExactly(0, 1);
    assertThat(BoxOps.nonMaxSuppression(boxes, scores, 0.24, 0, 5).asList()).containsExactly(0);
    assertThat(BoxOps.nonMaxSuppression(boxes, scores, 0.25, 0.8, 5).asList()).containsExactly(0);
  }

  @Test
  void nmsBreaksScoreTiesByLowerIndex() {
    List<CornerBox> same = List.of(box(0, 0, 10, 10), box(0, 0, 10, 10), box(0, 0, 10, 10));
    assertThat(BoxOps.nonMaxSuppression(same, new double[] {0.5, 0.7, 0.7}, 0.5, 0, 5).asList()).containsExactly(1);
    List<CornerBox> apart = List.of(box(0, 0, 1, 1), box(5, 5, 6, 6), box(9, 9, 10, 10));
    assertThat(BoxOps.nonMaxSuppression(apart, new double[] {0.3, 0.3, 0.3}, 0.5, 0, 5).asList())
        .containsExactly(0, 1, 2);
    assertThat(BoxOps.nonMaxSuppression(apart, new double[] {0.3, 0.3, 0.3}, 0.5, 0, 2).asList())
        .containsExactly(0, 1);
  }

  @Test
  void nmsRejectsMismatchedInputs() {
    assertThatThrownBy(() -> BoxOps.nonMaxSuppression(BOXES, new double[] {1}, 0.5, 0, 5))
        .hasMessageContaining("6 boxes and 1 scores");
    assertThatThrownBy(() -> BoxOps.nonMaxSuppression(BOXES, SCORES, 1.5, 0, 5)).hasMessageContaining("1.5");
    assertThatThrownBy(() -> BoxOps.nonMaxSuppression(BOXES, new double[] {0, 0, Double.NaN, 0, 0, 0}, 0.5, 0, 5))
        .hasMessageContaining("scores[2]");
  }

  @Test
  void cornerBoxConvertsToAndFromCocoXywh() {
    CornerBox b = box(2, 3, 12, 23);
    assertThat(b.toXywh()).isEqualTo(new dev.nasnet.detection.data.XywhBox(3, 2, 20, 10));
    assertThat(CornerBox.fromXywh(b.toXywh())).isEqualTo(b);
    assertThat(box(5, 5, 4, 9).area()).isZero();
    assertThatThrownBy(() -> box(0, Double.NaN, 1, 1)).hasMessageContaining("NaN");
  }
}
