package dev.nasnet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Regularization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;

class DropPathScheduleTest {

  @Test
  void largeScheduleMatchesSlimV3() {
    NasNetConfig large = NasNetConfig.large();
    DropPathSchedule s = new DropPathSchedule(Regularization.large().dropPathKeepProb(), large.totalNumCells());
    assertThat(large.totalNumCells()).isEqualTo(22);
    assertThat(NasNetConfig.mobile().totalNumCells()).isEqualTo(16);
    assertThat(NasNetConfig.cifar().totalNumCells()).isEqualTo(20);
    // nasnet-a.md §2.8: at the end of training cell 0 keeps 0.986 and the last cell (21) keeps 0.70.
    assertThat(s.keepProb(0, 1.0)).isCloseTo(0.98636, within(1e-5));
    assertThat(s.keepProb(21, 1.0)).isCloseTo(0.70, within(1e-9));
    assertThat(s.keepProb(21, 0.0)).isEqualTo(1.0);
    assertThat(s.keepProb(21, 0.5)).isCloseTo(0.85, within(1e-9));
    assertThat(s.keepProb(21, 3.0)).isCloseTo(0.70, within(1e-9));
    assertThat(new DropPathSchedule(1.0, 16).enabled()).isFalse();
  }

  @Test
  void randomOpsOnlyInTrainingGraphs() {
    NasNetConfig config = TinyConfigs.cifar();
    assertThat(randomOpTypes(config, Mode.INFERENCE, Regularization.cifar())).isEmpty();
    List<String> training = randomOpTypes(config, Mode.TRAINING, Regularization.cifar());
    // One mask per drop-pathed op in 3 normal + 2 reduction cells, plus the final dropout: there are many.
    assertThat(training).hasSizeGreaterThan(20).containsOnly("StatelessRandomUniform");
    assertThat(randomOpTypes(config, Mode.TRAINING, Regularization.none())).isEmpty();
  }

  private static List<String> randomOpTypes(NasNetConfig config, Mode mode, Regularization regularization) {
    try (Graph g = new Graph()) {
      new NasNetBuilder(config).withRegularization(regularization).build(g, mode);
      List<String> types = new ArrayList<>();
      for (var it = g.operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        // Variable initialisers are random too; only the forward pass counts here.
        if (op.type().contains("Random") && !g.isInitializer(op)) {
          types.add(op.type());
        }
      }
      return types;
    }
  }
}
