package dev.nasnet.core.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The slim-style layers a NASNet is made of, built under one name scope. Each layer creates its variables with the
 * names TF-slim gives them ({@code weights}, {@code depthwise_weights}, {@code gamma}, {@code moving_mean}, ...) and
 * counts its multiply-adds at batch 1.
 *
 * <p>Conv and separable conv have no biases; weights start from slim's variance-scaling initialiser (fan-out, factor
 * 2, truncated normal).
 */
public final class Layers {
  private final BuildContext ctx;
  private final Ops tf;
  private final String path;

  Layers(BuildContext ctx, Ops tf, String path) {
    this.ctx = ctx;
    this.tf = tf;
    this.path = path;
  }

  /** Layers one scope deeper. Each scope name may be entered once per parent. */
  public Layers sub(String name) {
    return new Layers(ctx, tf.withSubScope(name), path.isEmpty() ? name : path + "/" + name);
  }

  /** The raw TensorFlow ops of this scope, for ops this class does not cover. */
  public Ops tf() {
    return tf;
  }

  public BuildContext context() {
    return ctx;
  }

  public boolean training() {
    return ctx.mode().isTraining();
  }

  public Operand<TFloat32> relu(Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }

  /** A conv without bias in sub-scope {@code scope}, variable {@code scope/weights} [kh, kw, in, filters]. */
  public Operand<TFloat32> conv2d(String scope, Operand<TFloat32> x, int filters, int kh, int kw, int stride,
      String padding) {
    return conv2d(scope, x, filters, kh, kw, stride, 1, padding);
  }

  public Operand<TFloat32> conv2d(String scope, Operand<TFloat32> x, int filters, int kh, int kw, int stride,
      int dilation, String padding) {
    Layers s = sub(scope);
    long in = channels(x);
    Variable<TFloat32> w = s.weights("weights", new long[] {kh, kw, in, filters}, (long) kh * kw * filters);
    Conv2d.Options[] opts = dilation == 1 ? new Conv2d.Options[0]
        : new Conv2d.Options[] {Conv2d.dilations(List.of(1L, (long) dilation, (long) dilation, 1L))};
    Operand<TFloat32> y = s.tf.nn.conv2d(x, w, strides(stride), padding, opts);
    ctx.addMultiplyAdds(spatial(y) * kh * kw * in * filters);
    return y;
  }

  /**
   * A conv with a bias and no batch norm after it (detection heads), in sub-scope {@code scope}: {@code weights} and
   * {@code biases}.
   */
  public Operand<TFloat32> conv2dWithBias(String scope, Operand<TFloat32> x, int filters, int kernel, int stride,
      String padding) {
    return conv2dWithBias(scope, x, filters, kernel, stride, padding, WeightInit.slimDefault());
  }

  /** As {@link #conv2dWithBias(String, Operand, int, int, int, String)} with the weights started by {@code init}. */
  public Operand<TFloat32> conv2dWithBias(String scope, Operand<TFloat32> x, int filters, int kernel, int stride,
      String padding, WeightInit init) {
    Layers s = sub(scope);
    long in = channels(x);
    Variable<TFloat32> w = s.weights("weights", new long[] {kernel, kernel, in, filters}, (long) kernel * kernel * in,
        (long) kernel * kernel * filters, init);
    Variable<TFloat32> b = s.constantVariable("biases", filters, 0f, true);
    Operand<TFloat32> y = s.tf.nn.biasAdd(s.tf.nn.conv2d(x, w, strides(stride), padding), b);
    ctx.addMultiplyAdds(spatial(y) * kernel * kernel * in * filters);
    return y;
  }

