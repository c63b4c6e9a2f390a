package dev.nasnet.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nasnet.core.checkpoint.TrainingState;
import dev.nasnet.core.train.StepMetrics;
import dev.nasnet.core.train.TrainingListener;
import dev.nasnet.core.train.TrainingRun;
import dev.nasnet.detection.image.RgbImage;
import dev.nasnet.detection.synthetic.ShapesConfig;
import dev.nasnet.detection.synthetic.ShapesDataset;
import dev.nasnet.detection.dataset.DetectionDataset;
import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableIntArray;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.dataset.DetectionExample;
import dev.nasnet.detection.dataset.TrainingSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The detector API end to end on a tiny shapes detector trained briefly (CI's "tiny version"): the losses fall, the
 * inference graph answers in the caller's pixels for any image size, and the model directory and the SavedModel give
 * the same detections as the trainer's weights.
 */
class FasterRcnnDetectorTest {
  private static final int STEPS = 60;
  @TempDir
  static Path dir;
  private static DetectionDataset data;
  private static FasterRcnnConfig config;
  private static FasterRcnnTrainer trainer;
  private static FasterRcnnDetector detector;
  private static final List<StepMetrics> losses = new ArrayList<>();

  @BeforeAll
  static void train() throws Exception {
    ShapesDataset shapes = ShapesDataset.generate(new ShapesConfig(64, 64, 3, 10, 28), 16, 11);
    data = DetectionDataset.of(shapes);
    FasterRcnnConfig base = FasterRcnnConfig.shapes(64, data.categories());
    config = base.toBuilder().backbone(base.backbone().toBuilder().notation(2, 48).build()).build();
    trainer = new FasterRcnnTrainer(config, DetectorTrainingConfig.of(config, 2, STEPS, 0.03).withCheckpointEvery(30));
    trainer.fit(data, TrainingRun.in(dir.resolve("model")).withListener(TrainingListener.ofSteps((step, total, l) -> losses.add(l))));
    detector = trainer.detector();
  }

  @AfterAll
  static void close() {
    detector.close();
    trainer.close();
  }

  @Test
  void theLossesFall() {
    assertThat(losses).hasSize(STEPS);
    double first = mean(losses.subList(0, 10));
    double last = mean(losses.subList(STEPS - 10, STEPS));
    assertThat(last).as("mean total loss of the first and last 10 steps").isLessThan(0.6 * first);
    double objectnessFirst = losses.subList(0, 10).stream().mapToDouble(m -> m.get("rpn_objectness")).average()
        .orElseThrow();
    double objectnessLast = losses.subList(STEPS - 10, STEPS).stream().mapToDouble(m -> m.get("rpn_objectness"))
        .average().orElseThrow();
    assertThat(objectnessLast).isLessThan(0.5 * objectnessFirst);
  }

  @Test
  void detectionsAreInTheCallersPixelsWhateverTheImageSize() {
    RgbImage small = data.image(0);
    // Nearest-neighbour x2: the fixed-size resize samples exactly the original pixels back, so the network sees the
    // same input and every box must come back exactly twice as large.
    RgbImage large = upsample(small, 2);
    List<Detection> a = detector.detect(small);
    List<Detection> b = detector.detect(large);
    assertThat(a).isNotEmpty().hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).score()).isCloseTo(a.get(i).score(), within(1e-5));
      assertThat(b.get(i).classIndex()).isEqualTo(a.get(i).classIndex());
      assertThat(b.get(i).box().ymin()).isCloseTo(2 * a.get(i).box().ymin(), within(1e-3));
      assertThat(b.get(i).box().xmax()).isCloseTo(2 * a.get(i).box().xmax(), within(1e-3));
    }
    RgbImage wide = new RgbImage(100, 40, new byte[100 * 40 * 3]);
    for (Detection d : detector.detect(wide, config.postProcessing())) {
      assertThat(d.box().xmax()).isLessThanOrEqualTo(100.0 + 1e-3);
      assertThat(d.box().ymax()).isLessThanOrEqualTo(40.0 + 1e-3);
      assertThat(d.box().ymin()).isGreaterThanOrEqualTo(0.0);
    }
  }

  @Test
  void postProcessingSettingsApplyPerCall() {
    RgbImage image = data.image(1);
    List<Detection> all = detector.detect(image);
    assertThat(all.size()).isLessThanOrEqualTo(config.postProcessing().maxTotal());
    List<Detection> confident = detector.detect(image, config.postProcessing().withScoreThreshold(0.5));
    assertThat(confident).allSatisfy(d -> assertThat(d.score()).isGreaterThan(0.5));
    assertThat(confident.size()).isEqualTo((int) all.stream().filter(d -> d.score() > 0.5).count());
    assertThat(detector.detect(image, config.postProcessing().withMaxTotal(3))).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void theModelDirectoryRestoresTheTrainedDetector() throws Exception {
    Path model = dir.resolve("model");
    assertThat(TrainingState.read(model)).hasValueSatisfying(s -> assertThat(s.step()).isEqualTo(STEPS));
    // The one training loop's files, as the classifier writes them: named loss columns, events, the curves.
    List<String> metrics = Files.readAllLines(model.resolve("metrics.csv"));
    assertThat(metrics.get(0)).isEqualTo("step,epoch,split,loss,rpn_localization,rpn_objectness,localization,"
        + "classification,regularization,learning_rate,images_per_second,wall_seconds");
    assertThat(metrics).hasSizeGreaterThan(1);
    assertThat(model.resolve("learning_curves.png")).isNotEmptyFile();
    try (var files = Files.list(model)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(f -> f.startsWith("events.out.tfevents."));
    }
    try (FasterRcnnDetector loaded = FasterRcnnDetector.load(model)) {
      assertThat(loaded.config()).isEqualTo(config);
      assertThat(loaded.detect(data.image(2))).isEqualTo(detector.detect(data.image(2)));
    }
    assertThatThrownBy(() -> FasterRcnnDetector.load(dir.resolve("nothing-here")))
        .hasMessageContaining("nothing-here").hasMessageContaining("detector.json");
  }

  @Test
  void theSavedModelGivesTheSameOutputsUnderTheUsualNames() throws Exception {
    Path saved = dir.resolve("saved_model");
    detector.exportSavedModel(saved);
    RgbImage image = data.image(3);
    List<Detection> expected = detector.detect(image);
    try (SavedModelBundle bundle = SavedModelBundle.load(saved.toString(), "serve");
        TUint8 pixels = TUint8.tensorOf(Shape.of(1, image.height(), image.width(), 3),
            DataBuffers.of(image.rgb(), true, false));
        Result r = bundle.function("serving_default").call(Map.of("image_tensor", pixels))) {
      TFloat32 boxes = (TFloat32) r.get("detection_boxes").orElseThrow();
      TFloat32 scores = (TFloat32) r.get("detection_scores").orElseThrow();
      TFloat32 classes = (TFloat32) r.get("detection_classes").orElseThrow();
      TFloat32 count = (TFloat32) r.get("num_detections").orElseThrow();
      assertThat((int) count.getFloat(0)).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        Detection d = expected.get(i);
        assertThat(scores.getFloat(0, i)).isCloseTo((float) d.score(), within(1e-5f));
        assertThat(classes.getFloat(0, i)).isEqualTo((float) d.categoryId());
        assertThat(boxes.getFloat(0, i, 1) * image.width()).isCloseTo((float) d.box().xmin(), within(1e-3f));
        assertThat(boxes.getFloat(0, i, 2) * image.height()).isCloseTo((float) d.box().ymax(), within(1e-3f));
      }
    }
  }

  @Test
  void resumingContinuesAtTheSavedStep() throws Exception {
    Path run = dir.resolve("resume");
    DetectorTrainingConfig four = DetectorTrainingConfig.of(config, 2, 4, 0.01);
    try (FasterRcnnTrainer t = new FasterRcnnTrainer(config, four)) {
      t.fit(data, TrainingRun.in(run));
    }
    List<Long> steps = new ArrayList<>();
    try (FasterRcnnTrainer t = new FasterRcnnTrainer(config, DetectorTrainingConfig.of(config, 2, 6, 0.01))) {
      FasterRcnnTrainer.Summary summary = t.fit(data, TrainingRun.in(run).resuming()
          .withListener(TrainingListener.ofSteps((s, total, l) -> steps.add(s))));
      assertThat(summary.firstStep()).isEqualTo(4);
    }
    assertThat(steps).containsExactly(5L, 6L);
    assertThat(TrainingState.read(run).orElseThrow().step()).isEqualTo(6);
  }

  @Test
  void badBatchesAreRefusedBeforeTheyReachTheGraph() {
    TrainingSample good = data.sample(0, config.categories());
    assertThatThrownBy(() -> trainer.step(List.of(good), 0, 0.01)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes 2 images, got 1");
    RgbImage image = new RgbImage(64, 64, new byte[64 * 64 * 3]);
    DetectionExample classSeven = DetectionExample.of("seven.png", 64, 64, 3,
        List.of(new CornerBox(4, 4, 20, 20)), new int[] {7}, 10);
    assertThatThrownBy(() -> trainer.step(List.of(good, new TrainingSample(image, classSeven)), 0, 0.01))
        .hasMessageContaining("seven.png, box 0: class 7 is outside the detector's 0..2");
    assertThatThrownBy(() -> new DetectionExample("raw.png", 64, 64, ImmutableList.of(new CornerBox(10, 10, 10, 30)),
        ImmutableIntArray.of(0))).hasMessageContaining("raw.png, box 0").hasMessageContaining("empty");
    RgbImage small = new RgbImage(32, 32, new byte[32 * 32 * 3]);
    assertThatThrownBy(() -> new TrainingSample(small, classSeven)).hasMessageContaining("seven.png")
        .hasMessageContaining("32x32");
  }

  private static double mean(List<StepMetrics> l) {
    return l.stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
  }

  private static RgbImage upsample(RgbImage image, int f) {
    int w = image.width() * f;
    int h = image.height() * f;
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        System.arraycopy(image.rgb(), ((y / f) * image.width() + x / f) * 3, out, (y * w + x) * 3, 3);
      }
    }
    return new RgbImage(w, h, out);
  }
}
