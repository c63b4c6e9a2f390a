package dev.nasnet.examples.cli;

import dev.nasnet.detection.FasterRcnnDetector;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate-detector", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Run a trained detector over a COCO-format dataset (or generated "
    + "shapes) and print the COCO 12-number summary and per-class AP.")
final class EvaluateDetectorCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "model directory written by train-detector")
  Path model;

  @Mixin
  DetectionDataOptions data;

  @Option(names = "--out", description = "write detections.json (COCO results) and coco_summary.txt here")
  Path out;

  @Override
  public Integer call() throws Exception {
    try (FasterRcnnDetector detector = FasterRcnnDetector.load(model)) {
      DetectorReport.evaluate(detector, data.load("evaluation data"), out, true);
    }
    return 0;
  }
}