  /**
   * A depthwise-separable conv (depth multiplier 1, no batch norm or ReLU between its two halves) in sub-scope
   * {@code scope}: {@code depthwise_weights} [k, k, in, 1] then {@code pointwise_weights} [1, 1, in, filters].
   */
  public Operand<TFloat32> separableConv2d(String scope, Operand<TFloat32> x, int filters, int kernel, int stride) {
    Layers s = sub(scope);
    long in = channels(x);
    Variable<TFloat32> dw = s.weights("depthwise_weights", new long[] {kernel, kernel, in, 1}, (long) kernel * kernel);
    Variable<TFloat32> pw = s.weights("pointwise_weights", new long[] {1, 1, in, filters}, filters);
    Operand<TFloat32> d = s.tf.nn.depthwiseConv2dNative(x, dw, strides(stride), "SAME");
    Operand<TFloat32> y = s.tf.nn.conv2d(d, pw, strides(1), "SAME");
    long hw = spatial(y);
    ctx.addMultiplyAdds(hw * kernel * kernel * in + hw * in * filters);
    return y;
  }

  /**
   * Fused batch norm with {@code gamma}, {@code beta}, {@code moving_mean}, {@code moving_variance} in sub-scope
   * {@code scope}. In training it normalises with batch statistics and registers the moving-average updates.
   */
  public Operand<TFloat32> batchNorm(String scope, Operand<TFloat32> x) {
    Layers s = sub(scope);
    long c = channels(x);
    Variable<TFloat32> gamma = s.constantVariable("gamma", c, 1f, true);
    Variable<TFloat32> beta = s.constantVariable("beta", c, 0f, true);
    Variable<TFloat32> mean = s.constantVariable("moving_mean", c, 0f, false);
    Variable<TFloat32> variance = s.constantVariable("moving_variance", c, 1f, false);
    float eps = ctx.batchNorm().epsilon();
    if (!training()) {
      return s.tf.nn.fusedBatchNorm(x, gamma, beta, mean, variance, FusedBatchNorm.epsilon(eps),
          FusedBatchNorm.isTraining(false)).y();
    }
    Operand<TFloat32> empty = s.tf.constant(new float[0]);
    int groups = ctx.batchNormGroups();
    // Ghost batch norm: each group of the batch normalised with its own statistics, the averages from group 0.
    List<Operand<TFloat32>> parts = groups == 1 ? List.of(x) : splitBatch(s.tf, x, groups);
    List<Operand<TFloat32>> normalised = new java.util.ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      boolean updates = i == 0 && ctx.ownsVariables();
      // The kernel itself moves the averages (mean = decay * mean + (1 - decay) * batch mean, variance alike with
      // the batch's unbiased variance) when given them and a factor: two assigns instead of six small ops per layer.
      float factor = updates ? 1f - ctx.batchNorm().decay() : 1f;
      FusedBatchNorm<TFloat32, TFloat32> bn = s.tf.nn.fusedBatchNorm(parts.get(i), gamma, beta,
          updates ? mean : empty, updates ? variance : empty, FusedBatchNorm.epsilon(eps),
          FusedBatchNorm.isTraining(true), FusedBatchNorm.exponentialAvgFactor(factor));
      if (updates) {
        ctx.addUpdateOp(s.tf.assign(mean, bn.batchMean()));
        ctx.addUpdateOp(s.tf.assign(variance, bn.batchVariance()));
      }
      normalised.add(bn.y());
    }
    return groups == 1 ? normalised.get(0) : s.tf.concat(normalised, s.tf.constant(0));
  }

  /** {@code x} split along the batch into {@code n} equal parts (the batch must divide by n when run). */
  static List<Operand<TFloat32>> splitBatch(Ops tf, Operand<TFloat32> x, int n) {
    List<Operand<TFloat32>> parts = new java.util.ArrayList<>();
    tf.split(tf.constant(0), x, (long) n).output().forEach(parts::add);
    return parts;
  }

  /** A fully connected layer in sub-scope {@code scope}: {@code weights} [in, units] and {@code biases} [units]. */
  public Operand<TFloat32> fullyConnected(String scope, Operand<TFloat32> x, int units) {
    return fullyConnected(scope, x, units, WeightInit.slimDefault());
  }

  /** As {@link #fullyConnected(String, Operand, int)} with the weights started by {@code init}. */
  public Operand<TFloat32> fullyConnected(String scope, Operand<TFloat32> x, int units, WeightInit init) {
    Layers s = sub(scope);
    long in = x.shape().get(1);
    Variable<TFloat32> w = s.weights("weights", new long[] {in, units}, in, units, init);
    Variable<TFloat32> b = s.constantVariable("biases", units, 0f, true);
    ctx.addMultiplyAdds(in * units);
    return s.tf.nn.biasAdd(s.tf.linalg.matMul(x, w), b);
  }

  public Operand<TFloat32> avgPool(Operand<TFloat32> x, int kernel, int stride, String padding) {
    return tf.nn.avgPool(x, List.of(1L, (long) kernel, (long) kernel, 1L), strides(stride), padding);
  }

  /**
   * Max pooling as TensorFlow's {@code MaxPool} op, window and strides as attributes. TensorFlow Java's
   * {@code tf.nn.maxPool} makes {@code MaxPoolV2} (window and strides as tensors), which oneDNN does not take: its
   * gradient ran as a generic kernel at about 5x the time.
   */
  @SuppressWarnings("unchecked")
  public Operand<TFloat32> maxPool(Operand<TFloat32> x, int kernel, int stride, String padding) {
    org.tensorflow.op.Scope scope = tf.scope();
    return (Operand<TFloat32>) (Operand<?>) scope.env().opBuilder("MaxPool", scope.makeOpName("MaxPool"), scope)
        .addInput(x.asOutput()).setAttr("ksize", new long[] {1, kernel, kernel, 1})
        .setAttr("strides", new long[] {1, stride, stride, 1}).setAttr("padding", padding).build().output(0);
  }

  /**
   * Pads height and width with zeros where a {@code SAME} window of this kernel and stride would overhang (TensorFlow
   * puts the odd cell after), so that a {@code VALID} op then sees the same windows with zeros in them.
   */
  public Operand<TFloat32> padSameWithZeros(Operand<TFloat32> x, int kernel, int stride) {
    int[] h = samePadding(height(x), kernel, stride);
    int[] w = samePadding((int) x.shape().get(2), kernel, stride);
    return tf.pad(x, tf.constant(new int[][] {{0, 0}, h, w, {0, 0}}), tf.constant(0f));
  }

  private static int[] samePadding(int size, int kernel, int stride) {
    int out = (size + stride - 1) / stride;
    int total = Math.max((out - 1) * stride + kernel - size, 0);
    return new int[] {total / 2, total - total / 2};
  }

  /** Mean over height and width: [B, H, W, C] to [B, C]. */
  public Operand<TFloat32> globalAvgPool(Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(new int[] {1, 2}));
  }

  /**
   * Slim's factorized reduction to {@code filters} channels. Stride 1: {@code path_conv} + {@code path_bn}. Stride 2:
   * two 1x1 convs on the even pixels and on the pixels shifted by one ({@code path1_conv}, {@code path2_conv}, the odd
   * extra filter going to path 2), concatenated, then {@code final_path_bn}. The caller applies the ReLU before it.
   *
   * <p>Slim picks the pixels with a 1x1 average pool of stride 2, after padding and shifting for path 2. Here the
   * inference convs take the stride themselves, path 2's with the shift as explicit padding. Same values to rounding,
   * without three copies of the input and two pools: 6% of NASNet-A Mobile's inference kernel time went to them.
   */
  public Operand<TFloat32> factorizedReduction(Operand<TFloat32> x, int filters, int stride) {
    if (stride == 1) {
      return batchNorm("path_bn", conv2d("path_conv", x, filters, 1, 1, 1, "SAME"));
    }
    int height = height(x);
    int width = (int) x.shape().get(2);
    // Training graphs keep slim's ops: TensorFlow Java's Conv2D gradient drops explicit paddings, and a strided conv
    // over a sliced copy crashed TensorFlow's native code in training (a double free in RpnTrainingTest) while
    // training no faster than slim's ops.
    if (training() || stride != 2 || height < 2 || width < 2) { // unknown (-1), or nothing left after the shift
      return factorizedReductionAsSlim(x, filters, stride);
    }
    Operand<TFloat32> path1 = conv2d("path1_conv", x, filters / 2, 1, 1, stride, "VALID");
    // Path 2's conv reads the input with a zero row and column in front (and behind, on an odd size), so its windows
    // fall on the odd pixels from its second output on; the first output row and column go. Slim's zero row and
    // column at the end of an odd size is the padding behind.
    int path2Filters = filters / 2 + filters % 2;
    Layers p2 = sub("path2_conv");
    long in = channels(x);
    Variable<TFloat32> w = p2.weights("weights", new long[] {1, 1, in, path2Filters}, path2Filters);
    Operand<TFloat32> shiftedConv = p2.tf.nn.conv2d(x, w, strides(stride), "EXPLICIT",
        Conv2d.explicitPaddings(0L, 0L, 1L, (long) (height % 2), 1L, (long) (width % 2), 0L, 0L));
    Operand<TFloat32> path2 = tf.slice(shiftedConv, tf.constant(new int[] {0, 1, 1, 0}),
        tf.constant(new int[] {-1, -1, -1, -1}));
    ctx.addMultiplyAdds(spatial(path2) * in * path2Filters);
    return batchNorm("final_path_bn", concatChannels(List.of(path1, path2)));
  }

  /**
   * {@link #factorizedReduction} stride 2 as slim writes it: for training, inputs of unknown or unit size, and tests.
   */
  Operand<TFloat32> factorizedReductionAsSlim(Operand<TFloat32> x, int filters, int stride) {
    Operand<TFloat32> path1 = conv2d("path1_conv", avgPool(x, 1, stride, "VALID"), filters / 2, 1, 1, 1, "SAME");
    Operand<TFloat32> padded = tf.pad(x, tf.constant(new int[][] {{0, 0}, {0, 1}, {0, 1}, {0, 0}}), tf.constant(0f));
    // Slice, not StridedSlice: same values, but its gradient is a Pad, where StridedSliceGrad took 7% of a Mobile
    // training step.
    Operand<TFloat32> shifted = tf.slice(padded, tf.constant(new int[] {0, 1, 1, 0}),
        tf.constant(new int[] {-1, -1, -1, -1}));
    Operand<TFloat32> path2 = conv2d("path2_conv", avgPool(shifted, 1, stride, "VALID"), filters / 2 + filters % 2,
        1, 1, 1, "SAME");
    return batchNorm("final_path_bn", concatChannels(List.of(path1, path2)));
  }

  public Operand<TFloat32> concatChannels(List<Operand<TFloat32>> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return tf.concat(parts, tf.constant(3));
  }

  /**
   * Drops whole examples' paths with probability {@code 1 - keepProb} and scales survivors by {@code 1 / keepProb}
   * (slim's {@code drop_path}); the mask is kept off the gradient path.
   */
  public Operand<TFloat32> dropPath(Operand<TFloat32> x, Operand<TFloat32> keepProb) {
    Operand<TInt32> noiseShape = tf.concat(List.of(tf.stridedSlice(tf.shape(x), Indices.slice(0, 1)),
        tf.constant(new int[] {1, 1, 1})), tf.constant(0));
    return keepScaled(x, noiseShape, keepProb);
  }

  /** Dropout: each element kept with probability {@code keepProb}, survivors scaled by {@code 1 / keepProb}. */
  public Operand<TFloat32> dropout(Operand<TFloat32> x, float keepProb) {
    return keepScaled(x, tf.shape(x), tf.constant(keepProb));
  }

  private Operand<TFloat32> keepScaled(Operand<TFloat32> x, Operand<TInt32> noiseShape, Operand<TFloat32> keepProb) {
    // Stateless: the mask depends only on (op, training step), so a resumed run draws the masks the uninterrupted
    // run drew. Kept off the gradient path, where the random op has no gradient.
    Operand<TFloat32> uniform = tf.stopGradient(tf.random.statelessRandomUniform(noiseShape,
        ctx.statelessSeed(tf), TFloat32.class));
    Operand<TFloat32> mask = tf.stopGradient(tf.math.floor(tf.math.add(keepProb, uniform)));
    return tf.math.mul(tf.math.div(x, keepProb), mask);
  }

  private Variable<TFloat32> weights(String name, long[] shape, long fanOut) {
    return weights(name, shape, fanOut, fanOut, WeightInit.slimDefault());
  }

  private Variable<TFloat32> weights(String name, long[] shape, long fanIn, long fanOut, WeightInit how) {
    long[] seeds = ctx.nextSeeds();
    Variable<TFloat32> shared = shared(name);
    if (shared != null) {
      return shared;
    }
    Ops init = tf.withInitScope();
    Operand<TFloat32> value;
    if (how instanceof WeightInit.VarianceScaling vs && vs.uniform()) {
      double limit = Math.sqrt(3.0 * vs.scale() / vs.fanOf(fanIn, fanOut));
      Operand<TFloat32> u = init.random.randomUniform(init.constant(shape), TFloat32.class,
          org.tensorflow.op.random.RandomUniform.seed(seeds[0]), org.tensorflow.op.random.RandomUniform.seed2(seeds[1]));
      value = init.math.mul(init.math.sub(u, init.constant(0.5f)), init.constant((float) (2 * limit)));
    } else {
      double stddev = how instanceof WeightInit.TruncatedNormal tn ? tn.stddev()
          : Math.sqrt(1.3 * ((WeightInit.VarianceScaling) how).scale()
              / ((WeightInit.VarianceScaling) how).fanOf(fanIn, fanOut));
      value = init.math.mul(init.random.truncatedNormal(init.constant(shape), TFloat32.class,
          TruncatedNormal.seed(seeds[0]), TruncatedNormal.seed2(seeds[1])), init.constant((float) stddev));
    }
    Variable<TFloat32> v = tf.withName(name).variable(value);
    ctx.addVariable(new ModelVariable(child(name), shape, true, true, v));
    return v;
  }

  private Variable<TFloat32> constantVariable(String name, long size, float value, boolean trainable) {
    Variable<TFloat32> shared = shared(name);
    if (shared != null) {
      return shared;
    }
    Ops init = tf.withInitScope();
    Variable<TFloat32> v = tf.withName(name).variable(init.fill(init.constant(new long[] {size}), init.constant(value)));
    ctx.addVariable(new ModelVariable(child(name), new long[] {size}, trainable, false, v));
    return v;
  }

  /** Tower 0's variable of this name when building another tower; null when this build owns its variables. */
  @SuppressWarnings("unchecked")
  private Variable<TFloat32> shared(String name) {
    ModelVariable v = ctx.sharedVariable(child(name));
    return v == null ? null : (Variable<TFloat32>) (Variable<?>) v.variable();
  }

  private String child(String name) {
    return path.isEmpty() ? name : path + "/" + name;
  }

  static List<Long> strides(int s) {
    return List.of(1L, (long) s, (long) s, 1L);
  }

  /** Static channel count of an NHWC tensor. */
  public static int channels(Operand<TFloat32> x) {
    return (int) x.shape().get(3);
  }

  /** Static height of an NHWC tensor. */
  public static int height(Operand<TFloat32> x) {
    return (int) x.shape().get(1);
  }

  private static long spatial(Operand<TFloat32> y) {
    Shape s = y.shape();
    return s.get(1) * s.get(2);
  }

}
