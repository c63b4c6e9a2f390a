package dev.nasnet.detection.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.runtime.GraphSession;
import dev.nasnet.detection.DetectorTrainingConfig;
import dev.nasnet.detection.FasterRcnnConfig;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.dataset.DetectionDataset;
import dev.nasnet.detection.dataset.DetectionExample;
import dev.nasnet.detection.secondstage.SecondStageTargets;
import dev.nasnet.detection.synthetic.ShapesConfig;
import dev.nasnet.detection.synthetic.ShapesDataset;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training graph assigns the second stage's targets to its own proposals in the same run: fetched together, the
 * proposals and the in-graph targets must be what the Java reference ({@link SecondStageTargets#assign}) makes of
 * those proposals. The second-stage sampler is set so every proposal is sampled (batch 64 at 0.5 over at most 32
 * proposals), which makes the choice determined; with the default sampler only the draw differs (see
 * TargetGraphTest).
 */
class DetectorTrainingGraphTest {

  @Test
  void inGraphSecondStageTargetsEqualTheJavaOnesOnTheGraphsOwnProposals() {
    DetectionDataset data = DetectionDataset.of(ShapesDataset.generate(new ShapesConfig(64, 64, 3, 12, 28), 2, 5));
    FasterRcnnConfig base = FasterRcnnConfig.shapes(64, data.categories());
    FasterRcnnConfig config = base.toBuilder().backbone(base.backbone().toBuilder().notation(2, 48).build())
        .secondStageBatch(64).secondStagePositiveFraction(0.5).build();
    assertThat(config.maxProposals()).isLessThanOrEqualTo(32);
    int batch = 2;
    int size = config.inputSize();
    GraphSession.Built<DetectorTrainingGraph> built = GraphSession.build(g -> new DetectorTrainingGraph(g, config,
        batch, 0.9, 10, DetectorTrainingConfig.regularizationFor(config)));
    List<Tensor> tensors = new ArrayList<>();
    try (GraphSession holder = built.holder().initialize()) {
      DetectorTrainingGraph model = built.model();
      float[] pixels = new float[batch * size * size * 3];
      List<List<CornerBox>> truth = new ArrayList<>();
      List<int[]> classes = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        var sample = data.sample(i, config.categories());
        byte[] rgb = sample.image().rgb();
        for (int k = 0; k < rgb.length; k++) {
          pixels[i * size * size * 3 + k] = rgb[k] & 0xff;
        }
        DetectionExample t = sample.truth();
        truth.add(t.boxes());
        classes.add(t.classes().toArray());
      }
      Session.Runner runner = holder.session().runner()
          .feed(model.images, keep(tensors, TFloat32.tensorOf(Shape.of(batch, size, size, 3),
              DataBuffers.of(pixels, true, false))))
          .feed(model.samplerSeeds, keep(tensors, TInt64.tensorOf(Shape.of(batch, 2),
              DataBuffers.of(new long[] {1, 10, 1, 11}, true, false))));
      for (int i = 0; i < batch; i++) {
        runner.feed(model.groundTruthBoxes.get(i), keep(tensors, boxes(truth.get(i))))
            .feed(model.groundTruthClasses.get(i), keep(tensors, TInt32.tensorOf(Shape.of(classes.get(i).length),
                DataBuffers.of(classes.get(i), true, false))));
        runner.fetch(model.proposals.get(i));
      }
      runner.fetch(model.boxes).fetch(model.boxImage).fetch(model.labels).fetch(model.classWeights)
          .fetch(model.boxTargets).fetch(model.boxWeights);
      try (Result r = runner.run()) {
        int row = 0;
        int positives = 0;
        TFloat32 gotBoxes = (TFloat32) r.get(batch);
        TInt32 gotImage = (TInt32) r.get(batch + 1);
        TInt32 gotLabels = (TInt32) r.get(batch + 2);
        TFloat32 gotClassWeights = (TFloat32) r.get(batch + 3);
        TFloat32 gotTargets = (TFloat32) r.get(batch + 4);
        TFloat32 gotWeights = (TFloat32) r.get(batch + 5);
        for (int i = 0; i < batch; i++) {
          TFloat32 p = (TFloat32) r.get(i);
          List<CornerBox> proposals = new ArrayList<>();
          for (int k = 0; k < p.shape().get(0); k++) {
            proposals.add(new CornerBox(p.getFloat(k, 0), p.getFloat(k, 1), p.getFloat(k, 2), p.getFloat(k, 3)));
          }
          assertThat(proposals).as("image %s has proposals", i).isNotEmpty();
          SecondStageTargets expected = SecondStageTargets.assign(proposals, truth.get(i), classes.get(i),
              config.numClasses(), ArgMaxMatcher.secondStage(), config.secondStageSampler(), FirstStage.CODER, 0);
          assertThat(expected.boxes()).hasSize(proposals.size());
          positives += expected.positives();
          for (int k = 0; k < expected.boxes().size(); k++, row++) {
            CornerBox e = expected.boxes().get(k);
            assertThat(gotImage.getInt(row)).isEqualTo(i);
            assertThat(gotLabels.getInt(row)).as("image %s proposal %s label", i, k).isEqualTo(expected.labels()[k]);
            assertThat(new float[] {gotBoxes.getFloat(row, 0), gotBoxes.getFloat(row, 1), gotBoxes.getFloat(row, 2),
                gotBoxes.getFloat(row, 3)}).containsExactly((float) (e.ymin() / size), (float) (e.xmin() / size),
                (float) (e.ymax() / size), (float) (e.xmax() / size));
            assertThat(gotClassWeights.getFloat(row)).isEqualTo(expected.classWeight() / batch);
            for (int c = 0; c < config.numClasses(); c++) {
              assertThat(gotWeights.getFloat(row, c)).isEqualTo(expected.boxWeights()[k * config.numClasses() + c]
                  / batch);
              for (int d = 0; d < 4; d++) {
                assertThat((double) gotTargets.getFloat(row, c, d)).isCloseTo(
                    expected.boxTargets()[(k * config.numClasses() + c) * 4 + d],
                    org.assertj.core.data.Offset.offset(2e-5));
              }
            }
          }
        }
        assertThat(gotLabels.shape().get(0)).isEqualTo(row);
        assertThat(positives).as("some proposals overlap the shapes").isPositive();
      }
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  private static <T extends Tensor> T keep(List<Tensor> tensors, T t) {
    tensors.add(t);
    return t;
  }

  private static TFloat32 boxes(List<CornerBox> boxes) {
    return TFloat32.tensorOf(Shape.of(boxes.size(), 4), DataBuffers.of(CornerBox.flatten(boxes), true, false));
  }
}
