package dev.nasnet.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The weight files {@link NasNetWeights} reads, told apart by name and first bytes. */
public enum WeightsFormat {
  /** Keras 2's HDF5 layout, as {@code keras.applications} publishes NASNet ({@code NASNet-mobile.h5}, ...). */
  KERAS_H5,
  /** Keras 3's {@code .weights.h5} layout ({@code layers/<layer>/vars/0..n}). */
  KERAS_WEIGHTS_H5,
  /** A TensorFlow V2 checkpoint with slim names, given by its prefix ({@code model.ckpt}). */
  CHECKPOINT,
  /** A released slim tarball ({@code nasnet-a_mobile_04_10_2017.tar.gz}), read without unpacking. */
  CHECKPOINT_TAR_GZ;

  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /** Which format {@code path} holds; fails naming the path when it is none of them. */
  public static WeightsFormat detect(Path path) {
    String name = path.getFileName().toString();
    if (Files.isRegularFile(Path.of(path + ".index"))) {
      return CHECKPOINT;
    }
    if (!Files.isRegularFile(path)) {
      throw new WeightsException("no weights at '" + path + "': neither a file nor a checkpoint prefix (no "
          + path.getFileName() + ".index beside it)");
    }
    byte[] head = head(path, 8);
    if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
      if (head.length < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) {
        throw new WeightsException("'" + path + "' is named like a .tar.gz but is not gzip data");
      }
      return CHECKPOINT_TAR_GZ;
    }
    if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
      if (!Arrays.equals(head, HDF5_SIGNATURE)) {
        throw new WeightsException("'" + path + "' is not an HDF5 file (" + head.length
            + " bytes read, no HDF5 signature at offset 0): empty, truncated or another format");
      }
      return name.endsWith(".weights.h5") ? KERAS_WEIGHTS_H5 : KERAS_H5;
    }
    if (name.endsWith(".index")) {
      throw new WeightsException("'" + path + "' is a checkpoint's index file: give the prefix without '.index'");
    }
    throw new WeightsException("'" + path + "' is not a weights file this library reads: expected a Keras .h5 or "
        + ".weights.h5, a slim checkpoint prefix, or a slim .tar.gz");
  }

  private static byte[] head(Path path, int n) {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(n);
    } catch (IOException e) {
      throw new WeightsException("cannot read '" + path + "': " + e.getMessage(), e);
    }
  }
}
