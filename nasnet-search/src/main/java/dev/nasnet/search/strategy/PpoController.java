package dev.nasnet.search.strategy;

import dev.nasnet.core.runtime.TensorFlowRuntime;
import com.google.common.base.Preconditions;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.nasnet.search.space.SearchSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The paper's controller: a one-layer LSTM that emits one softmax per decision, the embedding of each choice feeding
 * the next step, weights initialised uniformly in [-0.1, 0.1], trained with PPO (clipped ratio) or REINFORCE on
 * minibatches of architectures, the advantage being reward minus an exponential moving average of past rewards.
 * Optimiser: Adam over TensorFlow's raw kernel, learning rate 0.00035 by default, entropy bonus weight 1e-5.
 *
 * <p>The controller is a TensorFlow graph in its own session; close it when done. Choices a space does not offer at
 * a position (fewer than the widest position, or fewer given the prefix) are masked out of the softmax.
 */
public final class PpoController implements Strategy {
  /** The controller's settings; {@link #paper()} gives the NASNet paper's. */
  public record Settings(int hidden, double learningRate, double entropyWeight, double baselineDecay, int batchSize,
      double clipRatio, int epochsPerUpdate, boolean reinforce, double initRange) {
    public Settings {
      Preconditions.checkArgument(hidden > 0, "hidden units must be positive");
      Preconditions.checkArgument(learningRate > 0, "learning rate must be positive");
      Preconditions.checkArgument(baselineDecay >= 0 && baselineDecay < 1, "baseline decay must be in [0, 1)");
      Preconditions.checkArgument(batchSize > 0, "batch size must be positive");
      Preconditions.checkArgument(clipRatio > 0, "clip ratio must be positive");
      Preconditions.checkArgument(epochsPerUpdate > 0, "epochs per update must be positive");
    }

    /** LSTM 100, lr 0.00035, entropy 1e-5, baseline decay 0.95, minibatch 20, clip 0.2, init ±0.1. */
    public static Settings paper() {
      return new Settings(100, 0.00035, 1e-5, 0.95, 20, 0.2, 1, false, 0.1);
    }

    /**
     * For searches of a few hundred trials rather than the paper's 20,000: minibatches of 5, a learning rate of
     * 0.0035 (10x the paper's) and 2 PPO epochs per minibatch, so the policy moves within the budget.
     */
    public static Settings smallBudget() {
      return new Settings(100, 0.0035, 1e-5, 0.95, 5, 0.2, 2, false, 0.1);
    }

    public Settings withLearningRate(double v) {
      return new Settings(hidden, v, entropyWeight, baselineDecay, batchSize, clipRatio, epochsPerUpdate, reinforce,
          initRange);
    }

    public Settings withBatchSize(int v) {
      return new Settings(hidden, learningRate, entropyWeight, baselineDecay, v, clipRatio, epochsPerUpdate,
          reinforce, initRange);
    }

    public Settings withEpochsPerUpdate(int v) {
      return new Settings(hidden, learningRate, entropyWeight, baselineDecay, batchSize, clipRatio, v, reinforce,
          initRange);
    }

    public Settings withReinforce(boolean v) {
      return new Settings(hidden, learningRate, entropyWeight, baselineDecay, batchSize, clipRatio, epochsPerUpdate, v,
          initRange);
    }
  }

  private final SearchSpace<?> space;
  private final Settings settings;
  private final long seed;
  private final int length;
  private final int width;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt32> choices;
  private final Placeholder<TFloat32> mask;
  private final Placeholder<TFloat32> oldLogProb;
  private final Placeholder<TFloat32> advantage;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;
  // One LSTM step on its own, sharing the weights, so sampling costs one small run per decision (not the whole
  // unrolled sequence per decision, which made proposing quadratic in the sequence length).
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
  private final Operand<TFloat32> logProb;
  private final List<Op> updates = new ArrayList<>();
  private final List<Variable<TFloat32>> weights = new ArrayList<>();
  private final List<Variable<TFloat32>> adamSlots = new ArrayList<>();

  // Sorted, so snapshots of equal states are equal byte for byte.
  private final Map<Long, Double> pendingLogProb = new java.util.TreeMap<>();
  private final List<TrialOutcome> buffer = new ArrayList<>();
  private final List<Double> bufferLogProb = new ArrayList<>();
  private double baseline = Double.NaN;
  private long updatesDone;

