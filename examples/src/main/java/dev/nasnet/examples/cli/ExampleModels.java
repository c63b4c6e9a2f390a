package dev.nasnet.examples.cli;

import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Stem;

/** Models the examples train that are not slim presets. */
final class ExampleModels {
  private ExampleModels() {}

  /** NASNet-A with the CIFAR stem for 28x28 grayscale images, "N @ F", 10 classes. */
  static NasNetConfig fashionMnist(int cells, int filters) {
    return NasNetConfig.cifar().toBuilder().name("nasnet_a_fashion_mnist").stem(Stem.CIFAR).imageSize(28)
        .imageChannels(1).notation(cells, filters).numClasses(10).build();
  }
}
