package dev.nasnet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.ModelVariable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * NASNet-A Mobile cut for Faster R-CNN as detection.md §1.4 derives it: first stage to Cell_7 with
 * concat(Cell_6, Cell_7) = 528 + 528 = 1056 channels at stride 16; second stage reduction_cell_1 + cells 8..11 on
 * 17x17 crops, 9x9x1056 out. Together the stages hold exactly the whole network's variables.
 */
class TwoStageBackboneTest {
  private static Map<String, String> shapes(Iterable<ModelVariable> vars) {
    Map<String, String> out = new TreeMap<>();
    vars.forEach(v -> out.put(v.name(), Arrays.toString(v.shape())));
    return out;
  }

  @Test
  void mobileSplitAtCell7HasTheReferenceShapesAndTheWholeNetworksVariables() {
    NasNetConfig mobile = NasNetConfig.mobile().toBuilder().numClasses(0).auxHead(false).build();
    Map<String, String> whole;
    try (Graph g = new Graph()) {
      whole = shapes(new NasNetBuilder(mobile).build(g, Mode.INFERENCE).variables());
    }
    try (Graph g = new Graph()) {
      TwoStageBackbone b = new NasNetBuilder(mobile).buildTwoStage(g, Mode.INFERENCE, 7);
      // Shape.equals is false whenever a dimension is unknown, so compare the dimensions.
      assertThat(b.firstStageFeatures().shape().asArray()).containsExactly(-1, 14, 14, 1056);
      assertThat(b.endpoints()).containsKeys("Cell_6", "Cell_7", "Reduction_Cell_0").doesNotContainKey("Cell_8");
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> crops = tf.withName("crops").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 17, 17, 1056)));
      assertThat(b.secondStage(crops).shape().asArray()).containsExactly(-1, 9, 9, 1056);
      assertThat(b.endpoints()).containsKeys("Reduction_Cell_1", "Cell_11");
      assertThat(shapes(b.variables())).isEqualTo(whole);
      assertThatThrownBy(() -> b.secondStage(crops)).hasMessageContaining("already built");
    }
  }

  @Test
  void aSplitOutsideTheCellsIsNamed() {
    try (Graph g = new Graph()) {
      assertThatThrownBy(() -> new NasNetBuilder(NasNetConfig.mobile()).buildTwoStage(g, Mode.INFERENCE, 11))
          .hasMessageContaining("split cell must be in 1..10 for 12 cells, got 11");
    }
  }
}
