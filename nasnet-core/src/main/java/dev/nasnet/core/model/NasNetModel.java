package dev.nasnet.core.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.ModelVariable;
import java.util.Arrays;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A network built into a graph: its input, outputs, endpoints and variables. The graph belongs to the caller (close
 * it when done); this object only points into it.
 */
public final class NasNetModel {
  private final Graph graph;
  private final NasNetConfig config;
  private final Mode mode;
  private final Placeholder<TFloat32> images;
  private final Operand<TFloat32> features;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> predictions;
  private final Operand<TFloat32> auxLogits;
  private final Operand<TFloat32> dropPathProgress;
  private final Operand<TInt64> randomStep;
  private final ImmutableMap<String, Operand<TFloat32>> endpoints;
  private final ImmutableList<ModelVariable> variables;
  private final ImmutableList<Op> updateOps;
  private final ModelSummary summary;

  private final long activationBytesPerImage;

  NasNetModel(Graph graph, NasNetConfig config, Mode mode, Placeholder<TFloat32> images, Operand<TFloat32> features,
      Operand<TFloat32> logits, Operand<TFloat32> predictions, Operand<TFloat32> auxLogits,
      Operand<TFloat32> dropPathProgress, Operand<TInt64> randomStep, ImmutableMap<String, Operand<TFloat32>> endpoints,
      ImmutableList<ModelVariable> variables, ImmutableList<Op> updateOps, long multiplyAdds) {
    this.graph = graph;
    this.config = config;
    this.mode = mode;
    this.images = images;
    this.features = features;
    this.logits = logits;
    this.predictions = predictions;
    this.auxLogits = auxLogits;
    this.dropPathProgress = dropPathProgress;
    this.randomStep = randomStep;
    this.endpoints = endpoints;
    this.variables = variables;
    this.updateOps = updateOps;
    long trainable = variables.stream().filter(ModelVariable::trainable).mapToLong(ModelVariable::size).sum();
    long all = variables.stream().mapToLong(ModelVariable::size).sum();
    ImmutableMap.Builder<String, long[]> shapes = ImmutableMap.builder();
    endpoints.forEach((k, v) -> shapes.put(k, Arrays.copyOfRange(v.shape().asArray(), 1, v.shape().numDimensions())));
    // Parameters per top-level scope (conv0, cell_stem_0, cell_3, reduction_cell_1, final_layer, ...), in build order.
    java.util.Map<String, Long> perScope = new java.util.LinkedHashMap<>();
    variables.forEach(v -> perScope.merge(v.name().substring(0, Math.max(0, v.name().indexOf('/'))), v.size(),
        Long::sum));
    this.activationBytesPerImage = activationBytesPerImage(graph);
    this.summary = new ModelSummary(config.name() + " (" + config.notation() + ", " + config.imageSize() + "x"
        + config.imageSize() + ", " + mode.name().toLowerCase(java.util.Locale.ROOT) + ")", trainable,
        all - trainable, multiplyAdds, shapes.build(), ImmutableMap.copyOf(perScope));
  }

  public Graph graph() {
    return graph;
  }

  public NasNetConfig config() {
    return config;
  }

  public Mode mode() {
    return mode;
  }

  /** The input: a float batch [B, size, size, channels] of normalised pixels ([-1, 1] for ImageNet presets). */
  public Placeholder<TFloat32> images() {
    return images;
  }

  /** The globally pooled features [B, penultimate filters] (slim's {@code global_pool}). */
  public Operand<TFloat32> features() {
    return features;
  }

  /** Logits [B, classes]; empty for a headless network. */
  public Optional<Operand<TFloat32>> logits() {
    return Optional.ofNullable(logits);
  }

  /** Softmax of the logits. */
  public Optional<Operand<TFloat32>> predictions() {
    return Optional.ofNullable(predictions);
  }

  /** The auxiliary head's logits; only in training graphs of configs with an aux head and classes. */
  public Optional<Operand<TFloat32>> auxLogits() {
    return Optional.ofNullable(auxLogits);
  }

  /** The ScheduledDropPath progress scalar to feed in training (step / total steps); empty in inference graphs. */
  public Optional<Operand<TFloat32>> dropPathProgress() {
    return Optional.ofNullable(dropPathProgress);
  }

  /** The training step that seeds drop-path and dropout masks (feed it each step); empty in inference graphs. */
  public Optional<Operand<TInt64>> randomStep() {
    return Optional.ofNullable(randomStep);
  }

  /** Slim's endpoints in build order: Stem, Cell_k, Reduction_Cell_k, global_pool, Logits, Predictions. */
  public ImmutableMap<String, Operand<TFloat32>> endpoints() {
    return endpoints;
  }

  /** All variables in creation order, named as in TF-slim checkpoints. */
  public ImmutableList<ModelVariable> variables() {
    return variables;
  }

  public ImmutableList<ModelVariable> trainableVariables() {
    return variables.stream().filter(ModelVariable::trainable).collect(ImmutableList.toImmutableList());
  }

  public Optional<ModelVariable> variable(String name) {
    return variables.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /** Batch-norm moving-average updates to run with every training step; empty for inference graphs. */
  public ImmutableList<Op> updateOps() {
    return updateOps;
  }

  public ModelSummary summary() {
    return summary;
  }

  /**
   * Bytes of float activations one image adds to a forward pass: every batch-sized output the graph holds when the
   * model is built, summed. Training keeps them all for the backward pass (and about as much again for their
   * gradients), so a batch needs roughly twice this times the batch size.
   */
  public long activationBytesPerImage() {
    return activationBytesPerImage;
  }

  private static long activationBytesPerImage(Graph graph) {
    long total = 0;
    java.util.Iterator<org.tensorflow.GraphOperation> ops = graph.operations();
    while (ops.hasNext()) {
      org.tensorflow.GraphOperation op = ops.next();
      for (int i = 0; i < op.numOutputs(); i++) {
        org.tensorflow.Output<?> out = op.output(i);
        if (out.dataType() != org.tensorflow.proto.DataType.DT_FLOAT) {
          continue;
        }
        long[] dims = out.shape().asArray();
        if (dims == null || dims.length == 0 || dims[0] != -1) {
          continue;
        }
        long n = 1;
        for (int d = 1; d < dims.length; d++) {
          n *= Math.max(dims[d], 1);
        }
        total += n * Float.BYTES;
      }
    }
    return total;
  }
}
