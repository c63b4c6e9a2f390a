package dev.nasnet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.graph.Mode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

/** Parameter counts and multiply-adds against nasnet-a.md §4.3–4.4 (Keras and an independent slim-rule count). */
class PublishedModelsTest {

  /** What a test needs of a built model, kept after its graph is closed; builds are cached (Large takes seconds). */
  private record Built(ModelSummary summary, Map<String, long[]> variableShapes) {}

  private static final Map<String, Built> CACHE = new ConcurrentHashMap<>();

  private static Built built(NasNetConfig config, Mode mode) {
    return CACHE.computeIfAbsent(config + "/" + mode, k -> {
      try (Graph g = new Graph()) {
        NasNetModel m = new NasNetBuilder(config).build(g, mode);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        m.variables().forEach(v -> shapes.put(v.name(), v.shape()));
        return new Built(m.summary(), shapes);
      }
    });
  }

  private static ModelSummary summary(NasNetConfig config, Mode mode) {
    return built(config, mode).summary();
  }

  /** Endpoint name to [H, W, C] for names like Cell_0..3 given as a range. */
  private static void assertShapes(ModelSummary s, String prefix, int from, int to, long... hwc) {
    for (int i = from; i <= to; i++) {
      assertThat(s.endpointShapes().get(prefix + i)).as(prefix + i).containsExactly(hwc);
    }
  }

  @Test
  void mobileEndpointShapes() {
    ModelSummary s = summary(NasNetConfig.mobile(), Mode.INFERENCE);
    assertThat(s.endpointShapes().get("Stem")).containsExactly(28, 28, 88);
    assertShapes(s, "Cell_", 0, 3, 28, 28, 264);
    assertShapes(s, "Reduction_Cell_", 0, 0, 14, 14, 352);
    assertShapes(s, "Cell_", 4, 7, 14, 14, 528);
    assertShapes(s, "Reduction_Cell_", 1, 1, 7, 7, 704);
    assertShapes(s, "Cell_", 8, 11, 7, 7, 1056);
    assertThat(s.endpointShapes().get("global_pool")).containsExactly(1056);
    assertThat(s.endpointShapes().get("Logits")).containsExactly(1000);
  }

  @Test
  void largeEndpointShapes() {
    ModelSummary s = summary(NasNetConfig.large(), Mode.INFERENCE);
    assertThat(s.endpointShapes().get("Stem")).containsExactly(42, 42, 336);
    assertShapes(s, "Cell_", 0, 5, 42, 42, 1008);
    assertShapes(s, "Reduction_Cell_", 0, 0, 21, 21, 1344);
    assertShapes(s, "Cell_", 6, 11, 21, 21, 2016);
    assertShapes(s, "Reduction_Cell_", 1, 1, 11, 11, 2688);
    assertShapes(s, "Cell_", 12, 17, 11, 11, 4032);
  }

  @Test
  void cifarEndpointShapes() {
    ModelSummary s = summary(NasNetConfig.cifar(), Mode.INFERENCE);
    assertThat(s.endpointShapes().get("Stem")).containsExactly(32, 32, 96);
    assertShapes(s, "Cell_", 0, 5, 32, 32, 192);
    assertShapes(s, "Reduction_Cell_", 0, 0, 16, 16, 256);
    assertShapes(s, "Cell_", 6, 11, 16, 16, 384);
    assertShapes(s, "Reduction_Cell_", 1, 1, 8, 8, 512);
    assertShapes(s, "Cell_", 12, 17, 8, 8, 768);
  }

  @Test
  void pnasnetEndpointShapes() {
    ModelSummary large = summary(NasNetConfig.pnasnetLarge(), Mode.INFERENCE);
    assertThat(large.endpointShapes().get("Stem")).containsExactly(42, 42, 540);
    assertShapes(large, "Cell_", 0, 3, 42, 42, 1080);
    assertShapes(large, "Cell_", 4, 7, 21, 21, 2160);
    assertShapes(large, "Cell_", 8, 11, 11, 11, 4320);
    ModelSummary mobile = summary(NasNetConfig.pnasnetMobile(), Mode.INFERENCE);
    assertThat(mobile.endpointShapes().get("Stem")).containsExactly(28, 28, 135);
    assertShapes(mobile, "Cell_", 0, 2, 28, 28, 270);
    assertShapes(mobile, "Cell_", 3, 5, 14, 14, 540);
    assertShapes(mobile, "Cell_", 6, 8, 7, 7, 1080);
  }

