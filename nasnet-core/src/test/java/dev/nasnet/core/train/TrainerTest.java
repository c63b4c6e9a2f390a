package dev.nasnet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.checkpoint.CheckpointReader;
import dev.nasnet.core.data.Augmentation;
import dev.nasnet.core.data.DataPipeline;
import dev.nasnet.core.data.IdxReader;
import dev.nasnet.core.data.ImageDataset;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Regularization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path dir;

  /** Random 16x16 grayscale images whose label is which quadrant is brightest. */
  static ImageDataset quadrants(int n, long seed) {
    Random r = new Random(seed);
    byte[] px = new byte[n * 256];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(4);
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          int q = (y / 8) * 2 + x / 8;
          px[i * 256 + y * 16 + x] = (byte) (r.nextInt(100) + (q == labels[i] ? 120 : 0));
        }
      }
    }
    return new ImageDataset(px, labels, 16, 16, 1, 4);
  }

  static NasNetConfig tiny(int classes) {
    return TinyConfigs.cifar().toBuilder().imageChannels(1).numClasses(classes).build();
  }

  private static TrainingConfig config(long steps) {
    return TrainingConfig.builder().batchSize(16).totalSteps(steps).movingAverageDecay(0.99)
        .regularization(Regularization.cifar().withDropPathKeepProb(0.7).withDenseDropoutKeepProb(0.8))
        .schedule(LearningRateSchedule.cosine(0.05, steps, 2)).checkpointEvery(6).logEvery(3).build();
  }

  /** Trains in a trainer of its own, closed afterwards. */
  static TrainingResult train(NasNetConfig model, TrainingConfig config, DataPipeline train, DataPipeline validation,
      TrainingRun run) {
    try (Trainer t = new Trainer(model, config)) {
      return t.fit(train, validation, run);
    }
  }

  private static DataPipeline pipeline(ImageDataset data) {
    return DataPipeline.builder(data).batchSize(16).seed(9).augmentation(Augmentation.standard(4)).build();
  }

  @Test
  void aResumedRunRepeatsTheUninterruptedRunsLosses() {
    ImageDataset data = quadrants(96, 1);
    NasNetConfig model = tiny(4);
    double[] straight = new double[13];
    train(model, config(12), pipeline(data), null, TrainingRun.in(dir.resolve("a"))
        .withListener(new TrainingListener() {
          @Override
          public void onStep(long step, long total, StepMetrics m, double ips) {
            straight[(int) step] = m.loss();
          }
        }));

    Path b = dir.resolve("b");
    assertThatThrownBy(() -> train(model, config(12), pipeline(data), null, TrainingRun.in(b)
        .withListener(new TrainingListener() {
          @Override
          public void onStep(long step, long total, StepMetrics m, double ips) {
            if (step == 8) {
              throw new IllegalStateException("simulated crash");
            }
          }
        }))).hasMessage("simulated crash");
    assertThat(Trainer.savedStep(b)).isEqualTo(6);

    double[] resumed = new double[13];
    train(model, config(12), pipeline(data), null, TrainingRun.in(b).resuming()
        .withListener(new TrainingListener() {
          @Override
          public void onStep(long step, long total, StepMetrics m, double ips) {
            resumed[(int) step] = m.loss();
          }
        }));
    for (int step = 7; step <= 12; step++) {
      assertThat(resumed[step]).as("loss at step %s", step).isCloseTo(straight[step],
          org.assertj.core.api.Assertions.within(1e-4 * Math.abs(straight[step])));
    }
    assertThat(Arrays.stream(resumed, 1, 7).allMatch(v -> v == 0)).isTrue();
    // Metrics hold every step's row once even though the crashed run had logged past its checkpoint.
    assertThat(dev.nasnet.core.train.MetricsLogTest.trainSteps(b.resolve(MetricsLog.CSV)))
        .containsExactly(3L, 6L, 9L, 12L);
    assertThat(CheckpointReader.open(b.resolve("ckpt-12")).entries())
        .containsKey("cell_0/1x1/weights/Momentum").containsKey("cell_0/1x1/weights/ExponentialMovingAverage");
  }

  @Test
  void fineTuningReinitialisesTheHeadAndFrozenCellsStayPut() throws Exception {
    ImageDataset four = quadrants(64, 2);
    Path base = dir.resolve("base");
    TrainingResult r = train(tiny(4), config(6), pipeline(four), null, TrainingRun.in(base));
    CheckpointReader before = CheckpointReader.open(r.checkpoint());

    ImageDataset two = new ImageDataset(four.pixels(), Arrays.stream(four.labels()).map(l -> l % 2).toArray(), 16,
        16, 1, 2);
    TrainingConfig frozen = config(6).toBuilder().freezeBelow("cell_1").build();
    TrainingResult tuned = train(tiny(2), frozen, pipeline(two), null,
        TrainingRun.in(dir.resolve("tuned")).initializedFrom(r.checkpoint()));
    CheckpointReader after = CheckpointReader.open(tuned.checkpoint());
    assertThat(after.entries().get("final_layer/FC/weights").shape()).containsExactly(192, 2);
    // Below cell_1: restored (from the moving averages, as for released checkpoints), then untouched.
    String ema = dev.nasnet.core.checkpoint.Checkpoints.EMA_SUFFIX;
    assertThat(after.readFloats("cell_0/1x1/weights")).isEqualTo(before.readFloats("cell_0/1x1/weights" + ema));
    assertThat(after.readFloats("l1_stem_3x3/weights")).isEqualTo(before.readFloats("l1_stem_3x3/weights" + ema));
    assertThat(after.entries()).doesNotContainKey("cell_0/1x1/weights/Momentum");
    // From cell_1 on: trained further.
    assertThat(after.readFloats("cell_1/1x1/weights")).isNotEqualTo(before.readFloats("cell_1/1x1/weights"));
    assertThatThrownBy(() -> new TrainingGraph(new org.tensorflow.Graph(), tiny(2),
        dev.nasnet.core.graph.OpLibrary.standard(), config(6).toBuilder().freezeBelow("cell_99").build()))
        .hasMessageContaining("no scope 'cell_99'");
  }

  @Test
  void aShortRunOnAFashionMnistSubsetBeatsChanceByFar() {
    assumeTrue(IdxReader.isPresent(IdxReader.FASHION_MNIST_DIR),
        "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    ImageDataset[] split = IdxReader.train(IdxReader.FASHION_MNIST_DIR).head(3000).split(1000, 1);
    NasNetConfig model = NasNetConfig.cifar().toBuilder().imageSize(28).imageChannels(1).numCells(3)
        .numConvFilters(8).stemMultiplier(1).build();
    TrainingConfig cfg = TrainingConfig.builder().batchSize(32).totalSteps(150)
        .regularization(Regularization.cifar().withDropPathKeepProb(1))
        .schedule(LearningRateSchedule.cosine(0.05, 150, 10)).logEvery(50).build();
    TrainingResult r = train(model, cfg, 
        DataPipeline.builder(split[0]).batchSize(32).seed(1).build(),
        DataPipeline.builder(split[1]).batchSize(250).forEvaluation().build(), TrainingRun.in(dir.resolve("f")));
    // Chance is 10%.
    assertThat(r.validation().top1()).as("validation %s", r.validation()).isGreaterThan(0.6);
    assertThat(r.validation().examples()).isEqualTo(1000);
    assertThat(Files.exists(dir.resolve("f/metrics.csv"))).isTrue();
  }
}
