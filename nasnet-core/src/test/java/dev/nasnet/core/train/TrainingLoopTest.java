package dev.nasnet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.data.BatchSource;
import dev.nasnet.core.graph.ModelVariable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;

/** The loop's own rules, on a task without TensorFlow: windows, validation rows, the guards, the plot. */
class TrainingLoopTest {
  @TempDir
  Path dir;

  /** Batches are their step numbers; the loss is a function of the step. */
  private static TrainingLoop.Task<Long> task(LongToDoubleFunction loss, List<Long> seen, boolean validates) {
    return new TrainingLoop.Task<>() {
      @Override
      public Session session() {
        throw new AssertionError("no checkpoint expected");
      }

      @Override
      public List<ModelVariable> checkpointVariables() {
        return List.of();
      }

      @Override
      public BatchSource<Long> batches(long fromStep) {
        return new BatchSource<>() {
          long next = fromStep;

          @Override
          public Long next() {
            return next++;
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public int stepsPerEpoch() {
        return 4;
      }

      @Override
      public List<String> metricColumns() {
        return List.of("loss", "part");
      }

      @Override
      public StepMetrics step(Long batch, long step, double learningRate) {
        assertThat(batch).isEqualTo(step);
        seen.add(step);
        return StepMetrics.of(loss.applyAsDouble(step), Map.of("part", (double) step), 2);
      }

      @Override
      public Map<String, Double> validate(long step) {
        return validates ? Map.of("loss", 1.0 / step) : Map.of();
      }
    };
  }

  private static TrainingLoop.Settings settings(long steps) {
    return new TrainingLoop.Settings(steps, LearningRateSchedule.constant(0.1), 2, 0);
  }

  @Test
  void runsEveryStepOnceAndAveragesEachWindow() throws IOException {
    List<Long> seen = new ArrayList<>();
    List<Map<String, Double>> validations = new ArrayList<>();
    TrainingLoop.Outcome out = TrainingLoop.run(task(s -> 2.0 - s * 0.1, seen, true), settings(8),
        TrainingRun.inMemory().withListener(new TrainingListener() {
          @Override
          public void onValidation(long step, Map<String, Double> metrics) {
            validations.add(metrics);
          }
        }));
    assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(out.last().loss()).isCloseTo(1.3, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(validations).hasSize(2);
    assertThat(out.validation()).containsEntry("loss", 1.0 / 8);
  }

  @Test
  void metricsTakeTheTasksColumnsAndThePlotReadsThem() throws IOException {
    Path run = dir.resolve("run");
    try (MetricsLog log = new MetricsLog(run, 0, List.of("loss", "part"))) {
      log.append(new MetricsLog.Row(2, 0.5, "train", Map.of("loss", 1.0, "part", 0.5), 0.1, 10, 1));
      log.append(new MetricsLog.Row(4, 1.0, "train", Map.of("loss", 0.8, "part", 2.5), 0.1, 10, 2));
    }
    List<String> lines = Files.readAllLines(run.resolve(MetricsLog.CSV));
    assertThat(lines.get(0)).isEqualTo("step,epoch,split,loss,part,learning_rate,images_per_second,wall_seconds");
    assertThat(lines.get(2)).startsWith("4,1.0000,train,0.800000,2.50000,0.100000,");
    Path png = LearningCurvePlot.write(run.resolve(MetricsLog.CSV), run.resolve(LearningCurvePlot.FILE), "t");
    assertThat(Files.size(png)).isGreaterThan(1000);
  }

  @Test
  void aNanLossStopsTheRunNamingTheStep() {
    assertThatThrownBy(() -> TrainingLoop.run(task(s -> s == 3 ? Double.NaN : 1, new ArrayList<>(), false),
        settings(8), TrainingRun.inMemory())).hasMessageContaining("loss became NaN at step 3");
  }

  @Test
  void anExplodingLossStopsTheRunBeforeItReachesNaN() {
    List<Long> seen = new ArrayList<>();
    assertThatThrownBy(() -> TrainingLoop.run(task(s -> 2.3 * Math.pow(10, s), seen, false), settings(20),
        TrainingRun.inMemory())).hasMessageContaining("training diverged").hasMessageContaining("at step 3")
        .hasMessageContaining("100x the first step's 2.3");
    assertThat(seen).hasSize(4);
  }

  @Test
  void theDivergenceGuardCanBeRaisedOrTurnedOff() throws IOException {
    List<Long> seen = new ArrayList<>();
    TrainingLoop.run(task(s -> 2.3 * Math.pow(10, s), seen, false), settings(6),
        TrainingRun.inMemory().withDivergenceFactor(0));
    assertThat(seen).hasSize(6);
    assertThatThrownBy(() -> TrainingRun.inMemory().withDivergenceFactor(0.5))
        .hasMessageContaining("divergence factor must be 0 (off) or above 1");
  }
}
