package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detection commands chained as a user would: shapes → train-detector → detect → evaluate-detector. */
class DetectorCommandsTest {
  @TempDir Path dir;

  @Test
  void trainDetectThenEvaluateOnACocoFolder() throws Exception {
    Path data = dir.resolve("shapes");
    CliRun shapes = CliRun.of("shapes", "--count", "12", "--size", "48", "--out", data.toString());
    assertThat(shapes.code()).as(shapes.err()).isZero();
    assertThat(data.resolve("annotations.json")).exists();

    Path model = dir.resolve("model");
    CliRun train = CliRun.of("train-detector", "--annotations", data.resolve("annotations.json").toString(),
        "--val-annotations", data.resolve("annotations.json").toString(), "--preset", "shapes", "--input-size",
        "48", "--filters", "48", "--epochs", "2", "--batch", "2", "--out", model.toString());
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("12 training images, 12 steps of 2")
        .contains("Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ]")
        .contains("rectangle").contains("triangle");
    assertThat(model.resolve("detector.json")).exists();
    assertThat(model.resolve("eval/detections.json")).exists();
    assertThat(ImageIO.read(model.resolve("example.png").toFile())).isNotNull();
    assertThat(Files.readString(model.resolve("result.json"))).contains("\"heldout_ap50\"");

    Path image = data.resolve(Files.list(data).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png"))
        .sorted().findFirst().orElseThrow());
    Path drawn = dir.resolve("drawn.png");
    CliRun detect = CliRun.of("detect", "--model", model.toString(), "--image", image.toString(), "--score", "0",
        "--max", "5", "--out", drawn.toString());
    assertThat(detect.code()).as(detect.err()).isZero();
    assertThat(detect.out()).containsPattern("\\d+ detections in .* \\(48x48\\)").contains("wrote " + drawn);
    long lines = detect.out().lines().filter(l -> l.matches("^(rectangle|ellipse|triangle) .*")).count();
    assertThat(lines).isBetween(1L, 5L);
    BufferedImage png = ImageIO.read(drawn.toFile());
    assertThat(png.getWidth()).isGreaterThan(48);

    CliRun eval = CliRun.of("evaluate-detector", "--model", model.toString(), "--annotations",
        data.resolve("annotations.json").toString(), "--out", dir.resolve("eval").toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]")
        .contains("12 images");
    assertThat(dir.resolve("eval/coco_summary.txt")).exists();

    Path saved = dir.resolve("saved");
    CliRun export = CliRun.of("export-detector", "--model", model.toString(), "--saved-model", saved.toString());
    assertThat(export.code()).as(export.err()).isZero();
    try (org.tensorflow.SavedModelBundle bundle = org.tensorflow.SavedModelBundle.load(saved.toString(), "serve")) {
      assertThat(bundle.function("serving_default").signature().outputNames()).containsExactlyInAnyOrder(
          "detection_boxes", "detection_scores", "detection_classes", "num_detections");
    }

    CliRun missing = CliRun.of("detect", "--model", dir.resolve("nope").toString(), "--image", image.toString());
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("nope").contains("detector.json");
  }
}
