package dev.nasnet.core;

import dev.nasnet.core.model.NasNetConfig;

/** Small networks that build and run in well under a second, for tests. */
public final class TinyConfigs {
  private TinyConfigs() {}

  /** NASNet-A with the CIFAR stem, 3 cells (one per stack), 8 filters, 16x16 images, 10 classes. */
  public static NasNetConfig cifar() {
    return NasNetConfig.cifar().toBuilder().name("tiny_cifar").imageSize(16).numCells(3).numConvFilters(8)
        .stemMultiplier(1.0).build();
  }
}
