package dev.nasnet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.graph.Mode;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

/** Parameter counts and multiply-adds against nasnet-a.md §4.3–4.4 (Keras and an independent slim-rule count). */
class PublishedModelsTest {

  private static ModelSummary summary(NasNetConfig config, Mode mode) {
    try (Graph g = new Graph()) {
      return new NasNetBuilder(config).build(g, mode).summary();
    }
  }

  @Test
  void mobile224With1000ClassesMatchesKeras() {
    ModelSummary s = summary(NasNetConfig.mobile(), Mode.INFERENCE);
    assertThat(s.trainableParameters()).isEqualTo(5_289_978L);
    assertThat(s.nonTrainableParameters()).isEqualTo(36_738L);
    assertThat(s.totalParameters()).isEqualTo(5_326_716L);
    assertThat(s.multiplyAdds()).isEqualTo(563_638_816L);
  }

  @Test
  void large331With1000ClassesMatchesKeras() {
    ModelSummary s = summary(NasNetConfig.large(), Mode.INFERENCE);
    assertThat(s.trainableParameters()).isEqualTo(88_753_150L);
    assertThat(s.nonTrainableParameters()).isEqualTo(196_668L);
    assertThat(s.totalParameters()).isEqualTo(88_949_818L);
    assertThat(s.multiplyAdds()).isEqualTo(23_783_414_658L);
  }

  @Test
  void checkpointLayoutsWith1001ClassesAndAuxHead() {
    assertThat(summary(NasNetConfig.mobile().toBuilder().numClasses(1001).build(), Mode.TRAINING).totalParameters())
        .isEqualTo(7_741_574L);
    assertThat(summary(NasNetConfig.large().toBuilder().numClasses(1001).build(), Mode.TRAINING).totalParameters())
        .isEqualTo(93_524_196L);
    assertThat(summary(NasNetConfig.mobile().toBuilder().numClasses(1001).build(), Mode.INFERENCE)
        .totalParameters()).isEqualTo(5_327_773L);
  }

  @Test
  void cifar6At768() {
    ModelSummary plain = summary(NasNetConfig.cifar(), Mode.INFERENCE);
    assertThat(plain.trainableParameters()).isEqualTo(3_346_538L);
    assertThat(plain.totalParameters()).isEqualTo(3_383_786L);
    assertThat(summary(NasNetConfig.cifar(), Mode.TRAINING).totalParameters()).isEqualTo(5_017_076L);
  }

  @Test
  void pnasnet5() {
    ModelSummary large = summary(NasNetConfig.pnasnetLarge(), Mode.INFERENCE);
    assertThat(large.trainableParameters()).isEqualTo(86_057_668L);
    assertThat(large.totalParameters()).isEqualTo(86_234_656L);
    assertThat(summary(NasNetConfig.pnasnetMobile(), Mode.INFERENCE).totalParameters()).isEqualTo(5_098_151L);
  }

  @Test
  void headlessNetworksEndAtTheGlobalPool() {
    ModelSummary s = summary(NasNetConfig.mobile().toBuilder().numClasses(0).build(), Mode.INFERENCE);
    assertThat(s.totalParameters()).isEqualTo(4_269_716L);
    assertThat(s.endpointShapes()).containsKey("global_pool").doesNotContainKey("Logits");
  }
}
