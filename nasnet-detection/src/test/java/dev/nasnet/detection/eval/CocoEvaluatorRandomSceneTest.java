package dev.nasnet.detection.eval;

import static dev.nasnet.detection.eval.CocoEvaluatorFixturesTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoDetection;
import dev.nasnet.detection.data.CocoResultsJson;
import java.io.IOException;
import java.io.Reader;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A seeded random scene (30 images, category ids with gaps, one category without GT, images without GT, crowd
 * regions, annotation areas below the box area, score ties, one image with 120 detections of a category).
 * Expected numbers: pycocotools 2.0.11 for COCO, a numpy port of voc_eval.py (stable sort) for VOC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CocoEvaluatorRandomSceneTest {

  private CocoDataset gt;
  private List<CocoDetection> dets;
  private JsonObject expected;

  @BeforeAll
  void load() throws IOException {
    try (Reader g = resource("random_gt.json"); Reader d = resource("random_results.json");
        Reader e = resource("random_expected.json")) {
      gt = CocoDataset.read(g, "random_gt.json");
      dets = CocoResultsJson.read(d, "random_results.json");
      expected = JsonParser.parseReader(e).getAsJsonObject();
    }
  }

  private static double[] doubles(JsonArray array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).getAsDouble();
    }
    return out;
  }

  @Test
  void summaryMatchesPycocotools() {
    CocoSummary s = CocoEvaluator.withDefaults().evaluate(gt, dets).summary();
    CocoEvaluatorFixturesTest.assertStats(s, doubles(expected.getAsJsonArray("stats")));
  }

  @Test
  void perCategoryMatchesPycocotools() {
    CocoEvaluation e = CocoEvaluator.withDefaults().evaluate(gt, dets);
    double[] ap = doubles(expected.getAsJsonArray("ap"));
    double[] ap50 = doubles(expected.getAsJsonArray("ap50"));
    double[] ar = doubles(expected.getAsJsonArray("ar"));
    assertThat(e.categories()).extracting(CategoryResult::categoryId).containsExactly(1, 3, 7, 9);
    for (int k = 0; k < 4; k++) {
      CategoryResult c = e.categories().get(k);
      assertThat(c.ap()).as("AP of %s", c.categoryId()).isCloseTo(ap[k], within(1e-9));
      assertThat(c.ap50()).as("AP50 of %s", c.categoryId()).isCloseTo(ap50[k], within(1e-9));
      assertThat(c.ar()).as("AR of %s", c.categoryId()).isCloseTo(ar[k], within(1e-9));
    }
  }

  @Test
  void vocMatchesTheNumpyPort() {
    assertVoc(VocEvaluator.voc07().evaluate(gt, dets), doubles(expected.getAsJsonArray("voc07")));
    assertVoc(VocEvaluator.voc12().evaluate(gt, dets), doubles(expected.getAsJsonArray("voc12")));
    assertVoc(new VocEvaluator(VocMetric.VOC12_ALL_POINT, 0.5, false).evaluate(gt, dets),
        doubles(expected.getAsJsonArray("voc12Continuous")));
  }

  private static void assertVoc(VocEvaluation e, double[] expected) {
    assertThat(e.averagePrecision().keySet()).containsExactly(1, 3, 7, 9);
    int k = 0;
    for (double ap : e.averagePrecision().values()) {
      assertThat(ap).as("%s AP of category index %s", e.metric(), k).isCloseTo(expected[k], within(1e-9));
      k++;
    }
  }
}
