package dev.nasnet.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.detection.data.CocoCategory;
import dev.nasnet.detection.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FasterRcnnConfigTest {
  private static final List<CocoCategory> COCO_LIKE = List.of(new CocoCategory(1, "person", "human"),
      new CocoCategory(3, "car", "vehicle"), new CocoCategory(90, "toothbrush", "indoor"));

  @Test
  void presetsCarryTheObjectDetectionApiSettings() {
    FasterRcnnConfig nas = FasterRcnnConfig.nasCoco(COCO_LIKE);
    assertThat(nas.backbone().name()).isEqualTo("nasnet_a_large");
    assertThat(nas.inputSize()).isEqualTo(1200);
    assertThat(nas.splitCell()).isEqualTo(11);
    assertThat(nas.anchors().anchorsPerCell()).isEqualTo(12);
    assertThat(nas.anchors().strideY()).isEqualTo(16);
    assertThat(nas.rpnDepth()).isEqualTo(512);
    assertThat(nas.rpnMinibatch()).isEqualTo(256);
    assertThat(nas.rpnPositiveFraction()).isEqualTo(0.5);
    assertThat(nas.proposalNmsIou()).isEqualTo(0.7);
    assertThat(nas.maxProposals()).isEqualTo(500);
    assertThat(nas.secondStageBatch()).isEqualTo(64);
    assertThat(nas.secondStagePositiveFraction()).isEqualTo(0.25);
    assertThat(nas.cropSize()).isEqualTo(17);
    assertThat(nas.lossWeights()).isEqualTo(new LossWeights(2f, 1f, 2f, 1f));
    assertThat(nas.postProcessing()).isEqualTo(new PostProcessing(0.0, 0.6, 100, 100));
    assertThat(nas.backbone().numClasses()).isZero();
    assertThat(nas.backbone().auxHead()).isFalse();

    FasterRcnnConfig low = FasterRcnnConfig.nasCocoLowProposals(COCO_LIKE);
    assertThat(low.maxProposals()).isEqualTo(50);
    assertThat(low.secondStageBatch()).isEqualTo(49);
    assertThat(low.backbone()).isEqualTo(nas.backbone());

    FasterRcnnConfig mobile = FasterRcnnConfig.mobileCpu(COCO_LIKE);
    assertThat(mobile.backbone().name()).isEqualTo("nasnet_a_mobile");
    assertThat(mobile.splitCell()).isEqualTo(7);
    assertThat(mobile.inputSize()).isEqualTo(320);
  }

  @Test
  void theJsonFormRoundTripsEveryField() {
    for (FasterRcnnConfig c : List.of(FasterRcnnConfig.nasCoco(COCO_LIKE), FasterRcnnConfig.mobileCpu(COCO_LIKE),
        FasterRcnnConfig.shapes(96, COCO_LIKE))) {
      assertThat(FasterRcnnConfigJson.fromJson(FasterRcnnConfigJson.toJson(c), "test")).isEqualTo(c);
    }
  }

  @Test
  void badConfigsNameWhatIsWrong() {
    String json = FasterRcnnConfigJson.toJson(FasterRcnnConfig.mobileCpu(COCO_LIKE));
    assertThatThrownBy(() -> FasterRcnnConfigJson.fromJson(json.replace("\"crop_size\"", "\"crop\""), "m/detector.json"))
        .hasMessageContaining("m/detector.json").hasMessageContaining("crop_size");
    assertThatThrownBy(() -> FasterRcnnConfig.mobileCpu(List.of(new CocoCategory(1, "a", ""),
        new CocoCategory(1, "b", "")))).hasMessageContaining("category id 1 appears twice");
    assertThatThrownBy(() -> FasterRcnnConfig.mobileCpu(COCO_LIKE).toBuilder().splitCell(11).build())
        .hasMessageContaining("split cell must be in 1..10");
    assertThatThrownBy(() -> FasterRcnnConfig.preset("yolo", COCO_LIKE)).hasMessageContaining("mobile-cpu");
  }

  @Test
  void theMobilePresetDetectsOnImagesOfAnySizeWithUntrainedWeights() {
    try (FasterRcnnDetector detector = FasterRcnnDetector.create(FasterRcnnConfig.mobileCpu(COCO_LIKE))) {
      // Headless NASNet-A Mobile (4,269,716 with batch-norm statistics) + RPN (3x3x1056x256 conv, 1x1 to 9x4 codes
      // and 9x2 logits, with biases) + box classifier (1056 -> 4 logits, 1056 -> 3x4 codes): the two stages hold the
      // whole backbone exactly once.
      long rpn = (3 * 3 * 1056 * 256 + 256) + (256 * 36 + 36) + (256 * 18 + 18);
      long classifier = (1056 * 4 + 4) + (1056 * 12 + 12);
      assertThat(detector.parameterCount()).isEqualTo(4_269_716 + rpn + classifier).isEqualTo(6_733_786);
      RgbImage odd = new RgbImage(333, 250, noise(333 * 250 * 3));
      List<Detection> found = detector.detect(odd);
      assertThat(found).isNotEmpty().hasSizeLessThanOrEqualTo(100);
      for (Detection d : found) {
        assertThat(d.box().xmin()).isBetween(0.0, 333.0);
        assertThat(d.box().xmax()).isBetween(d.box().xmin(), 333.0);
        assertThat(d.box().ymax()).isBetween(d.box().ymin(), 250.0);
        assertThat(List.of(1, 3, 90)).contains(d.categoryId());
        assertThat(d.label()).isEqualTo(COCO_LIKE.get(d.classIndex()).name());
      }
    }
  }

  private static byte[] noise(int n) {
    byte[] b = new byte[n];
    new java.util.Random(3).nextBytes(b);
    return b;
  }

  /** A detector.json written by version 0.1 (tools/json-fixtures/MakeFixtures.java), training settings included. */
  @Test
  void version01DetectorFilesStillRead() throws Exception {
    String json;
    try (var in = FasterRcnnConfigTest.class.getResourceAsStream("/json-0.1/detector-shapes.json")) {
      json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(json).contains("weight_decay");
    FasterRcnnConfig read = FasterRcnnConfigJson.fromJson(json, "detector.json");
    FasterRcnnConfig shapes = FasterRcnnConfig.shapes(64, List.of(new CocoCategory(1, "square", "shape"),
        new CocoCategory(2, "disc", "shape")));
    assertThat(read).isEqualTo(shapes);
    assertThat(FasterRcnnConfigJson.fromJson(FasterRcnnConfigJson.toJson(read), "again")).isEqualTo(read);
    // The regularisation the shapes detector trained with then, now a training setting.
    assertThat(DetectorTrainingConfig.regularizationFor(shapes))
        .isEqualTo(new dev.nasnet.core.model.Regularization(1.0, 1.0, 5e-5, 0.9f));
    assertThatThrownBy(() -> FasterRcnnConfigJson.fromJson(json.replace("\"split_cell\"", "\"split\""), "d.json"))
        .hasMessage("d.json: detector config lacks 'split_cell'");
  }
}
