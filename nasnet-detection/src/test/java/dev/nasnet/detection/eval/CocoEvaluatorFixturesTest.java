package dev.nasnet.detection.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.common.io.CharStreams;
import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoDetection;
import dev.nasnet.detection.data.CocoResultsJson;
import dev.nasnet.detection.data.XywhBox;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The fixtures of detection.md §3.4 (F1-F4, F7), expected numbers computed with pycocotools 2.0.11. Cases marked
 * "extra" were computed here with the same pycocotools build.
 */
class CocoEvaluatorFixturesTest {

  private static final Offset<Double> TOL = within(1e-6);

  static Reader resource(String name) {
    return new InputStreamReader(
        Objects.requireNonNull(CocoEvaluatorFixturesTest.class.getResourceAsStream("/coco/" + name), name),
        StandardCharsets.UTF_8);
  }

  static void assertStats(CocoSummary s, double... expected) {
    assertThat(s.stats()).hasSize(12);
    for (int i = 0; i < 12; i++) {
      assertThat(s.stats().get(i)).as("stats[%s]", i).isCloseTo(expected[i], TOL);
    }
  }

  @Nested
  class F1TorchmetricsInputs {

    private CocoEvaluation evaluate() throws IOException {
      CocoDataset gt;
      List<CocoDetection> dets;
      try (Reader g = resource("f1_gt.json"); Reader d = resource("f1_results.json")) {
        gt = CocoDataset.read(g, "f1_gt.json");
        dets = CocoResultsJson.read(d, "f1_results.json");
      }
      return CocoEvaluator.withDefaults().evaluate(gt, dets);
    }

    @Test
    void summaryMatchesPycocotools() throws IOException {
      assertStats(evaluate().summary(), 0.7060198020, 0.9009900990, 0.8455445545, 0.6887788779, 0.8,
          0.7012376238, 0.592, 0.716, 0.716, 0.7666666667, 0.8, 0.7);
    }

    @Test
    void perClassApAndRecallMatchPycocotools() throws IOException {
      CocoEvaluation e = evaluate();
      double[] ap = {0.7251485149, 0.8, 0.4544554455, -1, 0.6504950495, 0.9};
      double[] ar = {0.78, 0.8, 0.45, -1, 0.65, 0.9};
      assertThat(e.categories()).extracting(CategoryResult::categoryId).containsExactly(0, 1, 2, 3, 4, 5);
      for (int k = 0; k < 6; k++) {
        assertThat(e.categories().get(k).ap()).as("AP of class %s", k).isCloseTo(ap[k], TOL);
        assertThat(e.categories().get(k).ar()).as("AR100 of class %s", k).isCloseTo(ar[k], TOL);
      }
      assertThat(e.category(3).orElseThrow().hasGroundTruth()).isFalse();
    }

    @Test
    void formatPrintsWhatSummarizePrints() throws IOException {
      // Captured from pycocotools 2.0.11's summarize() on the same files.
      String expected;
      try (Reader r = resource("f1_summary.txt")) {
        expected = CharStreams.toString(r);
      }
      assertThat(evaluate().summary().format()).isEqualTo(expected);
    }
  }

  @Test
  void f2DetectionOnImageWithoutGtStillCountsAsFalsePositive() {
    // xyxy [258,41,606,285] and [214,41,562,285]; scores tie, so image order puts the TP first.
    CocoSummary s = Fixture.create().images(0, 1).categories(0)
        .gt(0, 0, 214, 41, 348, 244)
        .det(0, 0, 258, 41, 348, 244, 0.536)
        .det(1, 0, 258, 41, 348, 244, 0.536)
        .summary();
    assertStats(s, 0.6, 1.0, 1.0, -1, -1, 0.6, 0.6, 0.6, 0.6, -1, -1, 0.6);
  }

  @Test
  void f2WithImagesSwappedPutsTheFalsePositiveFirstExtra() {
    CocoSummary s = Fixture.create().images(0, 1).categories(0)
        .gt(1, 0, 214, 41, 348, 244)
        .det(0, 0, 258, 41, 348, 244, 0.536)
        .det(1, 0, 258, 41, 348, 244, 0.536)
        .summary();
    assertStats(s, 0.3, 0.5, 0.5, -1, -1, 0.3, 0.6, 0.6, 0.6, -1, -1, 0.6);
  }