  @Test
  void mobileVariableNamesAndShapesFollowSlimCheckpoints() {
    Map<String, long[]> v = built(NasNetConfig.mobile(), Mode.INFERENCE).variableShapes();
    assertThat(v.get("conv0/weights")).containsExactly(3, 3, 3, 32);
    assertThat(v).containsKeys("conv0_bn/beta", "conv0_bn/gamma", "conv0_bn/moving_mean", "conv0_bn/moving_variance");
    assertThat(v.get("cell_stem_0/1x1/weights")).containsExactly(1, 1, 32, 11);
    assertThat(v.get("cell_0/comb_iter_0/left/separable_5x5_1/depthwise_weights")).containsExactly(5, 5, 44, 1);
    assertThat(v.get("cell_0/comb_iter_0/left/separable_5x5_1/pointwise_weights")).containsExactly(1, 1, 44, 44);
    assertThat(v).containsKey("cell_0/comb_iter_0/left/bn_sep_5x5_2/moving_variance");
    assertThat(v.get("final_layer/FC/weights")).containsExactly(1056, 1000);
    assertThat(v.get("final_layer/FC/biases")).containsExactly(1000);
    // Previous-input adjustment: factorized after a stem or reduction, 1x1 elsewhere (nasnet-a.md §3).
    assertThat(v).doesNotContainKeys("cell_stem_0/path1_conv/weights", "cell_stem_0/prev_1x1/weights");
    for (String cell : new String[] {"cell_stem_1", "cell_0", "cell_4", "cell_8"}) {
      assertThat(v).containsKeys(cell + "/path1_conv/weights", cell + "/path2_conv/weights",
          cell + "/final_path_bn/gamma");
    }
    for (String cell : new String[] {"cell_1", "cell_5", "cell_11", "reduction_cell_0", "reduction_cell_1"}) {
      assertThat(v).containsKeys(cell + "/prev_1x1/weights", cell + "/prev_bn/beta");
    }
    // No conv biases anywhere: only the FC layers have them.
    assertThat(v.keySet().stream().filter(n -> n.endsWith("biases"))).containsExactly("final_layer/FC/biases");
  }

  @Test
  void largeVariableNames() {
    Map<String, long[]> v = built(NasNetConfig.large(), Mode.INFERENCE).variableShapes();
    assertThat(v.get("conv0/weights")).containsExactly(3, 3, 3, 96);
    assertThat(v.get("cell_2/comb_iter_0/left/separable_5x5_1/depthwise_weights")).containsExactly(5, 5, 168, 1);
    assertThat(v.get("final_layer/FC/weights")).containsExactly(4032, 1000);
    assertThat(v).containsKeys("cell_0/path1_conv/weights", "cell_6/path1_conv/weights",
        "cell_12/path1_conv/weights", "cell_7/prev_1x1/weights");
  }

  @Test
  void auxHeadVariablesSitAfterTheCellBeforeTheSecondReduction() {
    Map<String, long[]> v = built(NasNetConfig.mobile().toBuilder().numClasses(1001).build(), Mode.TRAINING)
        .variableShapes();
    assertThat(v.get("aux_7/aux_logits/proj/weights")).containsExactly(1, 1, 528, 128);
    assertThat(v.get("aux_7/aux_logits/Conv/weights")).containsExactly(4, 4, 128, 768);
    assertThat(v.get("aux_7/aux_logits/FC/weights")).containsExactly(768, 1001);
    assertThat(v).containsKeys("aux_7/aux_logits/aux_bn0/gamma", "aux_7/aux_logits/aux_bn1/moving_mean");
  }

  @Test
  void pnasnetStemHasNoProjectionOnThePooledAdjustedInput() {
    Map<String, long[]> v = built(NasNetConfig.pnasnetLarge(), Mode.INFERENCE).variableShapes();
    assertThat(v).containsKey("cell_stem_0/1x1/weights");
    assertThat(v).doesNotContainKey("cell_stem_1/comb_iter_0/right/1x1/weights");
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
