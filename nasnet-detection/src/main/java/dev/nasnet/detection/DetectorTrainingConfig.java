package dev.nasnet.detection;

import com.google.common.base.Preconditions;
import dev.nasnet.core.model.Regularization;
import dev.nasnet.core.train.LearningRateSchedule;
import dev.nasnet.core.train.TrainingLoop;

/**
 * How to train a detector: images per step, steps, the learning-rate schedule, momentum, gradient clipping (the OD API
 * clips at 10), horizontal flips (the OD API's one augmentation), checkpointing, and the backbone's regularisation.
 */
public record DetectorTrainingConfig(int batchSize, long steps, LearningRateSchedule schedule, double momentum,
    double clipGlobalNorm, boolean horizontalFlip, long seed, long checkpointEvery, int logEvery,
    Regularization regularization) {
  public DetectorTrainingConfig {
    Preconditions.checkArgument(batchSize > 0, "batch size must be positive, got %s", batchSize);
    Preconditions.checkArgument(steps > 0, "steps must be positive, got %s", steps);
    Preconditions.checkNotNull(schedule, "schedule");
    Preconditions.checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
    Preconditions.checkArgument(clipGlobalNorm >= 0, "clip norm must not be negative");
    Preconditions.checkArgument(logEvery > 0, "logEvery must be positive");
    Preconditions.checkNotNull(regularization, "regularization");
  }

  /**
   * faster_rcnn_nas_coco's optimizer (momentum 0.9, clip 10, flips) with a cosine schedule over {@code steps}, and the
   * regularisation {@link #regularizationFor(FasterRcnnConfig) that suits the detector}.
   */
  public static DetectorTrainingConfig of(FasterRcnnConfig detector, int batchSize, long steps, double learningRate) {
    return new DetectorTrainingConfig(batchSize, steps, LearningRateSchedule.cosine(learningRate, steps,
        Math.min(steps / 20, 500)), 0.9, 10.0, true, 1, 1000, 50, regularizationFor(detector));
  }

  /**
   * The backbone preset's own regularisation (slim's values for NASNet-A Mobile and Large); for the shapes preset's
   * CIFAR-stem backbone, CIFAR's batch-norm decay (0.9: a few hundred steps must move the moving averages) without
   * drop path or dropout and with the OD API's NASNet weight decay, 5e-5.
   */
  public static Regularization regularizationFor(FasterRcnnConfig detector) {
    if (detector.backbone().stem() == dev.nasnet.core.model.Stem.CIFAR) {
      return Regularization.cifar().withDropPathKeepProb(1.0).withDenseDropoutKeepProb(1.0).withWeightDecay(5e-5);
    }
    return Regularization.forModel(detector.backbone());
  }

  /** The training loop's share: steps, schedule, logging and checkpoint intervals. */
  public TrainingLoop.Settings loopSettings() {
    return new TrainingLoop.Settings(steps, schedule, logEvery, checkpointEvery);
  }

  public DetectorTrainingConfig withSeed(long v) {
    return new DetectorTrainingConfig(batchSize, steps, schedule, momentum, clipGlobalNorm, horizontalFlip, v,
        checkpointEvery, logEvery, regularization);
  }

  public DetectorTrainingConfig withCheckpointEvery(long v) {
    return new DetectorTrainingConfig(batchSize, steps, schedule, momentum, clipGlobalNorm, horizontalFlip, seed, v,
        logEvery, regularization);
  }

  public DetectorTrainingConfig withHorizontalFlip(boolean v) {
    return new DetectorTrainingConfig(batchSize, steps, schedule, momentum, clipGlobalNorm, v, seed, checkpointEvery,
        logEvery, regularization);
  }

  public DetectorTrainingConfig withRegularization(Regularization v) {
    return new DetectorTrainingConfig(batchSize, steps, schedule, momentum, clipGlobalNorm, horizontalFlip, seed,
        checkpointEvery, logEvery, v);
  }
}
