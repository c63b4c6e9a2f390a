package dev.nasnet.examples;

import dev.nasnet.detection.Detection;
import dev.nasnet.detection.DetectorTrainingConfig;
import dev.nasnet.detection.FasterRcnnConfig;
import dev.nasnet.detection.FasterRcnnDetector;
import dev.nasnet.core.train.TrainingListener;
import dev.nasnet.core.train.TrainingRun;
import dev.nasnet.detection.FasterRcnnTrainer;
import dev.nasnet.detection.synthetic.ShapesConfig;
import dev.nasnet.detection.synthetic.ShapesDataset;
import dev.nasnet.detection.dataset.DetectionDataset;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's detection example, compiled so it cannot drift from the API: train a small Faster R-CNN on generated
 * shapes for a few minutes, detect, export. Argument: the model directory (default runs/detection-quickstart).
 */
public final class DetectionQuickstart {
  private DetectionQuickstart() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "runs/detection-quickstart");
    // README detection start
    DetectionDataset data = DetectionDataset.of(ShapesDataset.generate(new ShapesConfig(64, 64, 4, 8, 32), 400, 1));
    // or DetectionDataset.read(Path.of("annotations.json"), Path.of("images")) for your own COCO-format data
    FasterRcnnConfig config = FasterRcnnConfig.shapes(64, data.categories());  // or mobileCpu, nasCoco, ...
    DetectorTrainingConfig training = DetectorTrainingConfig.of(config, 4, 1000, 0.04);  // batch, steps, lr
    try (FasterRcnnTrainer trainer = new FasterRcnnTrainer(config, training)) {
      trainer.fit(data, TrainingRun.in(dir).withListener(
          TrainingListener.ofSteps((step, total, m) -> System.out.println(step + " " + m.loss()))));
    }
    try (FasterRcnnDetector detector = FasterRcnnDetector.load(dir)) {
      List<Detection> found = detector.detect(data.image(0));  // any size; boxes in that image's pixels
      found.forEach(d -> System.out.printf("%s %.2f %s%n", d.label(), d.score(), d.box()));
      detector.exportSavedModel(dir.resolve("saved_model"));  // image_tensor -> detection_boxes, _scores, ...
    }
    // README detection end
  }
}
