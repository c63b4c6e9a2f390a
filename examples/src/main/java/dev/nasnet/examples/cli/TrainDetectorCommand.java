package dev.nasnet.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.nasnet.detection.image.RgbImage;
import dev.nasnet.detection.Detection;
import dev.nasnet.detection.DetectorEvaluation;
import dev.nasnet.detection.DetectorTrainingConfig;
import dev.nasnet.detection.FasterRcnnConfig;
import dev.nasnet.detection.FasterRcnnDetector;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.train.TrainingListener;
import dev.nasnet.detection.FasterRcnnTrainer;
import dev.nasnet.detection.dataset.DetectionDataset;
import dev.nasnet.detection.image.DetectionDrawing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-detector", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Train a Faster R-CNN with a NASNet backbone on a COCO-format dataset "
    + "(or generated shapes), then evaluate it COCO-style on a held-out set. Writes the model directory (detector.json, "
    + "checkpoints, metrics.csv), eval/detections.json, eval/coco_summary.txt, example.png and result.json.")
final class TrainDetectorCommand implements Callable<Integer> {
  /** What this command writes into --out besides the trainer's own files; --overwrite deletes them too. */
  private static final java.util.Set<String> RUN_FILES = java.util.Set.of("detector.json", "result.json",
      "example.png");

  @Mixin
  DetectionDataOptions train;

  @Option(names = "--val-annotations", description = "held-out COCO annotations JSON")
  Path valAnnotations;

  @Option(names = "--val-images", description = "folder of the held-out images (default: beside the annotations)")
  Path valImages;

  @Option(names = "--val-shapes", description = "generate N held-out shapes images (seed --val-shapes-seed)")
  Integer valShapes;

  @Option(names = "--val-shapes-seed", defaultValue = "1001", description = "seed of the held-out shapes, distinct "
      + "from the training seed")
  long valShapesSeed;

  @Option(names = "--preset", description = "shapes (default with --shapes), mobile-cpu (default otherwise), nas, "
      + "nas-lowproposals")
  String preset;

  @Option(names = "--input-size", description = "the detector's square input side (default: the preset's; shapes: "
      + "the generated image size)")
  Integer inputSize;

  @Mixin
  NetworkSizeOptions size = new NetworkSizeOptions(null, null);

  @Mixin
  TrainingOptions training = new TrainingOptions(10, 4, 0.02);

  @Option(names = "--no-flip", description = "no horizontal-flip augmentation")
  boolean noFlip;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Mixin
  RunOptions run = new RunOptions(Path.of("runs/detector"));

  @Option(names = "--checkpoint-every", defaultValue = "500", description = "steps between checkpoints")
  long checkpointEvery;

  @Override
  public Integer call() throws Exception {
    // Options and the directory are checked before any data is read or generated.
    if (inputSize != null) {
      CliChecks.inRange("--input-size", inputSize, 32, 4096);
    }
    size.check();
    training.check(1024);
    CliChecks.atLeast("--checkpoint-every", checkpointEvery, 1);
    if (valShapes != null) {
      CliChecks.atLeast("--val-shapes", valShapes, 1);
    }
    run.prepare(RUN_FILES);
    DetectionDataset data = train.load("training data");
    DetectionDataset val = null;
    if (valAnnotations != null || valShapes != null) {
      DetectionDataOptions v = new DetectionDataOptions();
      v.annotations = valAnnotations;
      v.images = valImages;
      v.shapes = valShapes;
      v.shapesSeed = valShapesSeed;
      v.shapesSize = train.shapesSize;
      val = v.load("held-out data");
    }
    String name = preset != null ? preset : train.shapes != null ? "shapes" : "mobile-cpu";
    FasterRcnnConfig config = name.equals("shapes")
        ? FasterRcnnConfig.shapes(inputSize != null ? inputSize : train.shapesSize, data.categories())
        : FasterRcnnConfig.preset(name, data.categories());
    if (inputSize != null && !name.equals("shapes")) {
      config = config.toBuilder().backbone(config.backbone().toBuilder().imageSize(inputSize).build()).build();
    }
    if (size.cells != null || size.filters != null) {
      int n = size.cells != null ? size.cellsPerStack() : config.backbone().cellsPerStack();
      int f = size.filters != null ? size.filters : config.backbone().penultimateFilters();
      NasNetConfig.Builder backbone = config.backbone().toBuilder();
      // Cells a search found replace NASNet-A's in the backbone.
      size.searchedCells().ifPresent(p -> backbone.cells(p.normal(), p.reduction()));
      config = config.toBuilder().backbone(backbone.notation(n, f).build()).build();
    }
    int batch = training.batch;
    int perEpoch = data.size() / batch;
    long steps = Math.round(training.epochs * perEpoch);
    if (steps < 1) {
      throw new IllegalArgumentException("--epochs " + training.epochs + " with --batch " + batch + " over "
          + data.size() + " training images is less than one step");
    }
    DetectorTrainingConfig settings = DetectorTrainingConfig.of(config, batch, steps, training.lr).withSeed(seed)
        .withCheckpointEvery(checkpointEvery).withHorizontalFlip(!noFlip);
    System.out.printf(Locale.ROOT, "%s on %s (%s), input %dx%d, %d classes; %d training images, %d steps of %d%n",
        config.name(), config.backbone().name(), config.backbone().notation(), config.inputSize(),
        config.inputSize(), config.numClasses(), data.size(), steps, batch);
    FasterRcnnTrainer.Summary summary;
    try (FasterRcnnTrainer trainer = new FasterRcnnTrainer(config, settings);
        ProgressBar bar = new ProgressBarBuilder().setTaskName("train-detector").setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).showSpeed().build()) {
      summary = trainer.fit(data, run.run().withListener(TrainingListener.ofSteps((step, total, losses) -> {
        bar.stepTo(step);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f", losses.loss()));
      })));
    }
    System.out.printf(Locale.ROOT, "trained steps %d..%d in %.0f s; last losses %s%n", summary.firstStep(),
        summary.lastStep(), summary.seconds(), summary.lastLosses());
    JsonObject json = new JsonObject();
    json.addProperty("detector", config.name());
    json.addProperty("backbone", config.backbone().name() + " " + config.backbone().notation());
    json.addProperty("input_size", config.inputSize());
    json.addProperty("training_images", data.size());
    json.addProperty("steps", steps);
    json.addProperty("batch", batch);
    json.addProperty("train_seconds_this_invocation", summary.seconds());
    if (val != null) {
      try (FasterRcnnDetector detector = FasterRcnnDetector.load(run.out)) {
        DetectorEvaluation eval = DetectorReport.evaluate(detector, val, run.out.resolve("eval"), true);
        List<Detection> shown = detector.detect(val.image(0), config.postProcessing().withScoreThreshold(0.5));
        RgbImage first = val.image(0);
        Path png = DetectionDrawing.writePng(first, shown, run.out.resolve("example.png"));
        System.out.println("example detections: " + png);
        json.addProperty("heldout_images", val.size());
        json.addProperty("heldout_ap", eval.coco().summary().ap());
        json.addProperty("heldout_ap50", eval.coco().summary().ap50());
        json.addProperty("heldout_ap75", eval.coco().summary().ap75());
      }
    }
    Files.writeString(run.out.resolve("result.json"), new GsonBuilder().setPrettyPrinting().create().toJson(json));
    return 0;
  }
}
