package dev.nasnet.core.train;

import com.google.common.base.Preconditions;
import dev.nasnet.core.data.Augmentation;
import dev.nasnet.core.data.DataPipeline;
import dev.nasnet.core.data.ImageDataset;
import dev.nasnet.core.data.Normalization;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Regularization;
import java.util.Locale;

/**
 * "Train this NASNet for E epochs on these images": measures the normalisation on the training split, derives the
 * steps, the cosine schedule with warm-up, the logging interval and both pipelines, then runs a {@link Trainer}.
 * What the CLI's {@code train} and a search's proxy task both do, written once.
 *
 * <pre>{@code
 * EpochTraining.Outcome out = EpochTraining.builder(config, train, validation).epochs(10).batchSize(64)
 *     .learningRate(0.05).build().run(TrainingRun.in(dir));
 * }</pre>
 */
public final class EpochTraining {
  private final NasNetConfig model;
  private final ImageDataset train;
  private final ImageDataset validation;
  private final TrainingConfig config;
  private final Augmentation augmentation;
  private final OpLibrary ops;
  private final Normalization normalization;
  private final int stepsPerEpoch;

  /** What a run did, with the normalisation it measured (evaluate other splits with it). */
  public record Outcome(TrainingResult result, Normalization normalization, long steps, int stepsPerEpoch) {}

  private EpochTraining(Builder b) {
    this.model = b.model;
    this.train = b.train;
    this.validation = b.validation;
    this.augmentation = b.augmentation;
    this.ops = b.ops;
    this.stepsPerEpoch = Math.max(1, train.size() / b.batchSize);
    long steps = Math.round(b.epochs * stepsPerEpoch);
    if (steps < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s epochs is less than one step of batch %d "
          + "over %d images (%d steps per epoch)", b.epochs, b.batchSize, train.size(), stepsPerEpoch));
    }
    long warmup = Math.min(steps - 1, Math.round(b.warmupEpochs * stepsPerEpoch));
    this.config = TrainingConfig.builder().optimizer(Optimizer.momentum(0.9, true)).batchSize(b.batchSize)
        .totalSteps(steps).schedule(LearningRateSchedule.cosine(b.learningRate, steps, Math.max(0, warmup)))
        .movingAverageDecay(b.movingAverageDecay).clipGlobalNorm(b.clipGlobalNorm).freezeBelow(b.freezeBelow)
        .auxLossWeight(b.auxLossWeight).checkpointEvery(b.checkpointEvery)
        .logEvery(Math.max(1, stepsPerEpoch / b.logsPerEpoch)).seed(b.seed).regularization(b.regularization)
        .devices(b.devices).deviceType(b.deviceType).build();
    this.normalization = Normalization.measure(train);
  }

  public static Builder builder(NasNetConfig model, ImageDataset train, ImageDataset validation) {
    return new Builder(model, train, validation);
  }

  /** The training config this plan runs (steps, schedule, intervals). */
  public TrainingConfig config() {
    return config;
  }

  public Normalization normalization() {
    return normalization;
  }

  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** A pipeline over another split (e.g. the test set) with this run's normalisation, for evaluation. */
  public DataPipeline evaluationPipeline(ImageDataset data) {
    return DataPipeline.builder(data).batchSize(256).normalization(normalization).forEvaluation().build();
  }

  public Outcome run(TrainingRun run) {
    DataPipeline trainPipe = DataPipeline.builder(train).batchSize(config.batchSize()).normalization(normalization)
        .seed(config.seed()).augmentation(augmentation).build();
    DataPipeline valPipe = validation == null ? null : evaluationPipeline(validation);
    try (Trainer trainer = new Trainer(model, config, ops)) {
      return new Outcome(trainer.fit(trainPipe, valPipe, run), normalization, config.totalSteps(), stepsPerEpoch);
    }
  }

  /**
   * Options; defaults: 1 epoch, batch 32, learning rate 0.025, no warm-up, no augmentation, clip 5, no weight
   * average, aux weight 0.4, four metric rows an epoch, checkpoints only at the end, seed 1, one device.
   */
  public static final class Builder {
    private final NasNetConfig model;
    private final ImageDataset train;
    private final ImageDataset validation;
    private double epochs = 1;
    private int batchSize = 32;
    private double learningRate = 0.025;
    private double warmupEpochs;
    private Augmentation augmentation = Augmentation.NONE;
    private double clipGlobalNorm = 5;
    private double movingAverageDecay;
    private double auxLossWeight = 0.4;
    private String freezeBelow;
    private long checkpointEvery;
    private int logsPerEpoch = 4;
    private long seed = 1;
    private Regularization regularization;
    private OpLibrary ops = OpLibrary.standard();
    private int devices = 1;
    private String deviceType = "CPU";

    private Builder(NasNetConfig model, ImageDataset train, ImageDataset validation) {
      this.model = Preconditions.checkNotNull(model, "model");
      this.train = Preconditions.checkNotNull(train, "train");
      this.validation = validation;
      this.regularization = Regularization.forModel(model);
    }

    public Builder epochs(double v) {
      Preconditions.checkArgument(v > 0, "epochs must be positive, got %s", v);
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      Preconditions.checkArgument(v > 0, "batch size must be positive, got %s", v);
      Preconditions.checkArgument(v <= train.size(), "batch size %s exceeds the %s training images", v,
          train.size());
      batchSize = v;
      return this;
    }

    public Builder learningRate(double v) {
      Preconditions.checkArgument(v > 0, "learning rate must be positive, got %s", v);
      learningRate = v;
      return this;
    }

    /** Linear warm-up, in epochs, capped below the run's length. */
    public Builder warmupEpochs(double v) {
      Preconditions.checkArgument(v >= 0, "warm-up must not be negative, got %s", v);
      warmupEpochs = v;
      return this;
    }

    public Builder augmentation(Augmentation v) {
      augmentation = Preconditions.checkNotNull(v, "augmentation");
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

    public Builder auxLossWeight(double v) {
      auxLossWeight = v;
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

    public Builder logsPerEpoch(int v) {
      Preconditions.checkArgument(v > 0, "logs per epoch must be positive, got %s", v);
      logsPerEpoch = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Drop path, dropout, weight decay and batch-norm decay; by default those of the model's preset. */
    public Builder regularization(Regularization v) {
      regularization = Preconditions.checkNotNull(v, "regularization");
      return this;
    }

    public Builder ops(OpLibrary v) {
      ops = Preconditions.checkNotNull(v, "ops");
      return this;
    }

    /**
     * Data-parallel towers, one a device (see {@link TrainingConfig#devices()}); the batch size must divide by it.
     * 1, the default, trains on one device.
     */
    public Builder devices(int v) {
      Preconditions.checkArgument(v >= 1 && v <= 64, "devices must be in 1..64, got %s", v);
      devices = v;
      return this;
    }

    /** {@code "CPU"} (the default; virtual CPU devices) or {@code "GPU"}: where the towers go. */
    public Builder deviceType(String v) {
      Preconditions.checkArgument("CPU".equals(v) || "GPU".equals(v), "device type must be CPU or GPU, got %s", v);
      deviceType = v;
      return this;
    }

    public EpochTraining build() {
      Preconditions.checkArgument(batchSize % devices == 0,
          "batch size %s must be divisible by the %s devices (each takes an equal slice)", batchSize, devices);
      return new EpochTraining(this);
    }
  }
}
