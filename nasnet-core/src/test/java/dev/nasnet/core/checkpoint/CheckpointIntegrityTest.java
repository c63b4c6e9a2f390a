package dev.nasnet.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** A damaged checkpoint fails its restore by name; it never restores wrong weights. */
class CheckpointIntegrityTest {
  @TempDir Path dir;

  private Path saveTiny(String name, long seed) {
    Path prefix = dir.resolve(name + "/model.ckpt");
    try (NasNetClassifier net = NasNetClassifier.create(TinyConfigs.cifar().toBuilder().seed(seed).build())) {
      net.save(prefix);
    }
    return prefix;
  }

  @Test
  void everyByteFlippedInTheDataFileIsCaughtByItsChecksum() throws IOException {
    Path prefix = saveTiny("good", 3);
    Path data = Path.of(prefix + ".data-00000-of-00001");
    byte[] original = Files.readAllBytes(data);
    SplittableRandom random = new SplittableRandom(11);
    int tried = 0;
    int caught = 0;
    try (NasNetClassifier net = NasNetClassifier.create(TinyConfigs.cifar())) {
      for (int i = 0; i < 300; i++) {
        byte[] bad = original.clone();
        int at = i < 100 ? (int) ((long) i * original.length / 100) : random.nextInt(original.length);
        bad[at] ^= (byte) (1 + random.nextInt(255));
        Files.write(data, bad);
        tried++;
        try {
          net.restore(prefix);
        } catch (CheckpointException e) {
          assertThat(e.getMessage()).contains("checksum").contains(prefix.toString());
          caught++;
        }
      }
    }
    assertThat(caught).as("flips caught of %s tried", tried).isEqualTo(tried);
  }

  @Test
  void everyByteFlippedInTheIndexFailsOrChangesNothing() throws IOException {
    Path prefix = saveTiny("index", 4);
    NasNetConfig config = TinyConfigs.cifar();
    float[][][][] x = new float[1][config.imageSize()][config.imageSize()][3];
    x[0][1][2][0] = 0.5f;
    float[][] expected;
    try (NasNetClassifier net = NasNetClassifier.create(config)) {
      net.restore(prefix);
      expected = net.logits(x);
    }
    Path index = CheckpointReader.indexFile(prefix);
    byte[] original = Files.readAllBytes(index);
    int caught = 0;
    int harmless = 0;
    try (NasNetClassifier net = NasNetClassifier.create(config)) {
      for (int at = 0; at < original.length; at++) {
        byte[] bad = original.clone();
        bad[at] ^= 0x5a;
        Files.write(index, bad);
        try {
          net.restore(prefix);
          assertThat(net.logits(x)).as("flip at index offset %s", at).isDeepEqualTo(expected);
          harmless++;
        } catch (CheckpointException e) {
          caught++;
        }
      }
    }
    // Only bytes a reader never uses may flip without effect: the 48-byte footer's metaindex handle and padding, and
    // the (empty) metaindex block it points at. Every other flip fails by its checksum or structure.
    assertThat(harmless).as("harmless flips of %s", original.length).isLessThanOrEqualTo(64);
    assertThat(caught + harmless).isEqualTo(original.length);
  }

  @Test
  void nonFiniteWeightsAreRefusedUnlessAllowed() {
    Path good = saveTiny("finite", 5);
    CheckpointReader reader = CheckpointReader.open(good);
    String victim = "cell_0/1x1/weights";
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try {
      for (CheckpointEntry e : reader.entries().values()) {
        float[] v = reader.readFloats(e.name());
        if (e.name().equals(victim)) {
          v[3] = Float.NaN;
        }
        tensors.put(e.name(), TFloat32.tensorOf(Shape.of(e.shape()), DataBuffers.of(v, true, false)));
      }
      CheckpointWriter.write(dir.resolve("nan/model.ckpt"), tensors);
    } finally {
      tensors.values().forEach(Tensor::close);
    }
    Path nan = dir.resolve("nan/model.ckpt");
    try (NasNetClassifier net = NasNetClassifier.create(TinyConfigs.cifar())) {
      assertThatThrownBy(() -> net.restore(nan)).isInstanceOf(CheckpointException.class)
          .hasMessageContaining(victim).hasMessageContaining("NaN").hasMessageContaining("index 3");
      Checkpoints.restore(net.session(), net.model().variables(), CheckpointReader.open(nan),
          Checkpoints.NamePolicy.PREFER_MOVING_AVERAGE, true);
    }
  }
}
