package dev.nasnet.core.graph;

import com.google.common.base.Preconditions;

/** Batch-norm moving-average decay and epsilon; slim uses 0.9997 / 1e-3 on ImageNet and 0.9 / 1e-5 on CIFAR. */
public record BatchNormSettings(float decay, float epsilon) {
  public BatchNormSettings {
    Preconditions.checkArgument(decay > 0 && decay < 1, "batch-norm decay must be in (0, 1), got %s", decay);
    Preconditions.checkArgument(epsilon > 0, "batch-norm epsilon must be positive, got %s", epsilon);
  }
}
