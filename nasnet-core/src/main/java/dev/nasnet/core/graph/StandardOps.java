package dev.nasnet.core.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The paper's ops, with TF-slim's structure and variable scopes where slim defines the op. */
public final class StandardOps {
  private StandardOps() {}

  /**
   * Slim's {@code separable_KxK_N}: N times ReLU, separable conv, batch norm, with the stride on the first only.
   * Scopes {@code separable_KxK_i} and {@code bn_sep_KxK_i}.
   */
  public static CellOp separable(int kernel, int repeats) {
    return (s, x, filters, stride) -> {
      Operand<TFloat32> net = x;
      for (int i = 1; i <= repeats; i++) {
        String suffix = kernel + "x" + kernel + "_" + i;
        net = s.relu(net);
        net = s.separableConv2d("separable_" + suffix, net, filters, kernel, i == 1 ? stride : 1);
        net = s.batchNorm("bn_sep_" + suffix, net);
      }
      return net;
    };
  }

  /**
   * Slim's {@code none}: the input itself, or ReLU, strided 1x1 conv {@code 1x1}, batch norm {@code bn_1} when the
   * stride or the channel count must change. Never drop-pathed.
   */
  public static CellOp identity() {
    return new CellOp() {
      @Override
      public Operand<TFloat32> apply(Layers s, Operand<TFloat32> x, int filters, int stride) {
        if (stride == 1 && Layers.channels(x) == filters) {
          return x;
        }
        return s.batchNorm("bn_1", s.conv2d("1x1", s.relu(x), filters, 1, 1, stride, "SAME"));
      }

      @Override
      public boolean dropPath() {
        return false;
      }
    };
  }

  /**
   * Average pooling, then a 1x1 projection if needed. SAME padding leaves padded cells out of the mean; with
   * {@link PoolPadding#ZEROS} a strided pool counts explicit zeros instead, as Keras' NASNet does.
   */
  public static CellOp avgPool(int kernel) {
    return (s, x, filters, stride) -> project(s, zeroPaddedIfAsked(s, x, kernel, stride)
        ? s.avgPool(s.padSameWithZeros(x, kernel, stride), kernel, stride, "VALID")
        : s.avgPool(x, kernel, stride, "SAME"), filters);
  }

  /** Max pooling, SAME padding (or explicit zeros, see {@link #avgPool}), then a 1x1 projection if needed. */
  public static CellOp maxPool(int kernel) {
    return (s, x, filters, stride) -> project(s, zeroPaddedIfAsked(s, x, kernel, stride)
        ? s.maxPool(s.padSameWithZeros(x, kernel, stride), kernel, stride, "VALID")
        : s.maxPool(x, kernel, stride, "SAME"), filters);
  }

  /** Keras pads only its strided pools by hand; its stride-1 pools use SAME as slim does. */
  private static boolean zeroPaddedIfAsked(Layers s, Operand<TFloat32> x, int kernel, int stride) {
    return stride > 1 && s.context().poolPadding() == PoolPadding.ZEROS;
  }

  /** ReLU, KxK conv (scope {@code conv_KxK}), batch norm ({@code bn_conv_KxK}). */
  public static CellOp conv(int kernel) {
    return (s, x, filters, stride) -> {
      String name = "conv_" + kernel + "x" + kernel;
      return s.batchNorm("bn_" + name, s.conv2d(name, s.relu(x), filters, kernel, kernel, stride, "SAME"));
    };
  }

  /** ReLU, 1xK conv, batch norm, ReLU, Kx1 conv, batch norm; the stride is on the first conv. */
  public static CellOp factorizedConv(int kernel) {
    return (s, x, filters, stride) -> {
      String first = "conv_1x" + kernel;
      String second = "conv_" + kernel + "x1";
      Operand<TFloat32> net = s.batchNorm("bn_" + first, s.conv2d(first, s.relu(x), filters, 1, kernel, stride,
          "SAME"));
      return s.batchNorm("bn_" + second, s.conv2d(second, s.relu(net), filters, kernel, 1, 1, "SAME"));
    };
  }

  /**
   * ReLU, 3x3 conv with dilation 2, batch norm. TensorFlow's CPU kernels take no stride with a dilation, so a strided
   * use subsamples the stride-1 result (every {@code stride}-th pixel from the first), giving the SAME output size.
   */
  public static CellOp dilatedConv3x3() {
    return (s, x, filters, stride) -> {
      Operand<TFloat32> net = s.conv2d("dil_conv_3x3", s.relu(x), filters, 3, 3, 1, 2, "SAME");
      if (stride > 1) {
        net = s.avgPool(net, 1, stride, "VALID");
      }
      return s.batchNorm("bn_dil_conv_3x3", net);
    };
  }

  private static Operand<TFloat32> project(Layers s, Operand<TFloat32> x, int filters) {
    if (Layers.channels(x) == filters) {
      return x;
    }
    // Slim projects pooled outputs without a ReLU first.
    return s.batchNorm("bn_1", s.conv2d("1x1", x, filters, 1, 1, 1, "SAME"));
  }
}
