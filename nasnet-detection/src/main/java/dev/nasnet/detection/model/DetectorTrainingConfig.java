package dev.nasnet.detection.model;

import com.google.common.base.Preconditions;
import dev.nasnet.core.train.LearningRateSchedule;

/**
 * How to train a detector: images per step, steps, the learning-rate schedule, momentum, gradient clipping (the OD API
 * clips at 10), horizontal flips (the OD API's one augmentation), and checkpointing.
 */
public record DetectorTrainingConfig(int batchSize, long steps, LearningRateSchedule schedule, double momentum,
    double clipGlobalNorm, boolean horizontalFlip, long seed, long checkpointEvery, int logEvery) {
  public DetectorTrainingConfig {
    Preconditions.checkArgument(batchSize > 0, "batch size must be positive, got %s", batchSize);
    Preconditions.checkArgument(steps > 0, "steps must be positive, got %s", steps);
    Preconditions.checkNotNull(schedule, "schedule");
    Preconditions.checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
    Preconditions.checkArgument(clipGlobalNorm >= 0, "clip norm must not be negative");
    Preconditions.checkArgument(logEvery > 0, "logEvery must be positive");
  }

  /** faster_rcnn_nas_coco's optimizer (momentum 0.9, clip 10, flips) with a cosine schedule over {@code steps}. */
  public static DetectorTrainingConfig of(int batchSize, long steps, double learningRate) {
    return new DetectorTrainingConfig(batchSize, steps, LearningRateSchedule.cosine(learningRate, steps,
        Math.min(steps / 20, 500)), 0.9, 10.0, true, 1, 1000, 50);
  }

  public DetectorTrainingConfig withSeed(long v) {
    return new DetectorTrainingConfig(batchSize, steps, schedule, momentum, clipGlobalNorm, horizontalFlip, v,
        checkpointEvery, logEvery);
  }

  public DetectorTrainingConfig withCheckpointEvery(long v) {
    return new DetectorTrainingConfig(batchSize, steps, schedule, momentum, clipGlobalNorm, horizontalFlip, seed, v,
        logEvery);
  }

  public DetectorTrainingConfig withHorizontalFlip(boolean v) {
    return new DetectorTrainingConfig(batchSize, steps, schedule, momentum, clipGlobalNorm, v, seed, checkpointEvery,
        logEvery);
  }
}
