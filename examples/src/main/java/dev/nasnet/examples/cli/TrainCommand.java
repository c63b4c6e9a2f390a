package dev.nasnet.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.nasnet.core.data.Augmentation;
import dev.nasnet.core.data.Datasets;
import dev.nasnet.core.data.ImageDataset;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.model.ModelSummary;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Regularization;
import dev.nasnet.core.train.EpochTraining;
import dev.nasnet.core.train.EvalResult;
import dev.nasnet.core.train.Evaluator;
import dev.nasnet.core.train.LearningCurvePlot;
import dev.nasnet.core.train.StepMetrics;
import dev.nasnet.core.train.Trainer;
import dev.nasnet.core.train.TrainingListener;
import dev.nasnet.core.train.TrainingResult;
import dev.nasnet.core.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Train a NASNet (NASNet-A, or the cells a search found) with the CIFAR stem on "
    + "Fashion-MNIST, MNIST, CIFAR-10/100 or an image folder and report test accuracy; writes metrics.csv, "
    + "TensorBoard events, checkpoints, a learning-curve PNG and result.json.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "a name for the data (fashion-mnist by "
      + "default), used in the network's name")
  String dataset;

  @Mixin
  DataOptions data = new DataOptions();

  @Option(names = "--image-size", defaultValue = "32", description = "side image folders are resized to")
  int imageSize;

  @Mixin
  NetworkSizeOptions size = new NetworkSizeOptions("2", 384);

  @Mixin
  TrainingOptions training = new TrainingOptions(10, 64, 0.05);

  @Option(names = "--warmup-epochs", defaultValue = "0.5", description = "linear warm-up")
  double warmupEpochs;

  @Option(names = "--validation", defaultValue = "5000",
      description = "training images held out for validation, chosen by seed")
  int validation;

  @Option(names = "--subset", description = "use only the first N training images (quick runs)")
  Integer subset;

  @Option(names = "--cutout", defaultValue = "0", description = "cutout square size, 0 for none")
  int cutout;

  @Option(names = "--drop-path-keep", defaultValue = "1.0", description = "ScheduledDropPath keep probability")
  double dropPathKeep;

  @Option(names = "--ema", defaultValue = "0", description = "weight moving-average decay for evaluation, 0 for none")
  double ema;

  @Option(names = "--aux", defaultValue = "true", negatable = true, description = "train with the aux head (0.4)")
  boolean aux;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Mixin
  RunOptions run = new RunOptions(Path.of("runs/fashion-mnist"));

  @Option(names = "--init-from", description = "start from this checkpoint's weights (fine-tuning; a classifier "
      + "with another class count starts fresh)")
  Path initFrom;

  @Option(names = "--freeze-below", description = "train only from this cell scope on, e.g. cell_4")
  String freezeBelow;

  @Option(names = "--checkpoint-every", defaultValue = "500", description = "steps between checkpoints")
  long checkpointEvery;

  @Option(names = "--devices", defaultValue = "1", description = "data-parallel towers, one per device (virtual CPU "
      + "devices here; each takes an equal slice of --batch, which must divide by it; batch norm per tower)")
  int devices;

  /** Every option's range, before any data is read. */
  private void checkOptions() {
    size.check();
    CliChecks.inRange("--image-size", imageSize, 8, 1024);
    training.check(65_536);
    CliChecks.inRange("--warmup-epochs", warmupEpochs, 0, true, training.epochs);
    CliChecks.atLeast("--validation", validation, 0);
    if (subset != null) {
      CliChecks.atLeast("--subset", subset, 1);
    }
    CliChecks.atLeast("--cutout", cutout, 0);
    CliChecks.inRange("--drop-path-keep", dropPathKeep, 0, false, 1);
    CliChecks.inRange("--ema", ema, 0, true, 0.999999);
    CliChecks.atLeast("--checkpoint-every", checkpointEvery, 1);
    CliChecks.inRange("--devices", devices, 1, 64);
    if (training.batch % devices != 0) {
      throw new IllegalArgumentException("--batch " + training.batch + " must be divisible by --devices " + devices
          + " (each device takes an equal slice)");
    }
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    run.prepare(java.util.Set.of("result.json", LearningCurvePlot.FILE));
    Path dir = data.dirOrFashionMnist();
    Datasets.Loaded loaded = Datasets.load(dir, imageSize);
    ImageDataset all = loaded.train();
    if (subset != null) {
      CliChecks.inRange("--subset", subset, 1, all.size());
      all = all.head(subset);
    }
    int batch = training.batch;
    if (validation + batch > all.size()) {
      throw new IllegalArgumentException("--validation " + validation + " leaves " + (all.size() - validation)
          + " of " + all.size() + " training images, fewer than one --batch of " + batch);
    }
    ImageDataset[] split = all.split(validation, seed);
    ImageDataset trainSet = split[0];
    ImageDataset valSet = split[1];
    // Without a test split (an image folder without test/), the held-out validation images stand in for it.
    ImageDataset testSet = loaded.test() != null ? loaded.test() : valSet;

    int cells = size.cellsPerStack();
    int filters = size.filters;
    NasNetConfig.Builder builder = ExampleModels.fashionMnist(cells, filters).toBuilder()
        .name((size.searchedCells().isEmpty() ? "nasnet_a_" : "searched_") + dataset.replace('-', '_'))
        .imageSize(trainSet.height()).imageChannels(trainSet.channels()).numClasses(trainSet.numClasses())
        .auxHead(aux).seed(seed);
    size.searchedCells().ifPresent(p -> builder.cells(p.normal(), p.reduction()).notation(cells, filters));
    NasNetConfig model = builder.build();
    System.out.printf(Locale.ROOT, "data: %s in %s, %d training images %dx%dx%d, %d classes%s%n", loaded.format(),
        dir, all.size(), all.height(), all.width(), all.channels(), all.numClasses(),
        loaded.test() == null ? "; no test split, the validation images stand in" : "");
    ModelSummary summary = ModelSummary.of(model);
    int perEpoch = trainSet.size() / batch;
    if (Math.round(training.epochs * perEpoch) < 1) {
      throw new IllegalArgumentException("--epochs " + training.epochs + " is less than one step of --batch " + batch
          + " over " + trainSet.size() + " images (" + perEpoch + " steps per epoch)");
    }
    EpochTraining plan = EpochTraining.builder(model, trainSet, valSet).epochs(training.epochs).batchSize(batch)
        .learningRate(training.lr).warmupEpochs(warmupEpochs).augmentation(Augmentation.standard(cutout))
        .movingAverageDecay(ema).freezeBelow(freezeBelow).checkpointEvery(checkpointEvery).seed(seed)
        .devices(devices).regularization(Regularization.cifar().withDropPathKeepProb(dropPathKeep)).build();
    long steps = plan.config().totalSteps();
    System.out.printf(Locale.ROOT, "%s (%s): %,d parameters, %,d multiply-adds; %d train / %d validation / %d test "
        + "images; %d steps of %d%n", model.name(), model.notation(), summary.totalParameters(),
        summary.multiplyAdds(), trainSet.size(), valSet.size(), testSet.size(), steps, batch);

    TrainingRun trainingRun = run.run();
    if (initFrom != null) {
      trainingRun = trainingRun.initializedFrom(initFrom);
    }
    long start = run.resume ? Trainer.savedStep(run.out) : 0;
    TrainingResult result;
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().startsFrom(start,
            java.time.Duration.ZERO).build()) {
      result = plan.run(trainingRun.withListener(new TrainingListener() {
        @Override
        public void onStep(long step, long total, StepMetrics m, double imagesPerSecond) {
          bar.stepTo(step);
          bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f acc %.3f %.0f img/s", m.loss(), m.get("top1"),
              imagesPerSecond));
        }

        @Override
        public void onValidation(long step, Map<String, Double> r) {
          bar.setExtraMessage(String.format(Locale.ROOT, "val top-1 %.4f", r.get("top1")));
        }
      })).result();
    }
    EvalResult test;
    try (Evaluator eval = new Evaluator(model, OpLibrary.standard())) {
      eval.restoreFrom(result.checkpoint(), ema > 0);
      test = eval.evaluate(plan.evaluationPipeline(testSet));
    }
    Path png = run.out.resolve(LearningCurvePlot.FILE);
    JsonObject json = new JsonObject();
    json.addProperty("model", model.name());
    json.addProperty("notation", model.notation());
    json.addProperty("parameters", summary.totalParameters());
    json.addProperty("multiply_adds", summary.multiplyAdds());
    json.addProperty("steps", steps);
    json.addProperty("batch", batch);
    json.addProperty("wall_seconds_this_invocation", result.wallSeconds());
    json.addProperty("validation_top1", result.validation() == null ? Double.NaN : result.validation().top1());
    json.addProperty("test_top1", test.top1());
    json.addProperty("test_top5", test.top5());
    json.addProperty("test_loss", test.loss());
    Files.writeString(run.out.resolve("result.json"), new GsonBuilder().setPrettyPrinting().create().toJson(json));
    System.out.printf(Locale.ROOT, "test top-1 %.4f, top-5 %.4f, loss %.4f on %d images; %.0f s; curves: %s%n",
        test.top1(), test.top5(), test.loss(), test.examples(), result.wallSeconds(), png);
    return 0;
  }
}
