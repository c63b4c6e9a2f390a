package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detection commands chained as a user would: shapes → train-detector → detect → evaluate-detector. */
class DetectorCommandsTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = NasnetCli.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void trainDetectThenEvaluateOnACocoFolder() throws Exception {
    Path data = dir.resolve("shapes");
    Run shapes = run("shapes", "--count", "12", "--size", "48", "--out", data.toString());
    assertThat(shapes.code()).as(shapes.err()).isZero();
    assertThat(data.resolve("annotations.json")).exists();

    Path model = dir.resolve("model");
    Run train = run("train-detector", "--annotations", data.resolve("annotations.json").toString(),
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
    Run detect = run("detect", "--model", model.toString(), "--image", image.toString(), "--score", "0",
        "--max", "5", "--out", drawn.toString());
    assertThat(detect.code()).as(detect.err()).isZero();
    assertThat(detect.out()).containsPattern("\\d+ detections in .* \\(48x48\\)").contains("wrote " + drawn);
    long lines = detect.out().lines().filter(l -> l.matches("^(rectangle|ellipse|triangle) .*")).count();
    assertThat(lines).isBetween(1L, 5L);
    BufferedImage png = ImageIO.read(drawn.toFile());
    assertThat(png.getWidth()).isGreaterThan(48);

    Run eval = run("evaluate-detector", "--model", model.toString(), "--annotations",
        data.resolve("annotations.json").toString(), "--out", dir.resolve("eval").toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]")
        .contains("12 images");
    assertThat(dir.resolve("eval/coco_summary.txt")).exists();

    Run missing = run("detect", "--model", dir.resolve("nope").toString(), "--image", image.toString());
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("nope").contains("detector.json");
  }
}
