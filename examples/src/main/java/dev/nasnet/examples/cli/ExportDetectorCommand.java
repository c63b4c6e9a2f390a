package dev.nasnet.examples.cli;

import dev.nasnet.detection.FasterRcnnDetector;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export-detector", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Export a trained detector as a SavedModel (tag serve, signature "
    + "serving_default): image_tensor (uint8 [1, h, w, 3], any size) in; detection_boxes (normalised ymin, xmin, ymax, "
    + "xmax), detection_scores, detection_classes (category ids) and num_detections out.")
final class ExportDetectorCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "model directory written by train-detector")
  Path model;

  @Option(names = "--saved-model", required = true, description = "directory to write")
  Path out;

  @Override
  public Integer call() throws Exception {
    try (FasterRcnnDetector detector = FasterRcnnDetector.load(model)) {
      detector.exportSavedModel(out);
    }
    System.out.println("wrote " + out);
    return 0;
  }
}
