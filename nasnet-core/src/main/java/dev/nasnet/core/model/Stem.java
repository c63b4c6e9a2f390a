package dev.nasnet.core.model;

/** The layers before the first cell. */
public enum Stem {
  /**
   * 3x3 stride-2 VALID conv {@code conv0} + {@code conv0_bn}, then two strided reduction cells {@code cell_stem_0}
   * and {@code cell_stem_1} at a quarter and half of the filters: input size / 8 after the stem.
   */
  IMAGENET,
  /** 3x3 conv {@code l1_stem_3x3} + {@code l1_stem_bn}, full resolution. */
  CIFAR
}
