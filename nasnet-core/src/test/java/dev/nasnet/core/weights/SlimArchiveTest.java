package dev.nasnet.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.checkpoint.CheckpointException;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slim release tarball is read in place, as the unpacked checkpoint would be. */
class SlimArchiveTest {
  @TempDir Path dir;

  @Test
  void tarGzLoadsAsTheCheckpointInsideItAndATruncatedOneIsNamed() throws Exception {
    NasNetConfig config = TinyConfigs.cifar();
    float[][][][] x = new float[1][config.imageSize()][config.imageSize()][3];
    x[0][3][5][1] = 0.7f;
    float[][] expected;
    Path release = Files.createDirectories(dir.resolve("release"));
    try (NasNetClassifier net = NasNetClassifier.create(config.toBuilder().seed(99).build())) {
      net.save(release.resolve("model.ckpt"));
      expected = net.logits(x);
    }
    Path archive = dir.resolve("nasnet-tiny_2026.tar.gz");
    tar(archive, "release");
    assertThat(WeightsFormat.detect(archive)).isEqualTo(WeightsFormat.CHECKPOINT_TAR_GZ);
    try (NasNetClassifier net = NasNetClassifier.create(config)) {
      assertThat(net.logits(x)).isNotEqualTo(expected);
      net.load(archive);
      assertThat(net.logits(x)).isDeepEqualTo(expected);
    }
    byte[] whole = Files.readAllBytes(archive);
    Path cut = Files.write(dir.resolve("cut.tar.gz"), Arrays.copyOf(whole, whole.length / 2));
    try (NasNetClassifier net = NasNetClassifier.create(config)) {
      assertThatThrownBy(() -> net.load(cut)).isInstanceOf(CheckpointException.class)
          .hasMessageContaining("cut.tar.gz").hasMessageContaining("truncated");
    }
  }

  private void tar(Path archive, String folder) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("tar", "czf", archive.toString(), "-C", dir.toString(), folder).inheritIO().start();
    } catch (IOException e) {
      assumeTrue(false, "no tar command to make the archive: " + e.getMessage());
      return;
    }
    assertThat(p.waitFor()).isZero();
  }
}
