package dev.nasnet.core.data;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 and CIFAR-100 binary formats (users bring the files): each record is the label byte(s) then
 * 3072 pixel bytes, 1024 per colour plane (R, G, B) in row-major order. CIFAR-10 has one label byte; CIFAR-100 has
 * the coarse label then the fine label, and this reader keeps the fine one.
 */
public final class CifarReader {
  private static final int PIXELS = 32 * 32 * 3;

  /** Which of the two formats. */
  public enum Variant {
    CIFAR10(1, 10),
    CIFAR100(2, 100);

    final int labelBytes;
    final int classes;

    Variant(int labelBytes, int classes) {
      this.labelBytes = labelBytes;
      this.classes = classes;
    }
  }

  private CifarReader() {}

  /** CIFAR-10's training files {@code data_batch_1.bin .. data_batch_5.bin} in {@code dir}. */
  public static ImageDataset cifar10Train(Path dir) {
    List<Path> files = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      files.add(dir.resolve("data_batch_" + i + ".bin"));
    }
    return read(Variant.CIFAR10, files);
  }

  /** CIFAR-10's {@code test_batch.bin}. */
  public static ImageDataset cifar10Test(Path dir) {
    return read(Variant.CIFAR10, List.of(dir.resolve("test_batch.bin")));
  }

  /** CIFAR-100's {@code train.bin} or {@code test.bin}, fine labels. */
  public static ImageDataset cifar100(Path file) {
    return read(Variant.CIFAR100, List.of(file));
  }

  /** Reads and concatenates {@code files}, converting planes to NHWC. */
  public static ImageDataset read(Variant variant, List<Path> files) {
    Preconditions.checkArgument(!files.isEmpty(), "no CIFAR files given");
    int record = variant.labelBytes + PIXELS;
    List<byte[]> contents = new ArrayList<>();
    int total = 0;
    for (Path f : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(f);
      } catch (IOException e) {
        throw new DataFormatException("cannot read CIFAR file " + f + ": " + e.getMessage(), e);
      }
      if (bytes.length == 0 || bytes.length % record != 0) {
        throw new DataFormatException(f + " has " + bytes.length + " bytes, not a whole number of " + record
            + "-byte " + variant + " records: truncated or another format (the last record starts at offset "
            + (bytes.length / record) * record + ")");
      }
      contents.add(bytes);
      total += bytes.length / record;
    }
    byte[] pixels = new byte[total * PIXELS];
    int[] labels = new int[total];
    int n = 0;
    for (int fi = 0; fi < files.size(); fi++) {
      byte[] bytes = contents.get(fi);
      for (int off = 0; off < bytes.length; off += record, n++) {
        int label = bytes[off + variant.labelBytes - 1] & 0xff;
        if (label >= variant.classes) {
          throw new DataFormatException(files.get(fi) + ": label " + label + " at offset "
              + (off + variant.labelBytes - 1) + " is outside 0.." + (variant.classes - 1));
        }
        labels[n] = label;
        int src = off + variant.labelBytes;
        int dst = n * PIXELS;
        for (int p = 0; p < 1024; p++) {
          pixels[dst + 3 * p] = bytes[src + p];
          pixels[dst + 3 * p + 1] = bytes[src + 1024 + p];
          pixels[dst + 3 * p + 2] = bytes[src + 2048 + p];
        }
      }
    }
    return new ImageDataset(pixels, labels, 32, 32, 3, variant.classes);
  }
}
