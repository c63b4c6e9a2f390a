package dev.nasnet.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.nasnet.core.checkpoint.RunDirectory;
import dev.nasnet.core.data.Augmentation;
import dev.nasnet.core.data.DataPipeline;
import dev.nasnet.core.data.IdxReader;
import dev.nasnet.core.data.ImageDataset;
import dev.nasnet.core.data.Normalization;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.model.ModelSummary;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.train.EvalResult;
import dev.nasnet.core.train.Evaluator;
import dev.nasnet.core.train.LearningRateSchedule;
import dev.nasnet.core.train.Optimizer;
import dev.nasnet.core.train.Trainer;
import dev.nasnet.core.train.TrainingConfig;
import dev.nasnet.core.train.TrainingListener;
import dev.nasnet.core.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tensorflow.Graph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Train a NASNet (NASNet-A, or the cells a search found) with the CIFAR stem on "
    + "Fashion-MNIST, MNIST, CIFAR-10/100 or an image folder and report test accuracy; writes metrics.csv, "
    + "TensorBoard events, checkpoints, a learning-curve PNG and result.json.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist (the default data "
      + "folder) or a name for --data")
  String dataset;

  @Option(names = {"--data", "--data-dir"}, description = "the data: a folder of IDX files (MNIST, Fashion-MNIST), "
      + "CIFAR-10/100 binaries, or images in one sub-folder per class (optionally under train/ and test/) (default "
      + "for fashion-mnist: /usr/share/datasets/fashion-mnist, from Debian's dataset-fashion-mnist)")
  Path dataDir;

  @Option(names = "--image-size", defaultValue = "32", description = "side image folders are resized to")
  int imageSize;

  @Option(names = "--cells", defaultValue = "2", paramLabel = "N|DIR|FILE", description = "N normal cells per stack "
      + "of NASNet-A; or the cells to train instead: a search's results/rank-NN folder (normal_cell.json, "
      + "reduction_cell.json) or a cell JSON file, with --stack-cells N")
  String cellsArg;

  @Option(names = "--stack-cells", defaultValue = "2", description = "N when --cells names cells")
  int stackCells;

  /** N, and the cells, from --cells. */
  private int cells;
  private dev.nasnet.core.model.CellFiles.Pair cellPair;

  @Option(names = "--filters", defaultValue = "384",
      description = "F: filters of the penultimate layer, a multiple of 24")
  int filters;

  @Option(names = "--epochs", defaultValue = "10", description = "epochs")
  double epochs;

  @Option(names = "--batch", defaultValue = "64", description = "batch size")
  int batch;

  @Option(names = "--lr", defaultValue = "0.05", description = "peak learning rate, cosine decay")
  double lr;

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

  @Option(names = "--out", defaultValue = "runs/fashion-mnist", description = "run directory")
  Path out;

  @Option(names = "--resume", description = "continue the run in --out from its last checkpoint")
  boolean resume;

  @Option(names = "--overwrite", description = "delete the run in --out (checkpoints, state, metrics, events, "
      + "result.json, learning_curves.png) and start again")
  boolean overwrite;

  @Option(names = "--init-from", description = "start from this checkpoint's weights (fine-tuning; a classifier "
      + "with another class count starts fresh)")
  Path initFrom;

  @Option(names = "--freeze-below", description = "train only from this cell scope on, e.g. cell_4")
  String freezeBelow;

  @Option(names = "--checkpoint-every", defaultValue = "500", description = "steps between checkpoints")
  long checkpointEvery;

  /** Every option's range, before any data is read. */
  private void checkOptions() {
    if (cellsArg.matches("\\d+")) {
      cells = Integer.parseInt(cellsArg);
      CliChecks.inRange("--cells", cells, 1, 64);
    } else {
      cellPair = dev.nasnet.core.model.CellFiles.read(Path.of(cellsArg));
      cells = stackCells;
      CliChecks.inRange("--stack-cells", cells, 1, 64);
    }
    CliChecks.inRange("--image-size", imageSize, 8, 1024);
    CliChecks.multipleOf("--filters", filters, 24);
    CliChecks.inRange("--filters", filters, 24, 24 * 1024);
    CliChecks.positive("--epochs", epochs);
    CliChecks.inRange("--batch", batch, 1, 65_536);
    CliChecks.positive("--lr", lr);
    CliChecks.inRange("--warmup-epochs", warmupEpochs, 0, true, epochs);
    CliChecks.atLeast("--validation", validation, 0);
    if (subset != null) {
      CliChecks.atLeast("--subset", subset, 1);
    }
    CliChecks.atLeast("--cutout", cutout, 0);
    CliChecks.inRange("--drop-path-keep", dropPathKeep, 0, false, 1);
    CliChecks.inRange("--ema", ema, 0, true, 0.999999);
    CliChecks.atLeast("--checkpoint-every", checkpointEvery, 1);
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    RunDirectory.StartMode mode = CliChecks.startMode(resume, overwrite);
    RunDirectory.prepare(out, mode, java.util.Set.of("result.json", "learning_curves.png"));
    Path dir = dataDir != null ? dataDir : switch (dataset) {
      case "fashion-mnist" -> IdxReader.FASHION_MNIST_DIR;
      default -> throw new IllegalArgumentException("--dataset " + dataset + " needs --data DIR");
    };
    dev.nasnet.core.data.Datasets.Loaded data = dev.nasnet.core.data.Datasets.load(dir, imageSize);
    ImageDataset all = data.train();
    if (subset != null) {
      CliChecks.inRange("--subset", subset, 1, all.size());
      all = all.head(subset);
    }
    if (validation + batch > all.size()) {
      throw new IllegalArgumentException("--validation " + validation + " leaves " + (all.size() - validation)
          + " of " + all.size() + " training images, fewer than one --batch of " + batch);
    }
    ImageDataset[] split = all.split(validation, seed);
    ImageDataset trainSet = split[0];
    ImageDataset valSet = split[1];
    // Without a test split (an image folder without test/), the held-out validation images stand in for it.
    ImageDataset testSet = data.test() != null ? data.test() : valSet;
    Normalization norm = Normalization.measure(trainSet);

    NasNetConfig.Builder builder = ExampleModels.fashionMnist(cells, filters).toBuilder()
        .name((cellPair == null ? "nasnet_a_" : "searched_") + dataset.replace('-', '_'))
        .imageSize(trainSet.height()).imageChannels(trainSet.channels()).numClasses(trainSet.numClasses())
        .dropPathKeepProb(dropPathKeep).auxHead(aux).seed(seed);
    if (cellPair != null) {
      builder.cells(cellPair.normal(), cellPair.reduction()).notation(cells, filters);
    }
    NasNetConfig model = builder.build();
    System.out.printf(Locale.ROOT, "data: %s in %s, %d training images %dx%dx%d, %d classes%s%n", data.format(), dir,
        all.size(), all.height(), all.width(), all.channels(), all.numClasses(),
        data.test() == null ? "; no test split, the validation images stand in" : "");
    ModelSummary summary;
    try (Graph g = new Graph()) {
      summary = new NasNetBuilder(model).build(g, Mode.INFERENCE).summary();
    }
    int perEpoch = trainSet.size() / batch;
    long steps = Math.round(epochs * perEpoch);
    if (steps < 1) {
      throw new IllegalArgumentException("--epochs " + epochs + " is less than one step of --batch " + batch
          + " over " + trainSet.size() + " images (" + perEpoch + " steps per epoch)");
    }
    TrainingConfig training = TrainingConfig.builder().optimizer(Optimizer.momentum(0.9, true)).batchSize(batch)
        .totalSteps(steps).schedule(LearningRateSchedule.cosine(lr, steps, Math.round(warmupEpochs * perEpoch)))
        .movingAverageDecay(ema).clipGlobalNorm(5).freezeBelow(freezeBelow).checkpointEvery(checkpointEvery).logEvery(Math.max(1, perEpoch / 4))
        .seed(seed).build();
    System.out.printf(Locale.ROOT, "%s (%s): %,d parameters, %,d multiply-adds; %d train / %d validation / %d test "
        + "images; %d steps of %d%n", model.name(), model.notation(), summary.totalParameters(),
        summary.multiplyAdds(), trainSet.size(), valSet.size(), testSet.size(), steps, batch);

    DataPipeline trainPipe = DataPipeline.builder(trainSet).batchSize(batch).normalization(norm).seed(seed)
        .augmentation(Augmentation.standard(cutout)).build();
    DataPipeline valPipe = DataPipeline.builder(valSet).batchSize(256).normalization(norm).forEvaluation().build();
    Trainer.Run run = Trainer.Run.in(out);
    if (resume) {
      run = run.resuming();
    } else if (overwrite) {
      run = run.overwriting();
    }
    if (initFrom != null) {
      run = run.initializedFrom(initFrom);
    }
    long start = resume ? Trainer.savedStep(out) : 0;
    TrainingResult result;
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().startsFrom(start,
            java.time.Duration.ZERO).build()) {
      result = new Trainer(model, training).fit(trainPipe, valPipe, run.withListener(new TrainingListener() {
        @Override
        public void onStep(long step, long total, double loss, double accuracy, double imagesPerSecond) {
          bar.stepTo(step);
          bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f acc %.3f %.0f img/s", loss, accuracy,
              imagesPerSecond));
        }

        @Override
        public void onEvaluation(long step, EvalResult r) {
          bar.setExtraMessage(String.format(Locale.ROOT, "val top-1 %.4f", r.top1()));
        }
      }));
    }
    EvalResult test;
    try (Evaluator eval = new Evaluator(model, dev.nasnet.core.graph.OpLibrary.standard())) {
      eval.restoreFrom(result.checkpoint(), ema > 0);
      test = eval.evaluate(DataPipeline.builder(testSet).batchSize(256).normalization(norm).forEvaluation().build());
    }
    Path png = dev.nasnet.core.train.LearningCurvePlot.write(out.resolve("metrics.csv"), out.resolve("learning_curves.png"),
        model.name() + " " + model.notation());
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
    Files.writeString(out.resolve("result.json"), new GsonBuilder().setPrettyPrinting().create().toJson(json));
    System.out.printf(Locale.ROOT, "test top-1 %.4f, top-5 %.4f, loss %.4f on %d images; %.0f s; curves: %s%n",
        test.top1(), test.top5(), test.loss(), test.examples(), result.wallSeconds(), png);
    return 0;
  }
}