  @Test
  void f3MissingPredictionGives51Over101() {
    CocoSummary s = Fixture.create().images(1, 2).categories(0)
        .gt(1, 0, 10, 20, 5, 5).gt(2, 0, 10, 20, 5, 5)
        .det(1, 0, 10, 20, 5, 5, 0.9)
        .summary();
    assertThat(s.ap()).isCloseTo(51.0 / 101, TOL).isCloseTo(0.5049504950, TOL);
    assertThat(s.ar100()).isCloseTo(0.5, TOL);
    assertStats(s, 0.504950, 0.504950, 0.504950, 0.504950, -1, -1, 0.5, 0.5, 0.5, 0.5, -1, -1);
  }

  @Test
  void f4MissingGroundTruth() {
    CocoSummary s = Fixture.create().images(1, 2).categories(0)
        .gt(1, 0, 10, 20, 5, 5)
        .det(1, 0, 10, 20, 5, 5, 0.9)
        .det(2, 0, 10, 20, 5, 5, 0.95)
        .summary();
    assertThat(s.ap()).isCloseTo(0.5, TOL);
    assertThat(s.ar100()).isCloseTo(1.0, TOL);
    assertStats(s, 0.5, 0.5, 0.5, 0.5, -1, -1, 1, 1, 1, 1, -1, -1);
  }

  @Nested
  class F7EdgeCases {

    private Fixture crowdScene(boolean crowd) {
      return Fixture.create().images(1).categories(1)
          .gt(1, 1, 0, 0, 10, 10)
          .annotation(new CocoAnnotation(2, 1, 1, new XywhBox(20, 0, 20, 40), 800, crowd, false))
          .det(1, 1, 22, 2, 8, 8, 0.95)
          .det(1, 1, 0, 0, 10, 10, 0.9)
          .det(1, 1, 50, 50, 10, 10, 0.85)
          .det(1, 1, 25, 5, 10, 10, 0.7);
    }

    @Test
    void aCrowdRegionAbsorbsDetectionsAndIsNotAMiss() {
      CocoSummary s = crowdScene(true).summary();
      assertThat(s.ap()).isCloseTo(1.0, TOL);
      assertThat(s.ar1()).isCloseTo(0.0, TOL);
      assertThat(s.ar10()).isCloseTo(1.0, TOL);
      assertStats(s, 1, 1, 1, 1, -1, -1, 0, 1, 1, 1, -1, -1);
    }

    @Test
    void aWithoutTheCrowdFlag() {
      CocoSummary s = crowdScene(false).summary();
      assertThat(s.ap()).isCloseTo(0.252475, TOL);
      assertThat(s.ar100()).isCloseTo(0.5, TOL);
      assertStats(s, 0.252475, 0.252475, 0.252475, 0.252475, -1, -1, 0, 0.5, 0.5, 0.5, -1, -1);
    }

    @Test
    void bAnnotationIdZeroIsReadAsNoMatch() {
      Fixture zero = Fixture.create().images(1).categories(1)
          .annotation(new CocoAnnotation(0, 1, 1, new XywhBox(0, 0, 10, 10), 100, false, false))
          .det(1, 1, 0, 0, 10, 10, 0.9);
      assertThat(zero.summary().ap()).isCloseTo(0.0, TOL);
      // The quirk can be turned off, which gives the answer one would expect.
      CocoSummary fixed = new CocoEvaluator(CocoEvalParams.defaults().withGtIdZeroUnmatched(false))
          .evaluate(zero.dataset(), zero.detections()).summary();
      assertThat(fixed.ap()).isCloseTo(1.0, TOL);

      Fixture one = Fixture.create().images(1).categories(1)
          .gt(1, 1, 0, 0, 10, 10)
          .det(1, 1, 0, 0, 10, 10, 0.9);
      assertThat(one.summary().ap()).isCloseTo(1.0, TOL);
    }

    @Test
    void cTwelveObjectsAndTheDetectionCaps() {
      Fixture f = Fixture.create().images(1).categories(1);
      for (int i = 0; i < 12; i++) {
        f.gt(1, 1, i * 20, 0, 10, 10);
      }
      for (int i = 0; i < 12; i++) {
        f.det(1, 1, i * 20, 0, 10, 10, 1.0 - 0.01 * i);
      }
      CocoSummary s = f.summary();
      assertThat(s.ap()).isCloseTo(1.0, TOL);
      assertThat(s.ar1()).isCloseTo(1.0 / 12, TOL);
      assertThat(s.ar10()).isCloseTo(10.0 / 12, TOL);
      assertThat(s.ar100()).isCloseTo(1.0, TOL);
    }

