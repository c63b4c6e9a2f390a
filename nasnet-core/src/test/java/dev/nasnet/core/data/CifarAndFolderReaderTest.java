package dev.nasnet.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarAndFolderReaderTest {
  @TempDir Path dir;

  /** A CIFAR record whose R, G, B planes are constant r, g, b. */
  private static byte[] record(int labelBytes, int label, int r, int g, int b) {
    byte[] rec = new byte[labelBytes + 3072];
    rec[labelBytes - 1] = (byte) label;
    Arrays.fill(rec, labelBytes, labelBytes + 1024, (byte) r);
    Arrays.fill(rec, labelBytes + 1024, labelBytes + 2048, (byte) g);
    Arrays.fill(rec, labelBytes + 2048, labelBytes + 3072, (byte) b);
    return rec;
  }

  @Test
  void cifar10PlanesBecomeInterleavedPixels() throws IOException {
    for (int i = 1; i <= 5; i++) {
      Files.write(dir.resolve("data_batch_" + i + ".bin"), concat(record(1, i, 10, 20, 30), record(1, 9, 1, 2, 255)));
    }
    ImageDataset train = CifarReader.cifar10Train(dir);
    assertThat(train.size()).isEqualTo(10);
    assertThat(train.labels()).containsExactly(1, 9, 2, 9, 3, 9, 4, 9, 5, 9);
    assertThat(train.pixel(0, 31, 31, 0)).isEqualTo(10);
    assertThat(train.pixel(0, 0, 5, 1)).isEqualTo(20);
    assertThat(train.pixel(1, 7, 7, 2)).isEqualTo(255);
  }

  @Test
  void cifar100KeepsTheFineLabel() throws IOException {
    byte[] rec = record(2, 87, 0, 0, 0);
    rec[0] = 4;
    Path f = Files.write(dir.resolve("train.bin"), rec);
    ImageDataset d = CifarReader.cifar100(f);
    assertThat(d.labels()).containsExactly(87);
    assertThat(d.numClasses()).isEqualTo(100);
  }

  @Test
  void truncatedOrMislabelledCifarFilesAreNamed() throws IOException {
    Path cut = Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(record(1, 3, 0, 0, 0), 3000));
    assertThatThrownBy(() -> CifarReader.cifar10Test(dir)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining(cut.toString()).hasMessageContaining("not a whole number of 3073-byte");
    Files.write(cut, concat(record(1, 3, 0, 0, 0), record(1, 12, 0, 0, 0)));
    assertThatThrownBy(() -> CifarReader.cifar10Test(dir)).hasMessageContaining("label 12 at offset 3073");
    assertThatThrownBy(() -> CifarReader.cifar10Train(dir)).hasMessageContaining("data_batch_1.bin");
  }

  @Test
  void imageFolderReadsClassesInNameOrder() throws IOException {
    write(dir.resolve("cats/a.png"), Color.RED, "png");
    write(dir.resolve("cats/b.jpg"), Color.RED, "jpg");
    write(dir.resolve("dogs/c.png"), Color.BLUE, "png");
    Files.writeString(dir.resolve("dogs/notes.txt"), "ignored");
    ImageFolderReader.Folder f = ImageFolderReader.read(dir, 8);
    assertThat(f.classNames()).containsExactly("cats", "dogs");
    assertThat(f.data().labels()).containsExactly(0, 0, 1);
    assertThat(f.data().pixel(0, 3, 3, 0)).isEqualTo(255);
    assertThat(f.data().pixel(2, 3, 3, 2)).isEqualTo(255);
    assertThat(f.data().pixel(2, 3, 3, 0)).isZero();
  }

  @Test
  void badFoldersAndImagesAreNamed() throws IOException {
    assertThatThrownBy(() -> ImageFolderReader.read(dir.resolve("none"), 8)).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ImageFolderReader.read(dir, 8)).hasMessageContaining("no class sub-folders");
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> ImageFolderReader.read(dir, 8)).hasMessageContaining("empty holds no .jpg");
    write(dir.resolve("empty/ok.png"), Color.GREEN, "png");
    Files.writeString(dir.resolve("empty/broken.png"), "not a png");
    assertThatThrownBy(() -> ImageFolderReader.read(dir, 8)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("broken.png");
  }

  private static void write(Path file, Color color, String format) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(20, 12, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 20, 12);
    g.dispose();
    ImageIO.write(img, format, file.toFile());
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

}
