package dev.nasnet.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
  @TempDir Path dir;

  private static float[][][][] images(NasNetConfig config, int batch, long seed) {
    Random r = new Random(seed);
    int s = config.imageSize();
    float[][][][] x = new float[batch][s][s][3];
    for (float[][][] img : x) {
      for (float[][] row : img) {
        for (float[] px : row) {
          for (int c = 0; c < 3; c++) {
            px[c] = r.nextFloat() * 2 - 1;
          }
        }
      }
    }
    return x;
  }

  @Test
  void emaNamedCheckpointRestoresIntoAFreshGraphWithBitIdenticalLogits() {
    NasNetConfig config = TinyConfigs.cifar();
    float[][][][] x = images(config, 3, 7);
    Path prefix = dir.resolve("ema/model.ckpt");
    float[][] expected;
    try (NasNetClassifier a = NasNetClassifier.create(config.toBuilder().seed(11).build())) {
      expected = a.logits(x);
      Checkpoints.save(a.session(), a.model().variables(), prefix, n -> n + Checkpoints.EMA_SUFFIX);
    }
    CheckpointReader reader = CheckpointReader.open(prefix);
    assertThat(reader.entries()).containsKey("cell_0/1x1/weights/ExponentialMovingAverage")
        .doesNotContainKey("cell_0/1x1/weights");
    try (NasNetClassifier b = NasNetClassifier.create(config.toBuilder().seed(12).build())) {
      assertThat(b.logits(x)).isNotEqualTo(expected);
      Checkpoints.RestoreReport report = b.restore(prefix);
      assertThat(report.fromMovingAverage()).hasSize(b.model().variables().size());
      float[][] restored = b.logits(x);
      for (int i = 0; i < expected.length; i++) {
        for (int j = 0; j < expected[i].length; j++) {
          assertThat(Float.floatToRawIntBits(restored[i][j])).as("logit [%s][%s]", i, j)
              .isEqualTo(Float.floatToRawIntBits(expected[i][j]));
        }
      }
    }
  }

  @Test
  void restoringTwiceReusesTheAssignOps() {
    Path prefix = dir.resolve("twice");
    try (NasNetClassifier a = NasNetClassifier.create(TinyConfigs.cifar())) {
      a.save(prefix);
      a.restore(prefix);
      long ops = countOps(a);
      a.restore(prefix);
      assertThat(countOps(a)).isEqualTo(ops);
    }
  }

  private static long countOps(NasNetClassifier c) {
    long n = 0;
    for (var it = c.model().graph().operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  @Test
  void readerSeesTheShapesTensorFlowWrote() {
    NasNetConfig config = TinyConfigs.cifar();
    Path prefix = dir.resolve("plain");
    try (NasNetClassifier a = NasNetClassifier.create(config)) {
      a.save(prefix);
      CheckpointReader reader = CheckpointReader.open(prefix);
      assertThat(reader.entries()).hasSize(a.model().variables().size());
      for (ModelVariable v : a.model().variables()) {
        assertThat(reader.entries().get(v.name()).shape()).as(v.name()).containsExactly(v.shape());
        assertThat(reader.entries().get(v.name()).dtype()).isEqualTo("DT_FLOAT");
      }
      assertThat(reader.readFloats("l1_stem_bn/gamma")).containsOnly(1f);
    }
  }

  @Test
  void a1001ClassCheckpointRestoresInto1000ClassesDroppingTheBackgroundRow() {
    NasNetConfig config = TinyConfigs.cifar();
    Path prefix = dir.resolve("bg");
    float[][] withBackground;
    float[][][][] x = images(config, 2, 3);
    try (NasNetClassifier a = NasNetClassifier.create(config.toBuilder().numClasses(11).build())) {
      withBackground = a.logits(x);
      a.save(prefix);
    }
    try (NasNetClassifier b = NasNetClassifier.create(config.toBuilder().numClasses(10).build())) {
      Checkpoints.RestoreReport report = b.restore(prefix);
      assertThat(report.backgroundClassDropped()).containsExactly("final_layer/FC/weights", "final_layer/FC/biases");
      float[][] logits = b.logits(x);
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 10; j++) {
          assertThat(logits[i][j]).isEqualTo(withBackground[i][j + 1]);
        }
      }
    }
  }

  @Test
  void missingVariableIsNamed() {
    NasNetConfig config = TinyConfigs.cifar();
    Path prefix = dir.resolve("headless");
    try (NasNetClassifier a = NasNetClassifier.create(config)) {
      Checkpoints.save(a.session(), a.model().variables().stream()
          .filter(v -> !v.name().startsWith("final_layer")).toList(), prefix);
      assertThatThrownBy(() -> a.restore(prefix)).isInstanceOf(CheckpointException.class)
          .hasMessageContaining("has no variable 'final_layer/FC/weights'");
    }
  }

  @Test
  void shapeMismatchIsNamed() {
    Path prefix = dir.resolve("wide");
    try (NasNetClassifier a = NasNetClassifier.create(TinyConfigs.cifar().toBuilder().numConvFilters(10).build())) {
      a.save(prefix);
    }
    try (NasNetClassifier b = NasNetClassifier.create(TinyConfigs.cifar())) {
      assertThatThrownBy(() -> b.restore(prefix)).isInstanceOf(CheckpointException.class)
          .hasMessageContaining("has shape").hasMessageContaining("in the model but");
    }
  }

  @Test
  void missingTruncatedAndForeignFilesGiveClearErrors() throws IOException {
    assertThatThrownBy(() -> CheckpointReader.open(dir.resolve("nothing"))).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("nothing.index does not exist");
    Files.write(dir.resolve("junk.index"), new byte[100]);
    assertThatThrownBy(() -> CheckpointReader.open(dir.resolve("junk"))).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("bad table magic");
    Path prefix = dir.resolve("cut");
    try (NasNetClassifier a = NasNetClassifier.create(TinyConfigs.cifar())) {
      a.save(prefix);
    }
    Path data = dir.resolve("cut.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    CheckpointReader reader = CheckpointReader.open(prefix);
    String last = reader.entries().values().stream().max(java.util.Comparator.comparingLong(CheckpointEntry::offset))
        .orElseThrow().name();
    assertThatThrownBy(() -> reader.readFloats(last)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("truncated").hasMessageContaining("offset");
  }
}
