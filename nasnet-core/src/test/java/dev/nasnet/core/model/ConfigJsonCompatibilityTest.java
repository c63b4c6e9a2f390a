package dev.nasnet.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Config files written by version 0.1 (tools/json-fixtures/MakeFixtures.java, run on commit af78cbb), which still
 * carried the training settings, read into the architecture-only config of today.
 */
class ConfigJsonCompatibilityTest {
  private static JsonObject resource(String name) throws IOException {
    try (InputStream in = ConfigJsonCompatibilityTest.class.getResourceAsStream("/json-0.1/" + name)) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
  }

  @Test
  void version01FilesReadAsTheSameArchitecture() throws IOException {
    JsonObject mobile = resource("nasnet-config-mobile.json");
    assertThat(mobile.has("drop_path_keep_prob")).as("the file is of the old kind").isTrue();
    assertThat(NasNetConfigJson.fromTree(mobile, "mobile.json")).isEqualTo(NasNetConfig.mobile());
    assertThat(NasNetConfigJson.fromTree(resource("nasnet-config-cifar-custom.json"), "custom.json"))
        .isEqualTo(NasNetConfig.cifar().toBuilder().name("custom").imageChannels(1).imageSize(28).notation(2, 96)
            .numClasses(7).seed(5).build());
  }

  @Test
  void todaysFilesHoldOnlyTheArchitectureAndRoundTrip() {
    for (NasNetConfig c : new NasNetConfig[] {NasNetConfig.mobile(), NasNetConfig.large().keras(),
        NasNetConfig.pnasnetMobile(), NasNetConfig.cifar()}) {
      JsonObject tree = NasNetConfigJson.toTree(c);
      assertThat(tree.keySet()).doesNotContain("drop_path_keep_prob", "dense_dropout_keep_prob", "weight_decay",
          "batch_norm_decay", "total_training_steps").contains("batch_norm_epsilon", "pool_padding");
      assertThat(NasNetConfigJson.fromTree(tree, c.name())).isEqualTo(c);
    }
  }

  @Test
  void aMissingFieldIsNamedWithTheFile() throws IOException {
    JsonObject mobile = resource("nasnet-config-mobile.json");
    mobile.remove("num_cells");
    assertThatThrownBy(() -> NasNetConfigJson.fromTree(mobile, "m.json"))
        .hasMessage("m.json: network config lacks 'num_cells'");
  }

  @Test
  void regularizationPresetsCarrySlimsValues() {
    assertThat(Regularization.forPreset("large")).isEqualTo(new Regularization(0.7, 0.5, 5e-5, 0.9997f));
    assertThat(Regularization.forPreset("cifar")).isEqualTo(new Regularization(0.6, 1.0, 5e-4, 0.9f));
    assertThat(Regularization.forModel(NasNetConfig.mobile().toBuilder().name("mine").build()))
        .isEqualTo(Regularization.mobile());
    assertThatThrownBy(() -> Regularization.mobile().withDropPathKeepProb(0))
        .hasMessageContaining("dropPathKeepProb must be in (0, 1]");
  }

  @Test
  void summaryOfAConfigNeedsNoGraphFromTheCaller() {
    ModelSummary s = ModelSummary.of(NasNetConfig.mobile());
    assertThat(s.totalParameters()).isEqualTo(5_326_716L);
    assertThat(s.multiplyAdds()).isEqualTo(563_638_816L);
  }
}
