package dev.nasnet.search.strategy;

import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.train.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How the controller learns from a minibatch of outcomes: PPO's clipped objective (or REINFORCE's plain one) with an
 * entropy bonus, the advantage being reward minus an exponential moving average of past rewards, maximised with the
 * core {@link Optimizer#adam Adam} (beta1 0.9, beta2 0.999, epsilon 1e-8; the bias correction fed from the count of
 * updates). Built into the policy's graph; its state besides the slots is {@link #baseline()} and
 * {@link #updates()}.
 */
final class PolicyUpdate {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final ControllerPolicy policy;
  private final PpoController.Settings settings;
  private final Placeholder<TFloat32> oldLogProb;
  private final Placeholder<TFloat32> advantage;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;
  private final List<Op> updates;
  private final List<ModelVariable> slots = new ArrayList<>();
  private double baseline = Double.NaN;
  private long updatesDone;

  /** Builds the objective and Adam's ops for {@code policy}'s weights into {@code tf}'s graph. */
  PolicyUpdate(Ops tf, ControllerPolicy policy, PpoController.Settings settings) {
    this.policy = policy;
    this.settings = settings;
    oldLogProb = tf.withName("old_log_prob").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    advantage = tf.withName("advantage").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Operand<TFloat32> logProb = policy.logProb();
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
        tf.math.mul(tf.constant((float) settings.entropyWeight()), policy.entropy())));
    List<ModelVariable> weights = policy.weights();
    List<Operand<?>> variables = new ArrayList<>();
    weights.forEach(w -> variables.add(w.variable()));
    var grads = tf.gradients(loss, variables);
    List<Operand<TFloat32>> gradients = new ArrayList<>();
    for (int k = 0; k < weights.size(); k++) {
      gradients.add(float32(grads.dy(k)));
    }
    updates = Optimizer.adam(BETA1, BETA2, EPSILON).apply(tf, weights, gradients,
        tf.constant((float) settings.learningRate()), beta1Power, beta2Power, PolicyUpdate::slotName, slots);
  }

  /**
   * {@code adam_m_<k>} and {@code adam_v_<k>} beside weight k (e.g. {@code controller/adam_m_0}): the names the
   * controller's slots have always had.
   */
  private static String slotName(int index, ModelVariable weight, int moment) {
    String name = weight.name();
    return name.substring(0, name.lastIndexOf('/') + 1) + (moment == 1 ? "adam_m_" : "adam_v_") + index;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> float32(Output<?> o) {
    return (Operand<TFloat32>) (Operand<?>) o;
  }

  /** Adam's slots, two per weight (first then second moment), in the weights' order. */
  List<ModelVariable> slots() {
    return slots;
  }

  /** The moving average of rewards the advantages are taken against; NaN before the first minibatch. */
  double baseline() {
    return baseline;
  }

  /** Adam steps taken (one per minibatch and epoch): the t of the bias correction. */
  long updates() {
    return updatesDone;
  }

  /** Resumes from a snapshot's baseline and step count (the slots are restored with the weights). */
  void restore(double baseline, long updates) {
    this.baseline = baseline;
    this.updatesDone = updates;
  }

  /**
   * Learns from a minibatch: advantages against the baseline (which moves after each outcome), then
   * {@code epochsPerUpdate} Adam steps on the same minibatch.
   *
   * @param logProbs the log-probability each outcome's decisions were sampled with (PPO's ratio starts there)
   */
  void run(Session session, List<TrialOutcome> outcomes, List<Double> logProbs) {
    int n = outcomes.size();
    if (Double.isNaN(baseline)) {
      // Start the baseline at the first minibatch's mean, so early advantages are not the raw rewards.
      baseline = outcomes.stream().mapToDouble(TrialOutcome::reward).average().orElse(0);
    }
    int[][] seqs = new int[n][];
    float[] adv = new float[n];
    float[] old = new float[n];
    for (int b = 0; b < n; b++) {
      TrialOutcome o = outcomes.get(b);
      seqs[b] = o.decisions();
      double r = o.reward();
      adv[b] = (float) (r - baseline);
      baseline = settings.baselineDecay() * baseline + (1 - settings.baselineDecay()) * r;
      old[b] = logProbs.get(b).floatValue();
    }
    try (TInt32 c = policy.choicesTensor(seqs);
        TFloat32 m = policy.maskTensor(seqs);
        TFloat32 a = TFloat32.vectorOf(adv);
        TFloat32 lp = TFloat32.vectorOf(old)) {
      for (int e = 0; e < settings.epochsPerUpdate(); e++) {
        updatesDone++;
        try (TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(BETA1, updatesDone));
            TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(BETA2, updatesDone))) {
          Session.Runner r = session.runner().feed(policy.choices(), c).feed(policy.mask(), m).feed(advantage, a)
              .feed(oldLogProb, lp).feed(beta1Power, b1).feed(beta2Power, b2);
          updates.forEach(r::addTarget);
          r.run().close();
        }
      }
    }
  }
}
