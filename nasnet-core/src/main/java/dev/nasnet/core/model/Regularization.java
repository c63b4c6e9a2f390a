package dev.nasnet.core.model;

import com.google.common.base.Preconditions;

/**
 * How a network is regularised while it trains: ScheduledDropPath, dropout before the classifier, L2 weight decay
 * and the batch-norm moving-average decay. A training concern, held by the training configs, not by the
 * architecture ({@link NasNetConfig}); the builder reads it for training graphs only. The factories give slim's
 * values for its configs.
 *
 * @param dropPathKeepProb final keep probability of ScheduledDropPath (1 for none)
 * @param denseDropoutKeepProb keep probability of the dropout before the classifier (1 for none)
 * @param weightDecay L2 on conv, separable and fully connected weights (0 for none)
 * @param batchNormDecay decay of the batch-norm moving mean and variance
 */
public record Regularization(double dropPathKeepProb, double denseDropoutKeepProb, double weightDecay,
    float batchNormDecay) {
  public Regularization {
    Preconditions.checkArgument(dropPathKeepProb > 0 && dropPathKeepProb <= 1,
        "dropPathKeepProb must be in (0, 1], got %s", dropPathKeepProb);
    Preconditions.checkArgument(denseDropoutKeepProb > 0 && denseDropoutKeepProb <= 1,
        "denseDropoutKeepProb must be in (0, 1], got %s", denseDropoutKeepProb);
    Preconditions.checkArgument(weightDecay >= 0 && Double.isFinite(weightDecay),
        "weightDecay must be finite and not negative, got %s", weightDecay);
    Preconditions.checkArgument(batchNormDecay > 0 && batchNormDecay < 1,
        "batch-norm decay must be in (0, 1), got %s", batchNormDecay);
  }

  /** slim's {@code mobile_imagenet_config}: no drop path, dropout 0.5, weight decay 4e-5, batch-norm decay 0.9997. */
  public static Regularization mobile() {
    return new Regularization(1.0, 0.5, 4e-5, 0.9997f);
  }

  /** slim's {@code large_imagenet_config}: drop path 0.7, dropout 0.5, weight decay 5e-5, batch-norm 0.9997. */
  public static Regularization large() {
    return new Regularization(0.7, 0.5, 5e-5, 0.9997f);
  }

  /** slim's {@code cifar_config}: drop path 0.6, no dropout, weight decay 5e-4, batch-norm decay 0.9. */
  public static Regularization cifar() {
    return new Regularization(0.6, 1.0, 5e-4, 0.9f);
  }

  /** PNASNet-5 Large in slim: drop path 0.6, dropout 0.5, weight decay 4e-5, batch-norm decay 0.9997. */
  public static Regularization pnasnetLarge() {
    return new Regularization(0.6, 0.5, 4e-5, 0.9997f);
  }

  /** PNASNet-5 Mobile in slim: as Large without drop path. */
  public static Regularization pnasnetMobile() {
    return pnasnetLarge().withDropPathKeepProb(1.0);
  }

  /** Nothing but batch norm's moving averages (slim's ImageNet decay 0.9997). */
  public static Regularization none() {
    return new Regularization(1.0, 1.0, 0, 0.9997f);
  }

  /** slim's values for a preset's name, as {@link NasNetConfig#preset(String)} accepts them. */
  public static Regularization forPreset(String name) {
    return switch (NasNetConfig.preset(name).name()) {
      case "nasnet_a_large" -> large();
      case "nasnet_a_cifar" -> cifar();
      case "pnasnet_5_large" -> pnasnetLarge();
      case "pnasnet_5_mobile" -> pnasnetMobile();
      default -> mobile();
    };
  }

  /** A preset's own values when {@code config} is named as one ({@link #forPreset}), else slim's defaults (mobile). */
  public static Regularization forModel(NasNetConfig config) {
    try {
      return forPreset(config.name());
    } catch (IllegalArgumentException unknown) {
      return mobile();
    }
  }

  public Regularization withDropPathKeepProb(double v) {
    return new Regularization(v, denseDropoutKeepProb, weightDecay, batchNormDecay);
  }

  public Regularization withDenseDropoutKeepProb(double v) {
    return new Regularization(dropPathKeepProb, v, weightDecay, batchNormDecay);
  }

  public Regularization withWeightDecay(double v) {
    return new Regularization(dropPathKeepProb, denseDropoutKeepProb, v, batchNormDecay);
  }

  public Regularization withBatchNormDecay(float v) {
    return new Regularization(dropPathKeepProb, denseDropoutKeepProb, weightDecay, v);
  }
}
