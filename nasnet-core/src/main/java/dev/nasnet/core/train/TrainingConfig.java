package dev.nasnet.core.train;

import com.google.common.base.Preconditions;
import dev.nasnet.core.model.Regularization;

/**
 * How to train: optimizer, learning-rate schedule, length, regularisation and bookkeeping.
 *
 * @param labelSmoothing mass moved uniformly to all classes (the paper uses 0.1 on ImageNet)
 * @param auxLossWeight weight of the auxiliary head's loss (0.4 in the paper); used when the model has the head
 * @param clipGlobalNorm clip gradients to this global norm; 0 for no clipping (slim: 5 CIFAR, 10 ImageNet)
 * @param movingAverageDecay decay of the exponential moving average of the weights used for evaluation (the paper
 *     evaluates with 0.9999); 0 for none
 * @param freezeBelow a cell scope such as {@code cell_4}: variables built before it are not trained; null for none
 * @param checkpointEvery steps between checkpoints (and at the end); 0 for only at the end
 * @param logEvery steps between metric rows
 * @param regularization drop path, dropout, weight decay and batch-norm decay of the training graph
 * @param devices data-parallel towers (1 for none): the model is replicated on devices {@code deviceType:0..n-1}
 *     with one set of variables, each tower takes an equal slice of the batch ({@code batchSize} must divide by
 *     {@code devices}), the loss is the mean of the towers' losses (weight decay counted once) and one gradient of
 *     it, the towers' gradients averaged, updates the shared variables. Batch norm keeps TF-slim model_deploy's
 *     recipe: each tower normalises with its own slice's statistics and the moving averages follow tower 0. So N
 *     towers compute what one device computes with {@code batchNormGroups = N}, not with plain batch norm; drop path
 *     and dropout masks also differ per tower. On CPUs the trainer exposes {@code devices} virtual CPU devices
 * @param deviceType {@code "CPU"} (the default; virtual devices, for tests and multi-socket machines) or
 *     {@code "GPU"} (one tower per visible GPU)
 * @param batchNormGroups training batch norm normalises each of this many equal parts of each device's batch with
 *     its own statistics (ghost batch norm; moving averages from part 0); 1, the default, is plain batch norm. With
 *     {@code devices = 1} and {@code batchNormGroups = N} a single device reproduces an N-tower run
 */
