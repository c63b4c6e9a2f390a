package dev.nasnet.core.train;

import com.google.common.base.Preconditions;

/**
 * The learning rate at each step; it is fed to the graph every step, so any Java function works. Built in: constant,
 * single-period cosine decay (the paper's CIFAR setting) and exponential decay (its ImageNet setting), each with an
 * optional linear warm-up from 0.
 */
public sealed interface LearningRateSchedule {
  double at(long step);

  static LearningRateSchedule constant(double rate) {
    return new Constant(rate);
  }

  /** Cosine from {@code base} to 0 over {@code totalSteps}, after {@code warmupSteps} of linear warm-up. */
  static LearningRateSchedule cosine(double base, long totalSteps, long warmupSteps) {
    return new Cosine(base, totalSteps, warmupSteps);
  }

  /** {@code base * rate^(step / decaySteps)}, floored per period when {@code staircase}, after warm-up. */
  static LearningRateSchedule exponential(double base, double rate, double decaySteps, boolean staircase,
      long warmupSteps) {
    return new Exponential(base, rate, decaySteps, staircase, warmupSteps);
  }

  /** Linear ramp over the first {@code warmupSteps}. */
  private static double warmup(long step, long warmupSteps) {
    return warmupSteps > 0 && step < warmupSteps ? (step + 1.0) / warmupSteps : 1.0;
  }

  record Constant(double rate) implements LearningRateSchedule {
    public Constant {
      Preconditions.checkArgument(rate > 0, "learning rate must be positive, got %s", rate);
    }

    @Override
    public double at(long step) {
      return rate;
    }
  }

  record Cosine(double base, long totalSteps, long warmupSteps) implements LearningRateSchedule {
    public Cosine {
      Preconditions.checkArgument(base > 0, "learning rate must be positive, got %s", base);
      Preconditions.checkArgument(totalSteps > 0, "total steps must be positive, got %s", totalSteps);
      Preconditions.checkArgument(warmupSteps >= 0 && warmupSteps < totalSteps,
          "warm-up steps must be in 0..%s, got %s", totalSteps - 1, warmupSteps);
    }

    @Override
    public double at(long step) {
      double progress = Math.min(1.0, (double) step / totalSteps);
      return base * 0.5 * (1 + Math.cos(Math.PI * progress)) * warmup(step, warmupSteps);
    }
  }

  record Exponential(double base, double rate, double decaySteps, boolean staircase, long warmupSteps)
      implements LearningRateSchedule {
    public Exponential {
      Preconditions.checkArgument(base > 0, "learning rate must be positive, got %s", base);
      Preconditions.checkArgument(rate > 0 && rate <= 1, "decay rate must be in (0, 1], got %s", rate);
      Preconditions.checkArgument(decaySteps > 0, "decay steps must be positive, got %s", decaySteps);
      Preconditions.checkArgument(warmupSteps >= 0, "warm-up steps must not be negative, got %s", warmupSteps);
    }

    @Override
    public double at(long step) {
      double periods = step / decaySteps;
      return base * Math.pow(rate, staircase ? Math.floor(periods) : periods) * warmup(step, warmupSteps);
    }
  }
}
