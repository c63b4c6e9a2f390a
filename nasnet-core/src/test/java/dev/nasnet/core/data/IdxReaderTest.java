package dev.nasnet.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  private static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeShort(0);
    out.writeByte(type);
    out.writeByte(dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  private void write(String name, byte[] content, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz")))
        : Files.newOutputStream(dir.resolve(name))) {
      out.write(content);
    }
  }

  private void writeSplit(String split, int n, boolean gzip) throws IOException {
    byte[] pixels = new byte[n * 4 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    write(split + "-images-idx3-ubyte", idx(8, new int[] {n, 4, 3}, pixels), gzip);
    write(split + "-labels-idx1-ubyte", idx(8, new int[] {n}, labels), gzip);
  }

  @Test
  void readsPlainAndGzippedFiles() throws IOException {
    writeSplit("train", 12, true);
    writeSplit("t10k", 5, false);
    assertThat(IdxReader.isPresent(dir)).isTrue();
    ImageDataset train = IdxReader.train(dir);
    assertThat(train.size()).isEqualTo(12);
    assertThat(train.height()).isEqualTo(4);
    assertThat(train.width()).isEqualTo(3);
    assertThat(train.pixel(1, 0, 2, 0)).isEqualTo(((12 + 2) * 7) & 0xff);
    assertThat(train.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1);
    assertThat(IdxReader.test(dir).size()).isEqualTo(5);
  }

  @Test
  void badFilesNameTheFileAndOffset() throws IOException {
    writeSplit("train", 3, false);
    Path images = dir.resolve("train-images-idx3-ubyte");
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    byte[] good = Files.readAllBytes(images);

    Files.write(images, Arrays.copyOf(good, good.length - 5));
    assertThatThrownBy(() -> IdxReader.read(images, labels, 10)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("train-images-idx3-ubyte is truncated").hasMessageContaining("offset 16");

    Files.write(images, Arrays.copyOf(good, 7));
    assertThatThrownBy(() -> IdxReader.read(images, labels, 10)).hasMessageContaining("truncated inside its header");

    byte[] wrongMagic = good.clone();
    wrongMagic[2] = 0x0d;
    Files.write(images, wrongMagic);
    assertThatThrownBy(() -> IdxReader.read(images, labels, 10)).hasMessageContaining("bad magic number 0x00000d03");

    Files.write(images, good);
    assertThatThrownBy(() -> IdxReader.read(labels, labels, 10)).hasMessageContaining("bad magic number");
    assertThatThrownBy(() -> IdxReader.read(images, labels, 2)).hasMessageContaining("label 2 at offset 10");
    Files.write(labels, idx(8, new int[] {2}, new byte[2]));
    assertThatThrownBy(() -> IdxReader.read(images, labels, 10)).hasMessageContaining("holds 3 images but")
        .hasMessageContaining("holds 2 labels");
    assertThatThrownBy(() -> IdxReader.test(dir)).hasMessageContaining("no t10k-images-idx3-ubyte");
    assertThat(IdxReader.isPresent(dir)).isFalse();
  }

  @Test
  void realFashionMnistWhenInstalled() {
    assumeTrue(IdxReader.isPresent(IdxReader.FASHION_MNIST_DIR),
        "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    ImageDataset train = IdxReader.train(IdxReader.FASHION_MNIST_DIR);
    ImageDataset test = IdxReader.test(IdxReader.FASHION_MNIST_DIR);
    assertThat(train.size()).isEqualTo(60_000);
    assertThat(test.size()).isEqualTo(10_000);
    assertThat(train.height()).isEqualTo(28);
    assertThat(train.width()).isEqualTo(28);
    int[] counts = new int[10];
    for (int y : test.labels()) {
      counts[y]++;
    }
    assertThat(counts).containsOnly(1000);
    assertThat(Arrays.stream(train.labels()).min().orElseThrow()).isZero();
    assertThat(Arrays.stream(train.labels()).max().orElseThrow()).isEqualTo(9);
  }
}
