package dev.nasnet.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST: images {@code *-images-idx3-ubyte} and labels
 * {@code *-labels-idx1-ubyte}, plain or gzipped (the {@code .gz} suffix decides). Magic numbers, dimensions and
 * lengths are checked; a short or corrupt file fails with its name and the byte offset where it went wrong.
 */
public final class IdxReader {
  /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
  public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /** Whether {@code dir} holds the four files of an MNIST-style data set (plain or gzipped). */
  public static boolean isPresent(Path dir) {
    for (String split : new String[] {"train", "t10k"}) {
      if (find(dir, split + "-images-idx3-ubyte") == null || find(dir, split + "-labels-idx1-ubyte") == null) {
        return false;
      }
    }
    return true;
  }

  /** The training split (60,000 images for MNIST and Fashion-MNIST). */
  public static ImageDataset train(Path dir) {
    return split(dir, "train");
  }

  /** The test split (10,000 images). */
  public static ImageDataset test(Path dir) {
    return split(dir, "t10k");
  }

  private static ImageDataset split(Path dir, String split) {
    Path images = require(dir, split + "-images-idx3-ubyte");
    Path labels = require(dir, split + "-labels-idx1-ubyte");
    return read(images, labels, 10);
  }

  /** Reads an image file and its label file; labels must lie in 0..numClasses-1. */
  public static ImageDataset read(Path imagesFile, Path labelsFile, int numClasses) {
    Idx images = readIdx(imagesFile, 3);
    Idx labels = readIdx(labelsFile, 1);
    if (images.dims[0] != labels.dims[0]) {
      throw new DataFormatException(imagesFile + " holds " + images.dims[0] + " images but " + labelsFile + " holds "
          + labels.dims[0] + " labels");
    }
    int[] ys = new int[labels.dims[0]];
    for (int i = 0; i < ys.length; i++) {
      ys[i] = labels.data[i] & 0xff;
      if (ys[i] >= numClasses) {
        throw new DataFormatException(labelsFile + ": label " + ys[i] + " at offset " + (labels.headerBytes + i)
            + " is outside 0.." + (numClasses - 1));
      }
    }
    return new ImageDataset(images.data, ys, images.dims[1], images.dims[2], 1, numClasses);
  }

  private record Idx(int[] dims, byte[] data, int headerBytes) {}

  private static Idx readIdx(Path file, int expectedDims) {
    long offset = 0;
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
      int zero = in.readUnsignedShort();
      int type = in.readUnsignedByte();
      int ndims = in.readUnsignedByte();
      if (zero != 0 || type != UNSIGNED_BYTE || ndims != expectedDims) {
        throw new DataFormatException(file + ": bad magic number 0x" + String.format("%04x%02x%02x", zero, type, ndims)
            + " at offset 0; expected 0x000008" + String.format("%02x", expectedDims) + " (unsigned bytes, "
            + expectedDims + " dimensions)");
      }
      offset = 4;
      int[] dims = new int[ndims];
      long total = 1;
      for (int d = 0; d < ndims; d++) {
        dims[d] = in.readInt();
        if (dims[d] <= 0) {
          throw new DataFormatException(file + ": dimension " + d + " is " + dims[d] + " at offset " + offset);
        }
        offset += 4;
        total *= dims[d];
      }
      if (total > Integer.MAX_VALUE - 16) {
        throw new DataFormatException(file + ": " + total + " bytes of data is more than one array can hold");
      }
      byte[] data = new byte[(int) total];
      int read = in.readNBytes(data, 0, data.length);
      if (read < data.length) {
        throw new DataFormatException(file + " is truncated: header promises " + total + " data bytes from offset "
            + offset + ", the file ends after " + read + " (at offset " + (offset + read) + ")");
      }
      return new Idx(dims, data, (int) offset);
    } catch (EOFException e) {
      throw new DataFormatException(file + " is truncated inside its header (offset " + offset + ")", e);
    } catch (IOException e) {
      throw new DataFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
  }

  private static Path find(Path dir, String base) {
    for (String name : new String[] {base, base + ".gz"}) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static Path require(Path dir, String base) {
    Path p = find(dir, base);
    if (p == null) {
      throw new DataFormatException("no " + base + " (or " + base + ".gz) in " + dir);
    }
    return p;
  }
}