    @Test
    void dIouOfExactlyPointSixMatchesUpToThreshold060() {
      CocoSummary s = Fixture.create().images(1).categories(1)
          .gt(1, 1, 0, 0, 10, 10)
          .det(1, 1, 0, 0, 10, 6, 0.9)
          .det(1, 1, 0, 0, 10, 10, 0.8)
          .summary();
      assertThat(s.ap()).isCloseTo(0.65, TOL);
      assertThat(s.ap50()).isCloseTo(1.0, TOL);
      assertThat(s.ap75()).isCloseTo(0.5, TOL);
      assertThat(s.ar1()).isCloseTo(0.3, TOL);
    }

    @Test
    void eAreaBucketsUseTheAnnotationAreaNotTheBox() {
      Fixture small = Fixture.create().images(1).categories(1)
          .annotation(new CocoAnnotation(1, 1, 1, new XywhBox(0, 0, 40, 40), 900, false, false))
          .det(1, 1, 0, 0, 40, 40, 0.9);
      CocoSummary s = small.summary();
      assertThat(s.apSmall()).isCloseTo(1.0, TOL);
      assertThat(s.apMedium()).isEqualTo(-1.0);
      assertThat(s.arMedium()).isEqualTo(-1.0);

      Fixture medium = Fixture.create().images(1).categories(1)
          .annotation(new CocoAnnotation(1, 1, 1, new XywhBox(0, 0, 40, 40), 1600, false, false))
          .det(1, 1, 0, 0, 40, 40, 0.9);
      CocoSummary m = medium.summary();
      assertThat(m.apSmall()).isEqualTo(-1.0);
      assertThat(m.apMedium()).isCloseTo(1.0, TOL);
      assertStats(m, 1, 1, 1, -1, 1, -1, 1, 1, 1, -1, 1, -1);
    }

    @Test
    void eAreaOfExactly32SquaredIsSmallAndMediumExtra() {
      CocoSummary s = Fixture.create().images(1).categories(1)
          .gt(1, 1, 0, 0, 32, 32)
          .det(1, 1, 0, 0, 32, 32, 0.9)
          .summary();
      assertStats(s, 1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, -1);
    }

    @Test
    void fCategoryOnlyInDetectionsIsIgnored() {
      Fixture f = Fixture.create().images(1).categories(1)
          .gt(1, 1, 0, 0, 10, 10)
          .det(1, 1, 0, 0, 10, 10, 0.9)
          .det(1, 2, 0, 0, 10, 10, 0.95);
      CocoEvaluation e = f.evaluate();
      assertThat(e.summary().ap()).isCloseTo(1.0, TOL);
      assertThat(e.categories()).extracting(CategoryResult::categoryId).containsExactly(1);

      // Declared but without GT: reported as -1 and left out of the mean.
      CocoEvaluation declared = f.categories(2).evaluate();
      assertThat(declared.summary().ap()).isCloseTo(1.0, TOL);
      assertThat(declared.category(2).orElseThrow().ap()).isEqualTo(-1.0);
    }

    @Test
    void gScoreTiesKeepInputOrder() {
      CocoSummary fpFirst = Fixture.create().images(1).categories(1)
          .gt(1, 1, 0, 0, 10, 10)
          .det(1, 1, 50, 50, 10, 10, 0.9)
          .det(1, 1, 0, 0, 10, 10, 0.9)
          .summary();
      assertThat(fpFirst.ap()).isCloseTo(0.5, TOL);
      assertThat(fpFirst.ar1()).isCloseTo(0.0, TOL);
      CocoSummary tpFirst = Fixture.create().images(1).categories(1)
          .gt(1, 1, 0, 0, 10, 10)
          .det(1, 1, 0, 0, 10, 10, 0.9)
          .det(1, 1, 50, 50, 10, 10, 0.9)
          .summary();
      assertThat(tpFirst.ap()).isCloseTo(1.0, TOL);
    }
  }

  @Test
  void maxDetsCapIsPerImageAndCategoryExtra() {
    Fixture f = Fixture.create().images(1).categories(1, 2);
    for (int i = 0; i < 4; i++) {
      f.gt(1, 1 + i % 2, i * 20, 0, 10, 10);
    }
    for (int i = 0; i < 4; i++) {
      f.det(1, 1 + i % 2, i * 20, 0, 10, 10, 0.5 + 0.01 * i);
    }
    assertStats(f.summary(), 1, 1, 1, 1, -1, -1, 0.5, 1, 1, 1, -1, -1);
  }
}
