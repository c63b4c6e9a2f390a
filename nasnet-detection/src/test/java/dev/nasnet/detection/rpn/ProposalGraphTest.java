package dev.nasnet.detection.rpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nasnet.detection.boxes.GridAnchorGenerator;
import dev.nasnet.detection.boxes.BoxCode;
import dev.nasnet.detection.boxes.BoxGraph;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.boxes.ScoredBox;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The exported graph's proposals must be the ones the tested Java generator makes from the same RPN outputs. */
class ProposalGraphTest {
  private final FasterRcnnBoxCoder coder = FasterRcnnBoxCoder.nasnetDefaults();

  @Test
  void inGraphProposalsMatchTheJavaGenerator() {
    GridAnchorGenerator generator = GridAnchorGenerator.nasnetDefaults().withBaseSize(32, 32).withStride(8, 8)
        .withOffset(4, 4);
    List<CornerBox> anchors = generator.generate(12, 12);
    int n = anchors.size();
    Random random = new Random(7);
    float[] codes = new float[n * 4];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 4; k++) {
        codes[4 * i + k] = (float) (random.nextGaussian() * 3);
      }
      scores[i] = random.nextFloat();
    }
    float size = 96;
    List<ScoredBox> expected = new ProposalGenerator(coder, 0.7, 40).generate(anchors, scores, codes,
        new CornerBox(0, 0, size, size));
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> proposals = ProposalGraph.propose(tf, constant(tf, codes, n, 4), constant(tf, scores, n),
          constant(tf, CornerBox.flatten(anchors), n, 4), size, size, coder, 0.7, 40);
      try (Session s = new Session(g); Result r = s.runner().fetch(proposals).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        assertThat(t.shape().get(0)).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
          CornerBox e = expected.get(i).box();
          assertThat(t.getFloat(i, 0)).as("proposal %s ymin", i).isCloseTo((float) e.ymin(), within(1e-3f));
          assertThat(t.getFloat(i, 1)).as("proposal %s xmin", i).isCloseTo((float) e.xmin(), within(1e-3f));
          assertThat(t.getFloat(i, 2)).as("proposal %s ymax", i).isCloseTo((float) e.ymax(), within(1e-3f));
          assertThat(t.getFloat(i, 3)).as("proposal %s xmax", i).isCloseTo((float) e.xmax(), within(1e-3f));
        }
      }
    }
  }

  @Test
  void inGraphDecodeMatchesTheCoderAndBroadcastsClassSpecificCodes() {
    CornerBox proposal = new CornerBox(10, 20, 50, 44);
    float[] codes = {1.5f, -2f, 0.7f, -0.4f, -3f, 0.5f, -1.2f, 2f};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      // Two classes' codes [1, 2, 4] against one proposal [1, 1, 4].
      Operand<TFloat32> decoded = BoxGraph.decode(tf, constant(tf, codes, 1, 2, 4),
          constant(tf, CornerBox.flatten(List.of(proposal)), 1, 1, 4), coder);
      try (Session s = new Session(g); Result r = s.runner().fetch(decoded).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        for (int c = 0; c < 2; c++) {
          CornerBox e = coder.decode(new BoxCode(codes[4 * c], codes[4 * c + 1], codes[4 * c + 2],
              codes[4 * c + 3]), proposal);
          assertThat(t.getFloat(0, c, 0)).isCloseTo((float) e.ymin(), within(1e-3f));
          assertThat(t.getFloat(0, c, 1)).isCloseTo((float) e.xmin(), within(1e-3f));
          assertThat(t.getFloat(0, c, 2)).isCloseTo((float) e.ymax(), within(1e-3f));
          assertThat(t.getFloat(0, c, 3)).isCloseTo((float) e.xmax(), within(1e-3f));
        }
      }
    }
  }

  private static Operand<TFloat32> constant(Ops tf, float[] values, long... shape) {
    return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
  }
}
