package dev.nasnet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.data.Batch;
import dev.nasnet.core.data.DataPipeline;
import dev.nasnet.core.data.ImageDataset;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Regularization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel towers on virtual CPU devices. Two towers normalise each half of the batch with its own statistics
 * (TF-slim model_deploy's batch norm), so they must match one device with two batch-norm groups on the same global
 * batch, step for step. Drop path and dropout are off: towers draw their masks per tower, one device per op.
 *
 * <p>The two graphs differ only in how float sums are ordered (two half-batch gradients added vs one whole-batch
 * gradient), about 1e-7 relative. The learning rate is small (1e-4) because at rates that train this tiny net fast
 * (0.003 and up) its path is chaotic: a max-pool tie that flips, or batch norm's cancellation over 8 examples, turns
 * such rounding into loss differences of 1e-4 within five steps and percents later, for any two orderings of the
 * sums. At 1e-4 the runs agree to about 1e-6 after 20 steps.
 */
class TowerTrainingTest {
  private static final int STEPS = 20;

  private static TrainingConfig config(int devices, int batchNormGroups) {
    // No random ops (no drop path, no dropout), but weight decay (counted once), the aux head, clipping, momentum.
    return TrainingConfig.builder().batchSize(16).totalSteps(STEPS)
        .regularization(Regularization.cifar().withDropPathKeepProb(1.0).withDenseDropoutKeepProb(1.0))
        .schedule(LearningRateSchedule.cosine(1e-4, STEPS, 2)).devices(devices)
        .batchNormGroups(batchNormGroups).build();
  }

  /** What a run leaves: its per-step losses, variable values by name, and its graph's facts. */
  private record Run(double[] losses, Map<String, float[]> initial, Map<String, float[]> values, long variableOps, List<String> checkpointNames,
      Map<String, String> devices) {}

  private static Run train(NasNetConfig model, TrainingConfig config, List<Batch> batches) {
    try (Trainer t = new Trainer(model, config)) {
      Map<String, float[]> initial = values(t);
      double[] losses = new double[STEPS];
      for (int step = 0; step < STEPS; step++) {
        losses[step] = t.step(batches.get(step), step, config.schedule().at(step)).loss();
      }
      Map<String, float[]> values = values(t);
      Graph g = t.graph().model().graph();
      long variableOps = 0;
      Map<String, String> devices = new LinkedHashMap<>();
      for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (op.type().startsWith("Variable")) {
          variableOps++;
        }
        devices.put(op.name(), op.device());
      }
      List<String> names = t.graph().checkpointVariables().stream().map(ModelVariable::name).toList();
      return new Run(losses, initial, values, variableOps, names, devices);
    }
  }

  /** The model's variables (weights, batch-norm parameters and moving statistics) by name. */
  private static Map<String, float[]> values(Trainer t) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (ModelVariable v : t.graph().model().variables()) {
      try (Result r = t.session().runner().fetch(v.variable()).run()) {
        TFloat32 x = (TFloat32) r.get(0);
        float[] a = new float[(int) x.size()];
        x.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(a, false, false));
        values.put(v.name(), a);
      }
    }
    return values;
  }

  private static List<Batch> batches() {
    ImageDataset data = TrainerTest.quadrants(16 * STEPS, 3);
    DataPipeline pipe = DataPipeline.builder(data).batchSize(16).seed(5).build();
    List<Batch> out = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      out.add(pipe.batch(i));
    }
    return out;
  }

  @Test
  void twoTowersMatchOneDeviceWithTwoBatchNormGroups() {
    NasNetConfig model = TrainerTest.tiny(4);
    List<Batch> batches = batches();
    long start = System.nanoTime();
    Run towers = train(model, config(2, 1), batches);
    Run grouped = train(model, config(1, 2), batches);

    double maxLoss = 0;
    for (int s = 0; s < STEPS; s++) {
      maxLoss = Math.max(maxLoss, Math.abs(towers.losses()[s] - grouped.losses()[s]) / Math.abs(grouped.losses()[s]));
    }
    // How far training moved the model's variables, towers against one device: the difference of the two
    // displacements relative to the displacement (a relative error per variable would be dominated by parameters
    // such as betas followed by batch norm, whose gradients nearly cancel).
    assertThat(towers.initial().keySet()).isEqualTo(grouped.initial().keySet());
    double differenceSquared = 0;
    double displacementSquared = 0;
    for (String name : grouped.values().keySet()) {
      float[] from = grouped.initial().get(name);
      assertThat(towers.initial().get(name)).as("%s starts the same", name).isEqualTo(from);
      float[] a = grouped.values().get(name);
      float[] b = towers.values().get(name);
      for (int i = 0; i < a.length; i++) {
        differenceSquared += (double) (a[i] - b[i]) * (a[i] - b[i]);
        displacementSquared += (double) (a[i] - from[i]) * (a[i] - from[i]);
      }
    }
    double maxValue = Math.sqrt(differenceSquared / displacementSquared);
    System.out.printf(java.util.Locale.ROOT, "towers vs grouped: max relative loss difference %.3g over %d steps, "
        + "relative difference of the variables' displacement %.3g; losses %.4f -> %.4f; variable ops %d, "
        + "checkpoint variables %d; %.1f s%n", maxLoss, STEPS, maxValue, grouped.losses()[0],
        grouped.losses()[STEPS - 1], towers.variableOps(), towers.checkpointNames().size(),
        (System.nanoTime() - start) / 1e9);

    assertThat(maxLoss).as("max relative loss difference, 2 towers vs 2 batch-norm groups").isLessThan(1e-4);
    assertThat(displacementSquared).isGreaterThan(0);
    assertThat(maxValue).as("relative difference of the displacement after %s steps", STEPS).isLessThan(1e-4);
    assertThat(grouped.losses()[STEPS - 1]).isLessThan(grouped.losses()[0]);

    // Every variable exists once: the same variable ops and checkpoint names as on one device.
    assertThat(towers.variableOps()).isEqualTo(grouped.variableOps());
    assertThat(towers.checkpointNames()).isEqualTo(grouped.checkpointNames()).doesNotHaveDuplicates();
    assertThat(towers.checkpointNames()).noneMatch(n -> n.startsWith("tower_"));

    // Tower 1's ops sit on CPU:1, tower 0's (which keep the single-device names) on CPU:0.
    Map<String, String> devices = towers.devices();
    List<String> tower1 = devices.keySet().stream().filter(n -> n.startsWith("tower_1/")
        || n.startsWith("train/tower_1/")).toList();
    assertThat(tower1).anyMatch(n -> n.startsWith("tower_1/cell_0/")).anyMatch(n -> n.startsWith("train/tower_1/"));
    assertThat(tower1).allSatisfy(n -> assertThat(devices.get(n)).as(n).endsWith("CPU:1"));
    assertThat(devices.get("cell_0/1x1/weights")).as("the variable").isEqualTo("/device:CPU:0");
    assertThat(devices.get("cell_0/1x1/Conv2d")).as("tower 0's conv").isEqualTo("/device:CPU:0");
    assertThat(devices.get("tower_1/cell_0/1x1/Conv2d")).as("tower 1's conv").isEqualTo("/device:CPU:1");
    assertThat(grouped.devices().get("cell_0/1x1/Conv2d")).as("one device: unpinned").isEmpty();
  }

  @Test
  void theBatchMustSplitEvenlyOverTheDevices() {
    assertThatThrownBy(() -> TrainingConfig.builder().batchSize(10).devices(4).build())
        .hasMessageContaining("batch size 10").hasMessageContaining("4 devices");
    assertThatThrownBy(() -> TrainingConfig.builder().devices(2).deviceType("TPU").build())
        .hasMessageContaining("CPU or GPU");
  }
}
