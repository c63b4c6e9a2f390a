package dev.nasnet.examples.cli;

import dev.nasnet.detection.data.CocoResultsJson;
import dev.nasnet.detection.eval.CategoryResult;
import dev.nasnet.detection.DetectorEvaluation;
import dev.nasnet.detection.FasterRcnnDetector;
import dev.nasnet.detection.dataset.DetectionDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Evaluates a detector on a dataset with a progress bar, prints the COCO summary and writes the results files. */
final class DetectorReport {
  private DetectorReport() {}

  /**
   * @param out directory for {@code detections.json} (COCO results) and {@code coco_summary.txt}; null for none
   */
  static DetectorEvaluation evaluate(FasterRcnnDetector detector, DetectionDataset data, Path out, boolean perClass)
      throws IOException {
    DetectorEvaluation result;
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("evaluate").setInitialMax(data.size())
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().build()) {
      result = DetectorEvaluation.run(detector, data, bar::stepTo);
    }
    StringBuilder text = new StringBuilder(result.coco().summary().format());
    if (perClass) {
      text.append("category               AP     AP50   AP75   AR100\n");
      for (CategoryResult c : result.coco().categories()) {
        text.append(String.format(Locale.ROOT, "%4d %-15s %6.3f %6.3f %6.3f %6.3f%n", c.categoryId(), c.name(),
            c.ap(), c.ap50(), c.ap75(), c.ar()));
      }
    }
    System.out.print(text);
    System.out.printf(Locale.ROOT, "%s (%,d parameters): %d images, %d detections, %.1f images/s%n",
        detector.config().name(), detector.parameterCount(), data.size(), result.detections().size(),
        data.size() / result.seconds());
    if (out != null) {
      Files.createDirectories(out);
      CocoResultsJson.write(result.detections(), out.resolve("detections.json"));
      Files.writeString(out.resolve("coco_summary.txt"), text.toString());
    }
    return result;
  }
}
