package dev.nasnet.core.checkpoint;

import com.google.common.collect.ImmutableList;
import dev.nasnet.core.graph.ModelVariable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Saves and restores a network's variables by their slim names.
 *
 * <p>Restoring accepts what the released TF-slim checkpoints hold: each variable under its own name or with the
 * {@code /ExponentialMovingAverage} suffix, and classifier layers with 1001 classes (index 0 = background) for a
 * 1000-class model, dropping the background row. Auxiliary-head variables are optional; any other missing
 * variable, or a shape that does not fit, fails with a message naming it.
 */
public final class Checkpoints {
  public static final String EMA_SUFFIX = "/ExponentialMovingAverage";
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

  /** Prefix of the restore ops' names; '.' stands for '/' because op names given directly cannot hold '/'. */
  private static final String ASSIGN_PREFIX = "checkpoint_restore.";

  /** What a restore did. */
  public record RestoreReport(ImmutableList<String> restored, ImmutableList<String> skippedOptional,
      ImmutableList<String> fromMovingAverage, ImmutableList<String> backgroundClassDropped) {}

  private Checkpoints() {}

  /** Saves every variable under its own name. */
  public static void save(Session session, List<ModelVariable> variables, Path prefix) {
    save(session, variables, prefix, UnaryOperator.identity());
  }

  /** Saves every variable under {@code rename.apply(name)}. */
  public static void save(Session session, List<ModelVariable> variables, Path prefix, UnaryOperator<String> rename) {
    Session.Runner runner = session.runner();
    variables.forEach(v -> runner.fetch(v.variable()));
    try (Result values = runner.run()) {
      Map<String, Tensor> named = new LinkedHashMap<>();
      for (int i = 0; i < variables.size(); i++) {
        named.put(rename.apply(variables.get(i).name()), values.get(i));
      }
      CheckpointWriter.write(prefix, named);
    }
  }

  /** How a restore picks a variable's key in the checkpoint. */
  public enum NamePolicy {
    /** {@code name/ExponentialMovingAverage} where present, else {@code name}: for evaluation and fine-tuning. */
    PREFER_MOVING_AVERAGE,
    /** Exactly {@code name}: for resuming training, where the moving averages are variables of their own. */
    EXACT
  }

  /** Restores {@code variables}, preferring moving averages, from the checkpoint at {@code prefix}. */
  public static RestoreReport restore(Session session, List<ModelVariable> variables, Path prefix) {
    return restore(session, variables, prefix, NamePolicy.PREFER_MOVING_AVERAGE);
  }

  /** Restores {@code variables} from the checkpoint at {@code prefix}, choosing keys by {@code policy}. */
  public static RestoreReport restore(Session session, List<ModelVariable> variables, Path prefix,
      NamePolicy policy) {
    return restore(session, variables, CheckpointReader.open(prefix), policy);
  }

  /**
   * Restores {@code variables} from an open checkpoint (a file or an archive), choosing keys by {@code policy}.
   * Every tensor's bytes are checked against their stored CRC32C; NaN or infinite weights are refused.
   */
  public static RestoreReport restore(Session session, List<ModelVariable> variables, CheckpointReader reader,
      NamePolicy policy) {
    return restore(session, variables, reader, policy, false);
  }

  /**
   * As {@link #restore(Session, List, CheckpointReader, NamePolicy)}; {@code allowNonFinite} lets NaN and infinite
   * values through (to inspect a diverged run), where the default refuses them naming the first such tensor.
   */
  public static RestoreReport restore(Session session, List<ModelVariable> variables, CheckpointReader reader,
      NamePolicy policy, boolean allowNonFinite) {
    Path prefix = reader.prefix();
    List<String> restored = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> ema = new ArrayList<>();
    List<String> background = new ArrayList<>();
    List<ModelVariable> toAssign = new ArrayList<>();
    List<TFloat32> values = new ArrayList<>();
    try {
      for (ModelVariable v : variables) {
        String key = v.name() + EMA_SUFFIX;
        if (policy == NamePolicy.EXACT || !reader.contains(key)) {
          key = v.name();
        } else {
          ema.add(v.name());
        }
        if (!reader.contains(key)) {
          if (isOptional(v.name())) {
            skipped.add(v.name());
            continue;
          }
          throw new CheckpointException("checkpoint '" + prefix + "' has no variable '" + v.name() + "' (nor '"
              + v.name() + EMA_SUFFIX + "'); it holds " + reader.entries().size() + " tensors"
              + nearMisses(reader, v.name()));
        }
        long[] stored = reader.entries().get(key).shape();
        float[] data = reader.readFloats(key);
        if (!allowNonFinite) {
          checkFinite(data, key, prefix.toString());
        }
        long[] want = v.shape();
        if (!Arrays.equals(stored, want)) {
          if (isBackgroundClassLayout(v.name(), stored, want)) {
            data = dropFirstOnLastAxis(data, stored);
            background.add(v.name());
          } else {
            throw new CheckpointException("variable '" + v.name() + "' has shape " + Arrays.toString(want)
                + " in the model but " + Arrays.toString(stored) + " in checkpoint '" + prefix + "' (key '" + key
                + "')");
          }
        }
        toAssign.add(v);
        values.add(TFloat32.tensorOf(Shape.of(want), DataBuffers.of(data, true, false)));
        restored.add(v.name());
      }
      assign(session, toAssign, values);
    } finally {
      values.forEach(Tensor::close);
    }
    LOG.info("restored {} variables from {} ({} from moving averages, {} optional skipped)", restored.size(), prefix,
        ema.size(), skipped.size());
    return new RestoreReport(ImmutableList.copyOf(restored), ImmutableList.copyOf(skipped), ImmutableList.copyOf(ema),
        ImmutableList.copyOf(background));
  }

