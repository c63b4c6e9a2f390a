package dev.nasnet.core.graph;

import com.google.common.base.Preconditions;

/**
 * How a layer's weights start. The backbone uses slim's default (variance scaling 2.0 on fan-out, truncated normal);
 * detection heads follow the Object Detection API's configs (truncated normal 0.01 for the RPN, variance scaling 1.0
 * on the average fan, uniform, for the box classifier).
 */
public sealed interface WeightInit {
  /** Which fan variance scaling divides by. */
  enum Fan {
    IN,
    OUT,
    AVERAGE
  }

  /** slim's {@code variance_scaling_initializer()} as NASNet's arg scope sets it: 2.0, fan-out, truncated normal. */
  static WeightInit slimDefault() {
    return new VarianceScaling(2.0, Fan.OUT, false);
  }

  record TruncatedNormal(double stddev) implements WeightInit {
    public TruncatedNormal {
      Preconditions.checkArgument(stddev > 0, "stddev must be positive, got %s", stddev);
    }
  }

  /**
   * Variance {@code scale / fan}: a truncated normal (stddev corrected by slim's 1.3) or a uniform in
   * {@code [-sqrt(3 scale / fan), +sqrt(3 scale / fan)]}.
   */
  record VarianceScaling(double scale, Fan fan, boolean uniform) implements WeightInit {
    public VarianceScaling {
      Preconditions.checkArgument(scale > 0, "scale must be positive, got %s", scale);
      Preconditions.checkNotNull(fan, "fan");
    }

    double fanOf(long fanIn, long fanOut) {
      return switch (fan) {
        case IN -> fanIn;
        case OUT -> fanOut;
        case AVERAGE -> (fanIn + fanOut) / 2.0;
      };
    }
  }
}
