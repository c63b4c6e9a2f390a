package dev.nasnet.examples.cli;

import dev.nasnet.detection.image.RgbImage;
import dev.nasnet.detection.Detection;
import dev.nasnet.detection.FasterRcnnDetector;
import dev.nasnet.detection.PostProcessing;
import dev.nasnet.detection.image.DetectionDrawing;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "detect", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Detect objects in an image with a trained detector: prints one line per "
    + "detection (label, score, box in the image's pixels) and writes the image with the boxes drawn as PNG.")
final class DetectCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "model directory written by train-detector")
  Path model;

  @Option(names = "--image", required = true, description = "PNG, JPEG, BMP or GIF of any size")
  Path image;

  @Option(names = "--out", description = "PNG to write (default: IMAGE-detections.png beside the input)")
  Path out;

  @Option(names = "--score", defaultValue = "0.5", description = "minimum score")
  double score;

  @Option(names = "--nms-iou", description = "per-class NMS IoU (default: the model's)")
  Double nmsIou;

  @Option(names = "--max", description = "most detections to keep (default: the model's)")
  Integer max;

  @Override
  public Integer call() throws Exception {
    CliChecks.inRange("--score", score, 0, true, 1);
    if (nmsIou != null) {
      CliChecks.inRange("--nms-iou", nmsIou, 0, false, 1);
    }
    if (max != null) {
      CliChecks.inRange("--max", max, 1, 100_000);
    }
    RgbImage pixels = RgbImage.read(image);
    try (FasterRcnnDetector detector = FasterRcnnDetector.load(model)) {
      PostProcessing post = detector.config().postProcessing().withScoreThreshold(score);
      if (nmsIou != null) {
        post = post.withNmsIou(nmsIou);
      }
      if (max != null) {
        post = post.withMaxTotal(max);
      }
      List<Detection> found = detector.detect(pixels, post);
      System.out.printf(Locale.ROOT, "%d detections in %s (%dx%d)%n", found.size(), image, pixels.width(),
          pixels.height());
      for (Detection d : found) {
        System.out.printf(Locale.ROOT, "%-12s %.3f  ymin %.1f xmin %.1f ymax %.1f xmax %.1f%n", d.label(), d.score(),
            d.box().ymin(), d.box().xmin(), d.box().ymax(), d.box().xmax());
      }
      String base = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      Path png = out != null ? out : image.resolveSibling(base + "-detections.png");
      System.out.println("wrote " + DetectionDrawing.writePng(pixels, found, png));
    }
    return 0;
  }
}