  /**
   * Copies variable values from one session to another, matching by name: {@code sources} maps each target's name to
   * the variable that holds its value in {@code from} (e.g. a training graph's weight or its moving average).
   *
   * @throws IllegalStateException naming a target the source lacks
   */
  public static void copy(Session from, java.util.Map<String, ModelVariable> sources, Session to,
      List<ModelVariable> targets) {
    Session.Runner runner = from.runner();
    for (ModelVariable v : targets) {
      ModelVariable source = sources.get(v.name());
      if (source == null) {
        throw new IllegalStateException("the source graph has no variable '" + v.name() + "' to copy");
      }
      runner.fetch(source.variable());
    }
    try (org.tensorflow.Result values = runner.run()) {
      List<TFloat32> tensors = new java.util.ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        tensors.add((TFloat32) values.get(i));
      }
      assign(to, targets, tensors);
    }
  }

  /**
   * Feeds each value into an assign op of its variable. The ops are built on first use with names derived from the
   * variable's, so a later restore into the same graph finds and reuses them instead of growing the graph.
   */
  public static void assign(Session session, List<ModelVariable> vars, List<TFloat32> values) {
    if (vars.isEmpty()) {
      return;
    }
    Graph graph = session.graph();
    Ops tf = Ops.create(graph);
    Session.Runner runner = session.runner();
    for (int i = 0; i < vars.size(); i++) {
      ModelVariable v = vars.get(i);
      String base = ASSIGN_PREFIX + v.name().replace('/', '.');
      synchronized (graph) {
        if (graph.operation(base + ".value") == null) {
          Placeholder<TFloat32> p = tf.withName(base + ".value").placeholder(TFloat32.class,
              Placeholder.shape(Shape.of(v.shape())));
          tf.withName(base + ".assign").assign(v.variable(), p);
        }
      }
      runner.feed(base + ".value", values.get(i)).addTarget(base + ".assign");
    }
    runner.run().close();
  }

  /**
   * Refuses NaN and infinite values, naming the tensor, the first bad index and where the values came from: such
   * weights restore without complaint and then make every prediction NaN.
   */
  public static void checkFinite(float[] values, String tensor, String source) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new CheckpointException("tensor '" + tensor + "' in '" + source + "' holds " + values[i]
            + " at index " + i + ": non-finite weights (a diverged run?) are refused; pass allowNonFinite to "
            + "load them anyway");
      }
    }
  }

  /** Aux-head variables: released checkpoints differ in them (slim issue #8643), and inference never uses them. */
  private static boolean isOptional(String name) {
    return name.startsWith("aux_");
  }

  private static boolean isBackgroundClassLayout(String name, long[] stored, long[] want) {
    if (!(name.endsWith("FC/weights") || name.endsWith("FC/biases")) || stored.length != want.length) {
      return false;
    }
    int last = want.length - 1;
    for (int i = 0; i < last; i++) {
      if (stored[i] != want[i]) {
        return false;
      }
    }
    return stored[last] == want[last] + 1;
  }

  private static float[] dropFirstOnLastAxis(float[] data, long[] shape) {
    int cols = (int) shape[shape.length - 1];
    int rows = data.length / cols;
    float[] out = new float[rows * (cols - 1)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(data, r * cols + 1, out, r * (cols - 1), cols - 1);
    }
    return out;
  }

  private static String nearMisses(CheckpointReader reader, String name) {
    String scope = name.contains("/") ? name.substring(0, name.indexOf('/') + 1) : name;
    List<String> near = reader.entries().keySet().stream().filter(k -> k.startsWith(scope)).limit(5).toList();
    return near.isEmpty() ? "; none under '" + scope + "'" : "; under '" + scope + "' it has e.g. " + near;
  }
}
