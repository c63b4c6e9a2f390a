package dev.nasnet.search.strategy;

import com.google.common.base.Preconditions;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.runtime.GraphSession;
import dev.nasnet.core.runtime.SessionOptions;
import dev.nasnet.search.space.SearchSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The paper's controller as a {@link Strategy}: a one-layer LSTM policy ({@code ControllerPolicy}) that emits one
 * softmax per decision, trained with PPO (clipped ratio) or REINFORCE on minibatches of architectures, the advantage
 * being reward minus an exponential moving average of past rewards ({@code PolicyUpdate}). Optimiser: the core Adam
 * over TensorFlow's raw kernel, learning rate 0.00035 by default, entropy bonus weight 1e-5.
 *
 * <p>This class holds what a search sees: asking and telling, the minibatch being gathered, snapshots. The controller
 * is a TensorFlow graph in its own session; close it when done. Choices a space does not offer at a position (fewer
 * than the widest position, or fewer given the prefix) are masked out of the softmax.
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

  private final Settings settings;
  private final long seed;
  private final GraphSession tf;
  private final Session session;
  private final ControllerPolicy policy;
  private final PolicyUpdate update;

  /** The two halves of the controller's graph. */
  private record Parts(ControllerPolicy policy, PolicyUpdate update) {}

  // Sorted, so snapshots of equal states are equal byte for byte.
  private final Map<Long, Double> pendingLogProb = new TreeMap<>();
  private final List<TrialOutcome> buffer = new ArrayList<>();
  private final List<Double> bufferLogProb = new ArrayList<>();
  private boolean closed;

  public PpoController(SearchSpace<?> space, Settings settings, long seed) {
    this.settings = settings;
    this.seed = seed;
    // One thread per op and one op at a time: reductions then add in a fixed order, so a resumed controller
    // repeats an uninterrupted one bit for bit (the controller is small; threads would not pay here anyway).
    GraphSession.Built<Parts> built = GraphSession.build(g -> {
      Ops ops = Ops.create(g).withSubScope("controller");
      ControllerPolicy p = new ControllerPolicy(ops, space, settings.hidden(), settings.initRange(), seed);
      return new Parts(p, new PolicyUpdate(ops, p, settings));
    }, SessionOptions.deterministic());
    this.tf = built.holder().initialize();
    this.session = tf.session();
    this.policy = built.model().policy();
    this.update = built.model().update();
  }

  /**
   * One sequence per trial, each sampled on its own from the trial's random stream: the proposals do not depend on
   * how they are batched, so a resumed search replays them exactly.
   */
  @Override
  public List<Proposal> ask(long firstId, int n) {
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = firstId + i;
      ControllerPolicy.Sample s = policy.sample(session, Seeds.forProposal(seed, id));
      pendingLogProb.put(id, s.logProb());
      out.add(new Proposal(id, s.decisions()));
    }
    return out;
  }

  @Override
  public String describe() {
    return (settings.reinforce() ? "reinforce" : "ppo") + "(" + settings + ", seed=" + seed + ")";
  }

  /** The log-probability with which a proposal not yet told was sampled (what PPO's ratio starts from). */
  public OptionalDouble samplingLogProbability(long proposalId) {
    Double v = pendingLogProb.get(proposalId);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
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
      update.run(session, buffer, bufferLogProb);
      buffer.clear();
      bufferLogProb.clear();
    }
  }

  /** Log-probability the current policy gives each sequence. */
  public double[] logProbabilities(int[][] seqs) {
    return policy.logProbabilities(session, seqs);
  }

  /** The weights then Adam's slots: the tensors a snapshot holds, in its order. */
  private List<ModelVariable> stateVariables() {
    List<ModelVariable> all = new ArrayList<>(policy.weights());
    all.addAll(update.slots());
    return all;
  }

  @Override
  public JsonObject snapshot() {
    JsonObject o = new JsonObject();
    o.addProperty("strategy", settings.reinforce() ? "reinforce" : "ppo");
    o.addProperty("baseline", update.baseline());
    o.addProperty("updates", update.updates());
    List<ModelVariable> all = stateVariables();
    Session.Runner r = session.runner();
    all.forEach(v -> r.fetch(v.variable()));
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
    update.restore(state.get("baseline").getAsDouble(), state.get("updates").getAsLong());
    JsonArray tensors = state.getAsJsonArray("tensors");
    List<ModelVariable> all = stateVariables();
    Preconditions.checkArgument(tensors.size() == all.size(), "controller state has %s tensors, this controller %s",
        tensors.size(), all.size());
    Ops ops = Ops.create(tf.graph());
    Session.Runner r = session.runner();
    List<TFloat32> values = new ArrayList<>();
    try {
      for (int i = 0; i < all.size(); i++) {
        byte[] bytes = Base64.getDecoder().decode(tensors.get(i).getAsString());
        float[] f = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        Shape shape = Shape.of(all.get(i).shape());
        Preconditions.checkArgument(shape.size() == f.length, "controller tensor %s has %s values, expected %s", i,
            f.length, shape.size());
        TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
        values.add(t);
        Placeholder<TFloat32> p = ops.placeholder(TFloat32.class, Placeholder.shape(shape));
        r.feed(p, t).addTarget(ops.assign(all.get(i).variable(), p));
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
    tf.close();
  }
}
