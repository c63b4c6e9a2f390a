package dev.nasnet.examples.cli;

import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoResultsJson;
import dev.nasnet.detection.eval.CategoryResult;
import dev.nasnet.detection.eval.CocoEvaluation;
import dev.nasnet.detection.eval.CocoEvaluator;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "coco-eval", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "COCO bbox evaluation of any detections file, as pycocotools' COCOeval "
    + "computes it: the 12-number summary, and with --per-class the AP of each category.")
final class CocoEvalCommand implements Callable<Integer> {
  @Option(names = "--gt", required = true, description = "COCO annotations JSON (ground truth)")
  Path groundTruth;

  @Option(names = "--dt", required = true, description = "COCO results JSON: [{image_id, category_id, bbox, score}]")
  Path detections;

  @Option(names = "--per-class", description = "also print AP, AP50, AP75 and AR100 per category")
  boolean perClass;

  @Override
  public Integer call() throws Exception {
    CocoDataset gt = CocoDataset.read(groundTruth);
    // Files name themselves in the reader's exceptions; the CLI prints those as one line.
    CocoEvaluation result = CocoEvaluator.withDefaults().evaluate(gt, CocoResultsJson.read(detections));
    System.out.print(result.summary().format());
    if (perClass) {
      System.out.println("category               AP     AP50   AP75   AR100");
      for (CategoryResult c : result.categories()) {
        System.out.printf(Locale.ROOT, "%4d %-15s %6.3f %6.3f %6.3f %6.3f%n", c.categoryId(), c.name(), c.ap(), c.ap50(),
            c.ap75(), c.ar());
      }
    }
    return 0;
  }
}
