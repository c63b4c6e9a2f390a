package dev.nasnet.search.strategy;

import com.google.common.base.Preconditions;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.search.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The controller's policy network: a one-layer LSTM emitting one softmax per decision, the embedding of each choice
 * feeding the next step, weights initialised uniformly in [-initRange, initRange] from the seed. Built into a graph
 * it does not own; its methods run in the session its owner opens on that graph after building.
 *
 * <p>Two views share the weights: the sequence unrolled over a batch of given choices (their log-probabilities and
 * the policy's entropy, what an update differentiates) and one LSTM step on its own, so sampling costs one small run
 * per decision rather than the whole unrolled sequence per decision. Choices a space does not offer at a position
 * (fewer than the widest position, or fewer given the prefix) are masked out of the softmax.
 */
final class ControllerPolicy {
  /** A sampled sequence of decisions and the log-probability the policy gave it. */
  record Sample(int[] decisions, double logProb) {}

  private final SearchSpace<?> space;
  private final long seed;
  private final int hidden;
  private final float initRange;
  private final int length;
  private final int width;
  private final List<ModelVariable> weights = new ArrayList<>();
  // The unrolled sequence.
  private final Placeholder<TInt32> choices;
  private final Placeholder<TFloat32> mask;
  private final Operand<TFloat32> logProb;
  private final Operand<TFloat32> entropy;
  // One step.
  private final Placeholder<TFloat32> stepInput;
  private final Placeholder<TFloat32> stepH;
  private final Placeholder<TFloat32> stepC;
  private final Placeholder<TInt32> stepPosition;
  private final Placeholder<TFloat32> stepMask;
  private final Operand<TFloat32> stepHOut;
  private final Operand<TFloat32> stepCOut;
  private final Operand<TFloat32> stepProbabilities;
  private final Variable<TFloat32> startWeight;
  private final Variable<TFloat32> embeddingWeight;

  /** Builds the network into {@code tf}'s graph. */
  ControllerPolicy(Ops tf, SearchSpace<?> space, int hidden, double initRange, long seed) {
    this.space = space;
    this.seed = seed;
    this.hidden = hidden;
    this.initRange = (float) initRange;
    this.length = space.length();
    int w = 0;
    int[] zeros = new int[length];
    for (int p = 0; p < length; p++) {
      w = Math.max(w, space.choices(p, zeros));
    }
    Preconditions.checkArgument(w > 0, "the search space offers no choices");
    this.width = w;
    int h = hidden;
    choices = tf.withName("choices").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, length)));
    mask = tf.withName("mask").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, length, width)));
    Variable<TFloat32> lstmW = weight(tf, "lstm_kernel", 2L * h, 4L * h);
    Variable<TFloat32> lstmB = weight(tf, "lstm_bias", 4L * h);
    Variable<TFloat32> start = weight(tf, "start", 1, h);
    Variable<TFloat32> embedding = weight(tf, "embedding", (long) length * width, h);
    Variable<TFloat32> outW = weight(tf, "softmax_kernel", length, h, width);
    Variable<TFloat32> outB = weight(tf, "softmax_bias", length, width);

    Operand<TInt32> batch = tf.stridedSlice(tf.shape(choices), tf.constant(new int[] {0}), tf.constant(new int[] {1}),
        tf.constant(new int[] {1}));
    Operand<TFloat32> state = tf.fill(tf.concat(List.of(batch, tf.constant(new int[] {h})), tf.constant(0)),
        tf.constant(0f));
    Operand<TFloat32> hState = state;
    Operand<TFloat32> cState = state;
    Operand<TFloat32> x = tf.tile(start, tf.concat(List.of(batch, tf.constant(new int[] {1})), tf.constant(0)));
    List<Operand<TFloat32>> logps = new ArrayList<>();
    List<Operand<TFloat32>> entropies = new ArrayList<>();
    for (int p = 0; p < length; p++) {
      LstmState next = lstmStep(tf, x, hState, cState, lstmW, lstmB, h);
      hState = next.h();
      cState = next.c();
      Operand<TFloat32> maskP = tf.reshape(tf.gather(mask, tf.constant(p), tf.constant(1)),
          tf.constant(new int[] {-1, width}));
      Operand<TFloat32> logits = logits(tf, hState, tf.constant(p), maskP, outW, outB, h);
      Operand<TFloat32> logSoftmax = tf.nn.logSoftmax(logits);
      Operand<TFloat32> prob = tf.nn.softmax(logits);
      Operand<TInt32> chosen = tf.reshape(tf.gather(choices, tf.constant(p), tf.constant(1)),
          tf.constant(new int[] {-1}));
      Operand<TFloat32> onehot = tf.oneHot(chosen, tf.constant(width), tf.constant(1f), tf.constant(0f));
      logps.add(tf.sum(tf.math.mul(onehot, logSoftmax), tf.constant(1)));
      // Masked entries have probability 0 and a large negative log: their product is 0.
      entropies.add(tf.math.neg(tf.sum(tf.math.mul(prob, tf.math.maximum(logSoftmax, tf.constant(-1e4f))),
          tf.constant(1))));
      x = tf.gather(embedding, tf.math.add(chosen, tf.constant(p * width)), tf.constant(0));
    }
    Ops step = tf.withSubScope("step");
    stepInput = step.withName("input").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h)));
    stepH = step.withName("h").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h)));
    stepC = step.withName("c").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h)));
    stepPosition = step.withName("position").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    stepMask = step.withName("mask").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, width)));
    LstmState stepped = lstmStep(step, stepInput, stepH, stepC, lstmW, lstmB, h);
    stepHOut = stepped.h();
    stepCOut = stepped.c();
    stepProbabilities = step.nn.softmax(logits(step, stepHOut, stepPosition, stepMask, outW, outB, h));
    startWeight = start;
    embeddingWeight = embedding;
    logProb = tf.math.addN(logps);
    entropy = tf.math.mean(tf.math.addN(entropies), tf.constant(0));
  }

  private Variable<TFloat32> weight(Ops tf, String name, long... shape) {
    Ops init = tf.withInitScope();
    // Seeded from the controller's seed so two controllers with one seed start identical.
    Operand<TFloat32> u = init.random.statelessRandomUniform(init.constant(shape),
        init.constant(new long[] {seed, weights.size() + 1L}), TFloat32.class);
    Variable<TFloat32> v = tf.withName(name).variable(init.math.sub(init.math.mul(u, init.constant(2 * initRange)),
        init.constant(initRange)));
    weights.add(new ModelVariable(v.op().name(), shape, true, false, v));
    return v;
  }

  /** The LSTM's output and cell state after a step. */
  private record LstmState(Operand<TFloat32> h, Operand<TFloat32> c) {}

  /** One LSTM step (gates i, f, g, o in that column order). */
  private static LstmState lstmStep(Ops tf, Operand<TFloat32> x, Operand<TFloat32> hState,
      Operand<TFloat32> cState, Operand<TFloat32> kernel, Operand<TFloat32> bias, int h) {
    Operand<TFloat32> z = tf.math.add(tf.linalg.matMul(tf.concat(List.of(x, hState), tf.constant(1)), kernel), bias);
    Operand<TFloat32> i = cols(tf, z, 0, h);
    Operand<TFloat32> f = cols(tf, z, h, h);
    Operand<TFloat32> g = cols(tf, z, 2 * h, h);
    Operand<TFloat32> o = cols(tf, z, 3 * h, h);
    Operand<TFloat32> c = tf.math.add(tf.math.mul(tf.math.sigmoid(f), cState),
        tf.math.mul(tf.math.sigmoid(i), tf.math.tanh(g)));
    return new LstmState(tf.math.mul(tf.math.sigmoid(o), tf.math.tanh(c)), c);
  }

  /** The masked logits of decision {@code position} from the LSTM output. */
  private Operand<TFloat32> logits(Ops tf, Operand<TFloat32> hState, Operand<TInt32> position,
      Operand<TFloat32> maskP, Operand<TFloat32> outW, Operand<TFloat32> outB, int h) {
    Operand<TFloat32> wp = tf.reshape(tf.gather(outW, position, tf.constant(0)), tf.constant(new int[] {h, width}));
    Operand<TFloat32> bp = tf.gather(outB, position, tf.constant(0));
    return tf.math.add(tf.math.add(tf.linalg.matMul(hState, wp), bp), maskP);
  }

  private static Operand<TFloat32> cols(Ops tf, Operand<TFloat32> z, int from, int n) {
    return tf.slice(z, tf.constant(new int[] {0, from}), tf.constant(new int[] {-1, n}));
  }

  /** The trained weights, in creation order (the order snapshots store them in). */
  List<ModelVariable> weights() {
    return weights;
  }

  /** Choices per sequence, [batch, length]: what {@link #logProb()} and {@link #entropy()} are evaluated on. */
  Placeholder<TInt32> choices() {
    return choices;
  }

  /** 0 for offered choices, -1e9 for the others, [batch, length, width]; see {@link #maskTensor}. */
  Placeholder<TFloat32> mask() {
    return mask;
  }

  /** The log-probability of each fed sequence, [batch]. */
  Operand<TFloat32> logProb() {
    return logProb;
  }

  /** The policy's entropy summed over decisions, averaged over the fed sequences. */
  Operand<TFloat32> entropy() {
    return entropy;
  }

  /** Samples one sequence, one LSTM step per decision, drawing each choice from {@code random}. */
  Sample sample(Session session, SplittableRandom random) {
    int n = 1;
    int h = hidden;
    int[][] seqs = new int[n][length];
    double[] logp = new double[n];
    float[][] embeddingRows;
    float[] x;
    try (Result r = session.runner().fetch(startWeight).fetch(embeddingWeight).run()) {
      TFloat32 start = (TFloat32) r.get(0);
      x = new float[n * h];
      for (int b = 0; b < n; b++) {
        for (int k = 0; k < h; k++) {
          x[b * h + k] = start.getFloat(0, k);
        }
      }
      TFloat32 emb = (TFloat32) r.get(1);
      embeddingRows = new float[(int) emb.shape().get(0)][h];
      for (int row = 0; row < embeddingRows.length; row++) {
        for (int k = 0; k < h; k++) {
          embeddingRows[row][k] = emb.getFloat(row, k);
        }
      }
    }
    float[] hState = new float[n * h];
    float[] cState = new float[n * h];
    for (int p = 0; p < length; p++) {
      float[] maskP = new float[n * width];
      for (int b = 0; b < n; b++) {
        for (int k = space.choices(p, seqs[b]); k < width; k++) {
          maskP[b * width + k] = -1e9f;
        }
      }
      float[] probs;
      try (TFloat32 xt = matrix(x, n, h); TFloat32 ht = matrix(hState, n, h); TFloat32 ct = matrix(cState, n, h);
          TInt32 pt = TInt32.scalarOf(p); TFloat32 mt = matrix(maskP, n, width);
          Result r = session.runner().feed(stepInput, xt).feed(stepH, ht).feed(stepC, ct).feed(stepPosition, pt)
              .feed(stepMask, mt).fetch(stepHOut).fetch(stepCOut).fetch(stepProbabilities).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(hState);
        ((TFloat32) r.get(1)).asRawTensor().data().asFloats().read(cState);
        probs = new float[n * width];
        ((TFloat32) r.get(2)).asRawTensor().data().asFloats().read(probs);
      }
      for (int b = 0; b < n; b++) {
        int valid = space.choices(p, seqs[b]);
        double u = random.nextDouble();
        double acc = 0;
        int pick = valid - 1;
        double total = 0;
        for (int c = 0; c < valid; c++) {
          total += probs[b * width + c];
        }
        for (int c = 0; c < valid; c++) {
          acc += probs[b * width + c] / total;
          if (u < acc) {
            pick = c;
            break;
          }
        }
        seqs[b][p] = pick;
        logp[b] += Math.log(Math.max(probs[b * width + pick], 1e-30));
        System.arraycopy(embeddingRows[p * width + pick], 0, x, b * h, h);
      }
    }
    return new Sample(seqs[0], logp[0]);
  }

  /** Log-probability the policy gives each sequence (the unrolled graph). */
  double[] logProbabilities(Session session, int[][] seqs) {
    try (TInt32 c = choicesTensor(seqs);
        TFloat32 m = maskTensor(seqs);
        Result r = session.runner().feed(choices, c).feed(mask, m).fetch(logProb).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      double[] out = new double[seqs.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = t.getFloat(i);
      }
      return out;
    }
  }

  /** The value to feed {@link #choices()}. */
  TInt32 choicesTensor(int[][] seqs) {
    int[] flat = new int[seqs.length * length];
    for (int b = 0; b < seqs.length; b++) {
      System.arraycopy(seqs[b], 0, flat, b * length, length);
    }
    return TInt32.tensorOf(Shape.of(seqs.length, length), DataBuffers.of(flat, true, false));
  }

  /** The value to feed {@link #mask()}: the choices the space does not offer given each sequence's prefix. */
  TFloat32 maskTensor(int[][] seqs) {
    float[] flat = new float[seqs.length * length * width];
    for (int b = 0; b < seqs.length; b++) {
      for (int p = 0; p < length; p++) {
        int valid = space.choices(p, seqs[b]);
        for (int k = valid; k < width; k++) {
          flat[(b * length + p) * width + k] = -1e9f;
        }
      }
    }
    return TFloat32.tensorOf(Shape.of(seqs.length, length, width), DataBuffers.of(flat, true, false));
  }

  private static TFloat32 matrix(float[] values, int rows, int cols) {
    return TFloat32.tensorOf(Shape.of(rows, cols), DataBuffers.of(values, true, false));
  }
}