  public PpoController(SearchSpace<?> space, Settings settings, long seed) {
    this.space = space;
    this.settings = settings;
    this.seed = seed;
    this.length = space.length();
    int w = 0;
    int[] zeros = new int[length];
    for (int p = 0; p < length; p++) {
      w = Math.max(w, space.choices(p, zeros));
    }
    Preconditions.checkArgument(w > 0, "the search space offers no choices");
    this.width = w;
    this.graph = TensorFlowRuntime.newGraph();
    try {
      Ops tf = Ops.create(graph).withSubScope("controller");
      int h = settings.hidden();
      choices = tf.withName("choices").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, length)));
      mask = tf.withName("mask").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, length, width)));
      oldLogProb = tf.withName("old_log_prob").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      advantage = tf.withName("advantage").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
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
      Operand<TFloat32> entropy = tf.math.mean(tf.math.addN(entropies), tf.constant(0));
      Operand<TFloat32> objective;
      if (settings.reinforce()) {
        objective = tf.math.mean(tf.math.mul(logProb, advantage), tf.constant(0));
      } else {
        Operand<TFloat32> ratio = tf.math.exp(tf.math.sub(logProb, oldLogProb));
        Operand<TFloat32> clipped = tf.clipByValue(ratio, tf.constant((float) (1 - settings.clipRatio())),
            tf.constant((float) (1 + settings.clipRatio())));
        objective = tf.math.mean(tf.math.minimum(tf.math.mul(ratio, advantage), tf.math.mul(clipped, advantage)),
            tf.constant(0));
      }
      Operand<TFloat32> loss = tf.math.neg(tf.math.add(objective,
          tf.math.mul(tf.constant((float) settings.entropyWeight()), entropy)));
      var grads = tf.gradients(loss, new ArrayList<Operand<?>>(weights));
      Operand<TFloat32> lr = tf.constant((float) settings.learningRate());
      for (int k = 0; k < weights.size(); k++) {
        Variable<TFloat32> v = weights.get(k);
        Variable<TFloat32> m = zeros(tf, "adam_m_" + k, v);
        Variable<TFloat32> s = zeros(tf, "adam_v_" + k, v);
        @SuppressWarnings("unchecked")
        Output<TFloat32> grad = (Output<TFloat32>) (Output<?>) grads.dy(k);
        updates.add(tf.train.applyAdam(v, m, s, beta1Power, beta2Power, lr, tf.constant(0.9f), tf.constant(0.999f),
            tf.constant(1e-8f), grad));
      }
      // One thread per op and one op at a time: reductions then add in a fixed order, so a resumed controller
      // repeats an uninterrupted one bit for bit (the controller is small; threads would not pay here anyway).
      session = new Session(graph, org.tensorflow.proto.ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
          .setInterOpParallelismThreads(1).build());
      session.initialize();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  private Variable<TFloat32> weight(Ops tf, String name, long... shape) {
    Ops init = tf.withInitScope();
    float r = (float) settings.initRange();
    // Seeded from the controller's seed so two controllers with one seed start identical.
    Operand<TFloat32> u = init.random.statelessRandomUniform(init.constant(shape),
        init.constant(new long[] {seed, weights.size() + 1L}), TFloat32.class);
    Variable<TFloat32> v = tf.withName(name).variable(init.math.sub(init.math.mul(u, init.constant(2 * r)),
        init.constant(r)));
    weights.add(v);
    return v;
  }

  private Variable<TFloat32> zeros(Ops tf, String name, Variable<TFloat32> like) {
    Ops init = tf.withInitScope();
    Variable<TFloat32> v = tf.withName(name).variable(init.zeros(init.constant(like.shape().asArray()),
        TFloat32.class));
    adamSlots.add(v);
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

  /**
   * One sequence per trial, each sampled on its own from the trial's random stream: the proposals do not depend on
   * how they are batched, so a resumed search replays them exactly.
   */
  @Override
  public List<Proposal> ask(long firstId, int n) {
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(sample(firstId + i));
    }
    return out;
  }

  private Proposal sample(long id) {
    int n = 1;
    int[][] seqs = new int[n][length];
    double[] logp = new double[n];
    SplittableRandom random = Seeds.forProposal(seed, id);
    int h = settings.hidden();
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
    pendingLogProb.put(id, logp[0]);
    return new Proposal(id, seqs[0]);
  }

  @Override
  public String describe() {
    return (settings.reinforce() ? "reinforce" : "ppo") + "(" + settings + ", seed=" + seed + ")";
  }

  private static TFloat32 matrix(float[] values, int rows, int cols) {
    return TFloat32.tensorOf(Shape.of(rows, cols), DataBuffers.of(values, true, false));
  }

  private TInt32 choicesTensor(int[][] seqs) {
    int[] flat = new int[seqs.length * length];
    for (int b = 0; b < seqs.length; b++) {
      System.arraycopy(seqs[b], 0, flat, b * length, length);
    }
    return TInt32.tensorOf(Shape.of(seqs.length, length), DataBuffers.of(flat, true, false));
  }

  private TFloat32 maskTensor(int[][] seqs) {
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

  /** The log-probability with which a proposal not yet told was sampled (what PPO's ratio starts from). */
  public java.util.OptionalDouble samplingLogProbability(long proposalId) {
    Double v = pendingLogProb.get(proposalId);
    return v == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(v);
  }

  @Override
  public void tell(TrialOutcome outcome) {
    Double logp = pendingLogProb.remove(outcome.id());
    if (outcome.isFailed() || logp == null) {
      return;
    }
    buffer.add(outcome);
    bufferLogProb.add(logp);
    if (buffer.size() >= settings.batchSize()) {
      update();
    }
  }

  private void update() {
    int n = buffer.size();
    if (Double.isNaN(baseline)) {
      // Start the baseline at the first minibatch's mean, so early advantages are not the raw rewards.
      baseline = buffer.stream().mapToDouble(TrialOutcome::reward).average().orElse(0);
    }
    int[][] seqs = new int[n][];
    float[] adv = new float[n];
    float[] old = new float[n];
    for (int b = 0; b < n; b++) {
      TrialOutcome o = buffer.get(b);
      seqs[b] = o.decisions();
      double r = o.reward();
      adv[b] = (float) (r - baseline);
      baseline = settings.baselineDecay() * baseline + (1 - settings.baselineDecay()) * r;
      old[b] = bufferLogProb.get(b).floatValue();
    }
    try (TInt32 c = choicesTensor(seqs);
        TFloat32 m = maskTensor(seqs);
        TFloat32 a = TFloat32.vectorOf(adv);
        TFloat32 lp = TFloat32.vectorOf(old)) {
      for (int e = 0; e < settings.epochsPerUpdate(); e++) {
        updatesDone++;
        try (TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(0.9, updatesDone));
            TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(0.999, updatesDone))) {
          Session.Runner r = session.runner().feed(choices, c).feed(mask, m).feed(advantage, a).feed(oldLogProb, lp)
              .feed(beta1Power, b1).feed(beta2Power, b2);
          updates.forEach(r::addTarget);
          r.run().close();
        }
      }
    }
    buffer.clear();
    bufferLogProb.clear();
  }

  /** Log-probability the current policy gives each sequence. */
  public double[] logProbabilities(int[][] seqs) {
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

  @Override
  public JsonObject snapshot() {
    JsonObject o = new JsonObject();
    o.addProperty("strategy", settings.reinforce() ? "reinforce" : "ppo");
    o.addProperty("baseline", baseline);
    o.addProperty("updates", updatesDone);
    List<Variable<TFloat32>> all = new ArrayList<>(weights);
    all.addAll(adamSlots);
    Session.Runner r = session.runner();
    all.forEach(r::fetch);
    JsonArray tensors = new JsonArray();
    try (Result res = r.run()) {
      for (int i = 0; i < all.size(); i++) {
        TFloat32 t = (TFloat32) res.get(i);
        ByteBuffer buf = ByteBuffer.allocate((int) t.numBytes()).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(f, false, false));
        buf.asFloatBuffer().put(f);
        tensors.add(Base64.getEncoder().encodeToString(buf.array()));
      }
    }
    o.add("tensors", tensors);
    JsonArray pending = new JsonArray();
    for (int b = 0; b < buffer.size(); b++) {
      JsonObject e = new JsonObject();
      JsonArray d = new JsonArray();
      for (int v : buffer.get(b).decisions()) {
        d.add(v);
      }
      e.add("decisions", d);
      e.addProperty("reward", buffer.get(b).reward());
      e.addProperty("log_prob", bufferLogProb.get(b));
      pending.add(e);
    }
    o.add("buffer", pending);
    // Proposals still out: their sampling log-probabilities, so outcomes arriving after a resume still teach.
    JsonObject out = new JsonObject();
    pendingLogProb.forEach((id, lp) -> out.addProperty(Long.toString(id), lp));
    o.add("pending", out);
    return o;
  }

  @Override
  public void restore(JsonObject state) {
    baseline = state.get("baseline").getAsDouble();
    updatesDone = state.get("updates").getAsLong();
    JsonArray tensors = state.getAsJsonArray("tensors");
    List<Variable<TFloat32>> all = new ArrayList<>(weights);
    all.addAll(adamSlots);
    Preconditions.checkArgument(tensors.size() == all.size(), "controller state has %s tensors, this controller %s",
        tensors.size(), all.size());
    Ops tf = Ops.create(graph);
    Session.Runner r = session.runner();
    List<TFloat32> values = new ArrayList<>();
    try {
      for (int i = 0; i < all.size(); i++) {
        byte[] bytes = Base64.getDecoder().decode(tensors.get(i).getAsString());
        float[] f = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        Shape shape = all.get(i).shape();
        Preconditions.checkArgument(shape.size() == f.length, "controller tensor %s has %s values, expected %s", i,
            f.length, shape.size());
        TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
        values.add(t);
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        r.feed(p, t).addTarget(tf.assign(all.get(i), p));
      }
      r.run().close();
    } finally {
      values.forEach(TFloat32::close);
    }
    buffer.clear();
    bufferLogProb.clear();
    pendingLogProb.clear();
    if (state.has("pending")) {
      state.getAsJsonObject("pending").entrySet()
          .forEach(e -> pendingLogProb.put(Long.parseLong(e.getKey()), e.getValue().getAsDouble()));
    }
    for (var e : state.getAsJsonArray("buffer")) {
      JsonObject m = e.getAsJsonObject();
      JsonArray d = m.getAsJsonArray("decisions");
      int[] decisions = new int[d.size()];
      for (int i = 0; i < decisions.length; i++) {
        decisions[i] = d.get(i).getAsInt();
      }
      buffer.add(new TrialOutcome(-1, decisions, m.get("reward").getAsDouble(), null));
      bufferLogProb.add(m.get("log_prob").getAsDouble());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    session.close();
    graph.close();
  }

  private boolean closed;
}
