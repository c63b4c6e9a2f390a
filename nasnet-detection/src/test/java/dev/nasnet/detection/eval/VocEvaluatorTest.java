package dev.nasnet.detection.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.XywhBox;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** VOC07 11-point and VOC12 all-point AP50 on cases whose answer can be worked out by hand (detection.md §3.2). */
class VocEvaluatorTest {

  private static final Offset<Double> TOL = within(1e-9);
  private static final VocEvaluator VOC07 = new VocEvaluator(VocMetric.VOC07_11_POINT, 0.5, false);
  private static final VocEvaluator VOC12 = new VocEvaluator(VocMetric.VOC12_ALL_POINT, 0.5, false);

  private static double ap(VocEvaluator evaluator, Fixture f) {
    return evaluator.evaluate(f.dataset(), f.detections()).meanAveragePrecision();
  }

  @Test
  void oneOfTwoFoundGivesSixEleventhsOrOneHalf() {
    // F3's scene: recall reaches 0.5 at precision 1, so 0, 0.1, ..., 0.5 score (6 of 11 points).
    Fixture f = Fixture.create().images(1, 2).categories(0)
        .gt(1, 0, 10, 20, 5, 5).gt(2, 0, 10, 20, 5, 5)
        .det(1, 0, 10, 20, 5, 5, 0.9);
    assertThat(ap(VOC07, f)).isCloseTo(6.0 / 11, TOL);
    assertThat(ap(VOC12, f)).isCloseTo(0.5, TOL);
  }

  @Test
  void falsePositiveRankedFirstHalvesAp() {
    // F4's scene: the FP (s .95) comes before the TP (s .9): precision 0.5 at recall 1.
    Fixture f = Fixture.create().images(1, 2).categories(0)
        .gt(1, 0, 10, 20, 5, 5)
        .det(1, 0, 10, 20, 5, 5, 0.9)
        .det(2, 0, 10, 20, 5, 5, 0.95);
    assertThat(ap(VOC07, f)).isCloseTo(0.5, TOL);
    assertThat(ap(VOC12, f)).isCloseTo(0.5, TOL);
  }

  @Test
  void elevenPointThresholdsAreNumpyArangeValues() {
    // Recall stops at exactly 0.7 < 0.7000000000000001 = 7 * 0.1: 7 points score, not 8.
    Fixture f = Fixture.create().images(1).categories(1);
    for (int i = 0; i < 10; i++) {
      f.gt(1, 1, i * 20, 0, 10, 10);
    }
    for (int i = 0; i < 7; i++) {
      f.det(1, 1, i * 20, 0, 10, 10, 0.9 - 0.01 * i);
    }
    assertThat(ap(VOC07, f)).isCloseTo(7.0 / 11, TOL);
    assertThat(ap(VOC12, f)).isCloseTo(0.7, TOL);
  }

  @Test
  void aDuplicateOnATakenGtIsAFalsePositiveEvenIfAnotherGtIsFree() {
    // The second detection overlaps A (IoU .905, taken) more than B (IoU .739, free). COCO would give it B.
    Fixture f = Fixture.create().images(1).categories(1)
        .gt(1, 1, 0, 0, 10, 10)
        .gt(1, 1, 2, 0, 10, 10)
        .det(1, 1, 0, 0, 10, 10, 0.9)
        .det(1, 1, 0.5, 0, 10, 10, 0.8);
    assertThat(ap(VOC12, f)).isCloseTo(0.5, TOL);
    assertThat(f.summary().ap50()).isCloseTo(1.0, TOL);
  }

  @Test
  void iouMustBeStrictlyAboveTheThreshold() {
    // IoU exactly 0.5 (continuous geometry): a TP for COCO (>=), a FP for VOC (>).
    Fixture f = Fixture.create().images(1).categories(1)
        .gt(1, 1, 0, 0, 10, 10)
        .det(1, 1, 0, 0, 10, 5, 0.9);
    assertThat(ap(VOC12, f)).isCloseTo(0.0, TOL);
    assertThat(f.summary().ap50()).isCloseTo(1.0, TOL);
  }

  @Test
  void difficultGtIsNeitherCountedNorPenalised() {
    Fixture f = Fixture.create().images(1).categories(1)
        .gt(1, 1, 0, 0, 10, 10)
        .annotation(new CocoAnnotation(2, 1, 1, new XywhBox(50, 50, 10, 10), 100, false, true))
        .det(1, 1, 50, 50, 10, 10, 0.95)
        .det(1, 1, 0, 0, 10, 10, 0.9);
    assertThat(ap(VOC12, f)).isCloseTo(1.0, TOL);
    assertThat(ap(VOC07, f)).isCloseTo(1.0, TOL);
  }

  @Test
  void pixelInclusiveSizesChangeTheIou() {
    VocEvaluator inclusive = VocEvaluator.voc12();
    XywhBox gt = new XywhBox(0, 0, 10, 10);
    XywhBox half = new XywhBox(0, 0, 10, 5);
    // +1 sizes: 11*6 / (11*11) = 0.5454...; continuous: 0.5.
    assertThat(inclusive.iou(half, gt)).isCloseTo(66.0 / 121, TOL);
    assertThat(VOC12.iou(half, gt)).isCloseTo(0.5, TOL);
  }

  @Test
  void categoryWithoutGtIsMinusOneAndLeftOutOfTheMean() {
    Fixture f = Fixture.create().images(1).categories(1, 2)
        .gt(1, 1, 0, 0, 10, 10)
        .det(1, 1, 0, 0, 10, 10, 0.9)
        .det(1, 2, 0, 0, 10, 10, 0.9);
    VocEvaluation e = VOC12.evaluate(f.dataset(), f.detections());
    assertThat(e.averagePrecision()).containsEntry(1, 1.0).containsEntry(2, -1.0);
    assertThat(e.meanAveragePrecision()).isCloseTo(1.0, TOL);
  }

  @Test
  void apFormulasOnKnownCurves() {
    double[] recall = {0.2, 0.4, 0.4, 0.6};
    double[] precision = {1.0, 1.0, 0.6666666666666666, 0.75};
    // All-point: 0.2*1 + 0.2*1 + 0.2*0.75 = 0.55. 11-point: 0..0.4 -> 1 (5 points), 0.5 -> 0.75; the "0.6" point
    // is 0.6000000000000001, above the final recall 0.6, so it scores 0.
    assertThat(VocEvaluator.allPointAp(recall, precision)).isCloseTo(0.55, TOL);
    assertThat(VocEvaluator.elevenPointAp(recall, precision)).isCloseTo((5 + 0.75) / 11, TOL);
    assertThat(VocEvaluator.allPointAp(new double[0], new double[0])).isEqualTo(0.0);
  }

  @Test
  void rejectsDetectionsOnUnknownImages() {
    Fixture f = Fixture.create().images(1).categories(1).gt(1, 1, 0, 0, 10, 10);
    f.det(1, 1, 0, 0, 10, 10, 0.9);
    var dets = new java.util.ArrayList<>(f.detections());
    dets.add(new dev.nasnet.detection.data.CocoDetection(99, 1, new XywhBox(0, 0, 1, 1), 0.5));
    assertThatThrownBy(() -> VOC12.evaluate(f.dataset(), dets))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detection[1]")
        .hasMessageContaining("image_id 99");
    assertThatThrownBy(() -> CocoEvaluator.withDefaults().evaluate(f.dataset(), dets))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detection[1]")
        .hasMessageContaining("image_id 99");
  }
}
