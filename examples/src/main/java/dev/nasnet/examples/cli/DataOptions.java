package dev.nasnet.examples.cli;

import dev.nasnet.core.data.IdxReader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data}: the images to train on, in any format {@code Datasets.load} reads. */
final class DataOptions {
  @Option(names = {"--data", "--data-dir"}, paramLabel = "DIR", description = "a folder of IDX files (MNIST, "
      + "Fashion-MNIST), CIFAR-10/100 binaries, or images in one sub-folder per class (optionally under train/ and "
      + "test/) (default: /usr/share/datasets/fashion-mnist, from Debian's dataset-fashion-mnist)")
  Path dir;

  /** The folder given, or Fashion-MNIST's. */
  Path dirOrFashionMnist() {
    return dir != null ? dir : IdxReader.FASHION_MNIST_DIR;
  }
}