public record TrainingConfig(Optimizer optimizer, LearningRateSchedule schedule, int batchSize, long totalSteps,
    double labelSmoothing, double auxLossWeight, double clipGlobalNorm, double movingAverageDecay,
    String freezeBelow, long checkpointEvery, int logEvery, long seed, Regularization regularization, int devices,
    String deviceType, int batchNormGroups) {

  public TrainingConfig {
    Preconditions.checkNotNull(optimizer, "optimizer");
    Preconditions.checkNotNull(schedule, "schedule");
    Preconditions.checkNotNull(regularization, "regularization");
    Preconditions.checkArgument(batchSize > 0, "batch size must be positive, got %s", batchSize);
    Preconditions.checkArgument(totalSteps > 0, "total steps must be positive, got %s", totalSteps);
    Preconditions.checkArgument(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1)");
    Preconditions.checkArgument(auxLossWeight >= 0, "aux loss weight must not be negative");
    Preconditions.checkArgument(clipGlobalNorm >= 0, "clip norm must not be negative");
    Preconditions.checkArgument(movingAverageDecay >= 0 && movingAverageDecay < 1,
        "moving-average decay must be in [0, 1), got %s", movingAverageDecay);
    Preconditions.checkArgument(checkpointEvery >= 0, "checkpointEvery must not be negative");
    Preconditions.checkArgument(logEvery > 0, "logEvery must be positive");
    Preconditions.checkArgument(devices >= 1 && devices <= 64, "devices must be in 1..64, got %s", devices);
    Preconditions.checkArgument(batchSize % devices == 0,
        "batch size %s must be divisible by the %s devices (each takes an equal slice)", batchSize, devices);
    Preconditions.checkArgument("CPU".equals(deviceType) || "GPU".equals(deviceType),
        "device type must be CPU or GPU, got %s", deviceType);
    Preconditions.checkArgument(batchNormGroups >= 1, "batch-norm groups must be at least 1, got %s",
        batchNormGroups);
    Preconditions.checkArgument(batchSize % (devices * batchNormGroups) == 0,
        "batch size %s must be divisible by devices x batch-norm groups (%s x %s)", batchSize, devices,
        batchNormGroups);
  }

  /** The loop's share of this config: length, schedule, logging and checkpoint intervals. */
  public TrainingLoop.Settings loopSettings() {
    return new TrainingLoop.Settings(totalSteps, schedule, logEvery, checkpointEvery);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().optimizer(optimizer).schedule(schedule).batchSize(batchSize).totalSteps(totalSteps)
        .labelSmoothing(labelSmoothing).auxLossWeight(auxLossWeight).clipGlobalNorm(clipGlobalNorm)
        .movingAverageDecay(movingAverageDecay).freezeBelow(freezeBelow).checkpointEvery(checkpointEvery)
        .logEvery(logEvery).seed(seed).regularization(regularization).devices(devices).deviceType(deviceType)
        .batchNormGroups(batchNormGroups);
  }

  /**
   * Defaults: the paper's child-model recipe (momentum 0.9, cosine from 0.025, batch 32, aux 0.4, clip 5) with slim's
   * default regularisation ({@link Regularization#mobile()}).
   */
  public static final class Builder {
    private Optimizer optimizer = Optimizer.momentum(0.9, true);
    private LearningRateSchedule schedule;
    private int batchSize = 32;
    private long totalSteps = 1000;
    private double labelSmoothing;
    private double auxLossWeight = 0.4;
    private double clipGlobalNorm = 5.0;
    private double movingAverageDecay;
    private String freezeBelow;
    private long checkpointEvery;
    private int logEvery = 50;
    private long seed = 1;
    private Regularization regularization = Regularization.mobile();
    private int devices = 1;
    private String deviceType = "CPU";
    private int batchNormGroups = 1;

    public Builder optimizer(Optimizer v) {
      optimizer = v;
      return this;
    }

    public Builder schedule(LearningRateSchedule v) {
      schedule = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder totalSteps(long v) {
      totalSteps = v;
      return this;
    }

    public Builder labelSmoothing(double v) {
      labelSmoothing = v;
      return this;
    }

    public Builder auxLossWeight(double v) {
      auxLossWeight = v;
      return this;
    }

    public Builder clipGlobalNorm(double v) {
      clipGlobalNorm = v;
      return this;
    }

    public Builder movingAverageDecay(double v) {
      movingAverageDecay = v;
      return this;
    }

    public Builder freezeBelow(String v) {
      freezeBelow = v;
      return this;
    }

    public Builder checkpointEvery(long v) {
      checkpointEvery = v;
      return this;
    }

    public Builder logEvery(int v) {
      logEvery = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder regularization(Regularization v) {
      regularization = v;
      return this;
    }

    /** Data-parallel towers, one a device; the batch size must divide by it. */
    public Builder devices(int v) {
      devices = v;
      return this;
    }

    /** {@code "CPU"} or {@code "GPU"}: the kind of device the towers go on. */
    public Builder deviceType(String v) {
      deviceType = v;
      return this;
    }

    /** Ghost batch norm: groups of each device's batch normalised apart. */
    public Builder batchNormGroups(int v) {
      batchNormGroups = v;
      return this;
    }

    public TrainingConfig build() {
      LearningRateSchedule s = schedule != null ? schedule : LearningRateSchedule.cosine(0.025, totalSteps, 0);
      return new TrainingConfig(optimizer, s, batchSize, totalSteps, labelSmoothing, auxLossWeight, clipGlobalNorm,
          movingAverageDecay, freezeBelow, checkpointEvery, logEvery, seed, regularization, devices, deviceType,
          batchNormGroups);
    }
  }
}
