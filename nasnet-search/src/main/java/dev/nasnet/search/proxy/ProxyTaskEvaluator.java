package dev.nasnet.search.proxy;

import com.google.common.collect.ImmutableMap;
import dev.nasnet.core.data.ImageDataset;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.ModelSummary;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Regularization;
import dev.nasnet.core.model.Stem;
import dev.nasnet.core.spec.Cells;
import dev.nasnet.core.train.EpochTraining;
import dev.nasnet.core.train.TrainingListener;
import dev.nasnet.core.train.TrainingResult;
import dev.nasnet.core.train.TrainingRun;
import dev.nasnet.search.space.NasNetArchitecture;
import dev.nasnet.search.trial.TrialEvaluator;
import dev.nasnet.search.trial.TrialResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Trains a child network on a {@link ProxyTask} and rewards its validation accuracy: the paper's evaluation of a
 * sampled cell, at a size a CPU can afford. The child is NASNet with the CIFAR stem, the searched cells at N @ F, no
 * auxiliary head. When the space searches only the normal cell, NASNet-A's reduction cell is used.
 *
 * <p>Metrics kept with the reward: validation top-1 and loss, parameters, multiply-adds, training seconds, and the
 * batch-1 latency when a latency target is set.
 */
public final class ProxyTaskEvaluator implements TrialEvaluator<NasNetArchitecture> {
  private final ProxyTask task;
  private final Path workRoot;
  private final OpLibrary ops;
  private ImageDataset[] data;

  /** @param workRoot trials trained through {@link #evaluate(NasNetArchitecture, long)} get {@code trial-<id>} here */
  public ProxyTaskEvaluator(ProxyTask task, Path workRoot, OpLibrary ops) {
    this.task = task;
    this.workRoot = workRoot;
    this.ops = ops;
  }

  public ProxyTaskEvaluator(ProxyTask task, Path workRoot) {
    this(task, workRoot, OpLibrary.standard());
  }

  @Override
  public TrialResult evaluate(NasNetArchitecture architecture, long trialId) {
    return evaluate(architecture, workRoot.resolve("trial-" + trialId));
  }

  /** Reports the validation accuracy after every epoch, so a pruner can stop the child early. */
  @Override
  public TrialResult evaluate(NasNetArchitecture architecture, long trialId,
      dev.nasnet.search.trial.TrialContext context) {
    return evaluate(architecture, workRoot.resolve("trial-" + trialId), context);
  }

  /** Trains the child in {@code runDir} (checkpoints, metrics) and returns its reward. */
  public TrialResult evaluate(NasNetArchitecture architecture, Path runDir) {
    return evaluate(architecture, runDir, dev.nasnet.search.trial.TrialContext.NONE);
  }

  /** As {@link #evaluate(NasNetArchitecture, Path)}, reporting validation top-1 after each epoch to {@code context}. */
  public TrialResult evaluate(NasNetArchitecture architecture, Path runDir,
      dev.nasnet.search.trial.TrialContext context) {
    ImageDataset[] split = data();
    ImageDataset train = split[0];
    ImageDataset validation = split[1];
    NasNetConfig child = childConfig(architecture, train);
    ModelSummary summary = ModelSummary.of(child, ops);
    EpochTraining plan = EpochTraining.builder(child, train, validation).epochs(task.epochs())
        .batchSize(task.batchSize()).learningRate(task.learningRate()).warmupEpochs(Math.min(task.epochs() / 10, 0.25))
        .logsPerEpoch(2).seed(task.seed()).devices(task.devices()).regularization(Regularization.cifar().withDropPathKeepProb(1.0)).ops(ops).build();
    long t0 = System.nanoTime();
    int epochSteps = plan.stepsPerEpoch();
    // A trial's directory is the search's scratch space: a trial run again (after a crash) starts over in it.
    TrainingResult result = plan.run(TrainingRun.in(runDir).overwriting().withoutPlot()
        .withListener(new TrainingListener() {
          @Override
          public void onValidation(long step, Map<String, Double> validation) {
            // Epochs as the pruner's steps: the same unit for every child of the task.
            context.report(Math.max(1, Math.round((double) step / epochSteps)), validation.get("top1"));
          }
        })).result();
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    if (result.validation() == null || !Double.isFinite(result.finalTrainLoss())) {
      throw new IllegalStateException("child training diverged (final loss " + result.finalTrainLoss() + ")");
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    double accuracy = result.validation().top1();
    metrics.put("validation_top1", accuracy);
    metrics.put("validation_loss", result.validation().loss());
    metrics.put("parameters", (double) summary.totalParameters());
    metrics.put("multiply_adds", (double) summary.multiplyAdds());
    metrics.put("train_seconds", trainSeconds);
    double reward = accuracy;
    if (task.macTarget() > 0) {
      reward *= Math.pow(summary.multiplyAdds() / task.macTarget(), task.penaltyExponent());
    }
    if (task.latencyTargetMs() > 0) {
      double latency = medianLatencyMs(child);
      metrics.put("latency_ms", latency);
      reward *= Math.pow(latency / task.latencyTargetMs(), task.penaltyExponent());
    }
    return TrialResult.of(reward, ImmutableMap.copyOf(metrics));
  }

  /** The child network this task trains for an architecture (public so users can rebuild a winner at full size). */
  public NasNetConfig childConfig(NasNetArchitecture a, ImageDataset like) {
    return NasNetConfig.cifar().toBuilder().name("proxy_child").stem(Stem.CIFAR).imageSize(like.height())
        .imageChannels(like.channels()).notation(task.cellsPerStack(), task.penultimateFilters())
        .numClasses(like.numClasses())
        .cells(a.normal(), a.reduction() != null ? a.reduction() : Cells.nasnetAReduction())
        .auxHead(false).seed(task.seed()).build();
  }

  /** Batch-1 inference time: 3 untimed runs, then the median of 21. Weights do not matter, so they stay random. */
  private double medianLatencyMs(NasNetConfig child) {
    Shape shape = Shape.of(1, child.imageSize(), child.imageSize(), child.imageChannels());
    double[] ms = new double[21];
    try (NasNetClassifier net = NasNetClassifier.create(child, ops); TFloat32 image = TFloat32.tensorOf(shape)) {
      for (int i = 0; i < 3; i++) {
        net.logits(image).close();
      }
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        net.logits(image).close();
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  /** [train, validation], read once and shared by every trial of this evaluator. */
  private synchronized ImageDataset[] data() {
    if (data == null) {
      Path dir = Path.of(task.dataDir());
      // IDX, CIFAR binaries or image folders (resized to 32 px), whichever the directory holds.
      ImageDataset all = dev.nasnet.core.data.Datasets.load(dir, 32).train();
      if (task.trainImages() + task.validationImages() > all.size()) {
        throw new IllegalArgumentException("proxy task asks for " + task.trainImages() + " training + "
            + task.validationImages() + " validation images, " + dir + " has " + all.size());
      }
      ImageDataset[] split = all.split(task.validationImages(), task.seed());
      data = new ImageDataset[] {split[0].head(task.trainImages()), split[1]};
    }
    return data;
  }
}
