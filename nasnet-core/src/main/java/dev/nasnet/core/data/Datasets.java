package dev.nasnet.core.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a labelled image data set from a directory, recognising its format by the files in it: IDX (MNIST,
 * Fashion-MNIST: {@code train-images-idx3-ubyte[.gz]} ...), CIFAR-10 binary ({@code data_batch_1.bin} ...,
 * {@code test_batch.bin}), CIFAR-100 binary ({@code train.bin}, {@code test.bin}) or an image folder (one sub-folder
 * of images per class, or {@code train/} and {@code test/} folders of those). One entry point for the command-line
 * tool's {@code --data} and the search's proxy task.
 */
public final class Datasets {
  /** The training images, the test images (null when the data set has none) and what the format was. */
  public record Loaded(ImageDataset train, ImageDataset test, String format) {}

  private Datasets() {}

  /**
   * @param imageSize the side image folders are resized to; the other formats have their own size
   * @throws DataFormatException naming the directory when it holds none of the formats
   */
  public static Loaded load(Path dir, int imageSize) {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException("no data set at " + dir + ": not a directory"
          + (dir.equals(IdxReader.FASHION_MNIST_DIR) ? " (apt-get install dataset-fashion-mnist)" : ""));
    }
    if (IdxReader.isPresent(dir)) {
      return new Loaded(IdxReader.train(dir), IdxReader.test(dir), "IDX");
    }
    if (Files.exists(dir.resolve("data_batch_1.bin"))) {
      return new Loaded(CifarReader.cifar10Train(dir),
          Files.exists(dir.resolve("test_batch.bin")) ? CifarReader.cifar10Test(dir) : null, "CIFAR-10 binary");
    }
    if (Files.exists(dir.resolve("train.bin"))) {
      return new Loaded(CifarReader.cifar100(dir.resolve("train.bin")),
          Files.exists(dir.resolve("test.bin")) ? CifarReader.cifar100(dir.resolve("test.bin")) : null,
          "CIFAR-100 binary");
    }
    if (Files.isDirectory(dir.resolve("train"))) {
      ImageDataset test = Files.isDirectory(dir.resolve("test"))
          ? ImageFolderReader.read(dir.resolve("test"), imageSize).data() : null;
      return new Loaded(ImageFolderReader.read(dir.resolve("train"), imageSize).data(), test, "image folders");
    }
    try {
      return new Loaded(ImageFolderReader.read(dir, imageSize).data(), null, "image folder");
    } catch (DataFormatException e) {
      throw new DataFormatException(dir + " holds no data set this library reads: no IDX files "
          + "(train-images-idx3-ubyte), no CIFAR binaries (data_batch_1.bin, train.bin), no class sub-folders of "
          + "images (" + e.getMessage() + ")", e);
    }
  }
}
