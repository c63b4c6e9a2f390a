package dev.nasnet.detection;

import com.google.common.collect.ImmutableList;
import dev.nasnet.detection.data.CocoDetection;
import dev.nasnet.detection.eval.CocoEvaluation;
import dev.nasnet.detection.eval.CocoEvaluator;
import dev.nasnet.detection.image.RgbImage;
import dev.nasnet.detection.dataset.DetectionDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs a detector over every image of a dataset and scores the detections with {@link CocoEvaluator}, as pycocotools
 * would. Detections keep every score above the config's threshold (0 for the presets), as COCO evaluation expects.
 *
 * @param detections in COCO results form, to write out with {@code CocoResultsJson}
 */
public record DetectorEvaluation(CocoEvaluation coco, ImmutableList<CocoDetection> detections, double seconds) {

  /** @param progress called with the number of images done so far */
  public static DetectorEvaluation run(FasterRcnnDetector detector, DetectionDataset data, IntConsumer progress) {
    long t0 = System.nanoTime();
    List<CocoDetection> out = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      RgbImage image = data.image(i);
      long id = data.info(i).id();
      for (Detection d : detector.detect(image)) {
        out.add(new CocoDetection(id, d.categoryId(), d.box().toXywh(), d.score()));
      }
      progress.accept(i + 1);
    }
    CocoEvaluation evaluation = CocoEvaluator.withDefaults().evaluate(data.coco(), out);
    return new DetectorEvaluation(evaluation, ImmutableList.copyOf(out), (System.nanoTime() - t0) / 1e9);
  }
}
