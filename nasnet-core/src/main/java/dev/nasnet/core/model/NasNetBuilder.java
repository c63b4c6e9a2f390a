package dev.nasnet.core.model;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import dev.nasnet.core.graph.BatchNormSettings;
import dev.nasnet.core.graph.BuildContext;
import dev.nasnet.core.graph.CellCompiler;
import dev.nasnet.core.graph.DropPathSchedule;
import dev.nasnet.core.graph.Layers;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.spec.CellSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Stacks cells into a network as TF-slim's {@code _build_nasnet_base} and {@code _build_pnasnet_base} do: the stem,
 * {@code numCells} normal cells with a reduction before each of the reduction indices (filters doubling there), the
 * auxiliary head after the cell before the second reduction (training graphs only), then ReLU, global average pool,
 * dropout and the {@code final_layer/FC} classifier. Any pair of cells, user-written ones too, goes through here.
 * Training graphs take their drop path, dropout and batch-norm decay from {@link #withRegularization}.
 */
public final class NasNetBuilder {
  /** Name of the input placeholder. */
  public static final String INPUT_NAME = "images";

  private final NasNetConfig config;
  private final OpLibrary ops;
  private final CellCompiler compiler;
  private final Regularization regularization;
  private final int batchNormGroups;

  public NasNetBuilder(NasNetConfig config) {
    this(config, OpLibrary.standard());
  }

  public NasNetBuilder(NasNetConfig config, OpLibrary ops) {
    this(config, ops, Regularization.none(), 1);
  }

  private NasNetBuilder(NasNetConfig config, OpLibrary ops, Regularization regularization, int batchNormGroups) {
    this.config = config;
    this.ops = ops;
    this.regularization = Preconditions.checkNotNull(regularization, "regularization");
    Preconditions.checkArgument(batchNormGroups >= 1, "batch-norm groups must be at least 1, got %s",
        batchNormGroups);
    this.batchNormGroups = batchNormGroups;
    ModelSizeCheck.checkDimensions(config);
    this.compiler = new CellCompiler(ops);
    config.normalCell().requireKnownOps(ops.names());
    if (config.hasReductionCell()) {
      config.reductionCell().requireKnownOps(ops.names());
    }
  }

  /** A builder whose training graphs use {@code r} (inference graphs do not regularise). */
  public NasNetBuilder withRegularization(Regularization r) {
    return new NasNetBuilder(config, ops, r, batchNormGroups);
  }

  /**
   * A builder whose training graphs normalise each of {@code groups} equal parts of the batch with its own
   * statistics (ghost batch norm; moving averages from part 0). With {@code groups} equal to the tower count, a
   * single device computes what {@link #buildTowers} computes on several. 1, the default, is plain batch norm.
   */
  public NasNetBuilder withBatchNormGroups(int groups) {
    return new NasNetBuilder(config, ops, regularization, groups);
  }

  /** Builds the network into {@code graph}, which should hold no other network (names must be free). */
  public NasNetModel build(Graph graph, Mode mode) {
    Build b = new Build(newContext(graph, Ops.create(graph), mode), null);
    return classifier(b, (Placeholder<TFloat32>) b.images);
  }

  /**
   * Builds {@code towers} replicas of the classifier for data-parallel training, as TF-slim's model_deploy clones a
   * model: one {@code images} placeholder split along the batch into equal slices, tower {@code i} reading slice
   * {@code i} with its ops pinned to device {@code type:i}. Tower 0 keeps every name of {@link #build} (so
   * checkpoints are unchanged) and owns the variables and batch-norm updates; tower {@code i >= 1} builds under the
   * name scope {@code tower_i}, reuses tower 0's variables and adds none (its model lists tower 0's variables and no
   * updates). Each tower normalises with its own slice's batch statistics. One tower is {@link #build}, unpinned.
   *
   * @return the towers' models in order; all share the {@code images} placeholder and the step inputs
   */
  public List<NasNetModel> buildTowers(Graph graph, Mode mode, int towers, DeviceSpec.DeviceType type) {
    Preconditions.checkArgument(towers >= 1, "towers must be at least 1, got %s", towers);
    Preconditions.checkNotNull(type, "type");
    if (towers == 1) {
      return List.of(build(graph, mode));
    }
    Ops tf = Ops.create(graph);
    int size = config.imageSize();
    Placeholder<TFloat32> images = tf.withName(INPUT_NAME).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, size, size, config.imageChannels())));
    List<Operand<TFloat32>> slices = new ArrayList<>();
    tf.withName("tower_split").split(tf.constant(0), images, (long) towers).output().forEach(slices::add);
    List<NasNetModel> models = new ArrayList<>();
    BuildContext first = null;
    for (int i = 0; i < towers; i++) {
      DeviceSpec device = DeviceSpec.newBuilder().deviceType(type).deviceIndex(i).build();
      BuildContext ctx = i == 0 ? newContext(graph, Ops.create(graph).withDevice(device), mode)
          : BuildContext.tower(first, Ops.create(graph).withSubScope("tower_" + i).withDevice(device), i);
      first = i == 0 ? ctx : first;
      models.add(classifier(new Build(ctx, slices.get(i)), images));
    }
    return List.copyOf(models);
  }

  private BuildContext newContext(Graph graph, Ops root, Mode mode) {
    BatchNormSettings batchNorm = new BatchNormSettings(regularization.batchNormDecay(), config.batchNormEpsilon());
    return new BuildContext(graph, root, mode, batchNorm, config.seed(), config.poolPadding())
        .batchNormGroups(batchNormGroups);
  }

  /** The stem, the cells, the aux head and the classifier of build {@code b}, whose input is fed by {@code images}. */
  private NasNetModel classifier(Build b, Placeholder<TFloat32> images) {
    Mode mode = b.ctx.mode();
    b.stem();
    boolean withAux = mode.isTraining() && config.auxHead() && config.numClasses() > 0;
    if (withAux) {
      ModelSizeCheck.checkAuxHeadInput(config);
    }
    b.cells(0, config.numCells(), withAux);

    Layers finalLayer = b.root.sub("final_layer");
    Operand<TFloat32> features = finalLayer.globalAvgPool(finalLayer.relu(b.net));
    b.endpoints.put("global_pool", features);
    Operand<TFloat32> logits = null;
    Operand<TFloat32> predictions = null;
    if (config.numClasses() > 0) {
      Operand<TFloat32> pooled = features;
      if (mode.isTraining() && regularization.denseDropoutKeepProb() < 1.0) {
        pooled = finalLayer.sub("dropout").dropout(pooled, (float) regularization.denseDropoutKeepProb());
      }
      logits = finalLayer.fullyConnected("FC", pooled, config.numClasses());
      predictions = finalLayer.tf().withName("predictions").nn.softmax(logits);
      b.endpoints.put("Logits", logits);
      b.endpoints.put("Predictions", predictions);
    }
    // The graph is only symbolic so far; refuse here, before any session allocates the variables.
    ModelSizeCheck.checkMemory(config, mode, b.ctx.variables());
    return new NasNetModel(b.ctx.graph(), config, mode, images, features, logits, predictions,
        b.auxLogits, mode.isTraining() ? b.progress : null, mode.isTraining() ? b.ctx.randomStep() : null,
        ImmutableMap.copyOf(b.endpoints), b.ctx.variables(), b.ctx.updateOps(), b.ctx.multiplyAdds());
  }

  /**
   * Builds the first stage of a two-stage detector's backbone, cut as the TF Object Detection API cuts NASNet: the
   * stem and cells 0..{@code splitCell} (no aux head, no classifier), with features
   * {@code concat(Cell_{splitCell-1}, Cell_splitCell)}. {@link TwoStageBackbone#secondStage} builds the remaining
   * cells, from cell {@code splitCell + 1} (normally a reduction point) on, over crops of those features. NASNet-A
   * Large splits at 11 (4032 channels at stride 16), Mobile by analogy at 7 (1056 channels).
   */
  public TwoStageBackbone buildTwoStage(Graph graph, Mode mode, int splitCell) {
    return buildTwoStage(graph, mode, splitCell, null);
  }

  /**
   * As {@link #buildTwoStage(Graph, Mode, int)}, but the network reads {@code input} (already preprocessed,
   * [N, imageSize, imageSize, channels]) instead of its own placeholder: for graphs that resize or preprocess images
   * in the graph first, such as a detector taking images of any size.
   */
  public TwoStageBackbone buildTwoStage(Graph graph, Mode mode, int splitCell, Operand<TFloat32> input) {
    Preconditions.checkArgument(splitCell >= 1 && splitCell < config.numCells() - 1,
        "split cell must be in 1..%s for %s cells, got %s", config.numCells() - 2, config.numCells(), splitCell);
    Build b = new Build(newContext(graph, Ops.create(graph), mode), input);
    b.stem();
    b.cells(0, splitCell + 1, false);
    Operand<TFloat32> previous = b.endpoints.get("Cell_" + (splitCell - 1));
    Preconditions.checkArgument(previous.shape().get(1) == b.net.shape().get(1),
        "split cell %s follows a reduction: Cell_%s is %sx%s, Cell_%s %sx%s; split where both cells share a grid",
        splitCell, splitCell - 1, previous.shape().get(1), previous.shape().get(2), splitCell,
        b.net.shape().get(1), b.net.shape().get(2));
    Operand<TFloat32> features = b.root.sub("first_stage_features").concatChannels(List.of(previous, b.net));
    int previousChannels = (int) previous.shape().get(3);
    return new TwoStageBackbone(b.ctx, b.images, features, b.endpoints, crops -> {
      // The crops carry both hidden states side by side; split them back as the second stage's two inputs.
      Ops tf = b.root.tf();
      Operand<TFloat32> hiddenPrevious = tf.slice(crops, tf.constant(new int[] {0, 0, 0, 0}),
          tf.constant(new int[] {-1, -1, -1, previousChannels}));
      Operand<TFloat32> hidden = tf.slice(crops, tf.constant(new int[] {0, 0, 0, previousChannels}),
          tf.constant(new int[] {-1, -1, -1, -1}));
      b.resumeFrom(hiddenPrevious, hidden);
      b.cells(splitCell + 1, config.numCells(), false);
      return b.root.sub("second_stage_output").relu(b.net);
    });
  }

  /**
   * One build in progress, as slim's loop keeps it: the context, the input, the endpoints, the drop-path rule, and
   * the cell stack (the last output, the outputs so far, the filter scaling, the drop-path cell index).
   */
  private final class Build {
    final BuildContext ctx;
    final Layers root;
    final Operand<TFloat32> images;
    final Map<String, Operand<TFloat32>> endpoints = new LinkedHashMap<>();
    final DropPathSchedule dropPath;
    final Operand<TFloat32> progress;
    Operand<TFloat32> net;
    Operand<TFloat32> prev;
    Operand<TFloat32> auxLogits;
    /** Slim's cell_outputs, with null for "no previous input". */
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    double scaling = 1.0;
    int trueCellNum;

    Build(BuildContext ctx, Operand<TFloat32> input) {
      this.ctx = ctx;
      Mode mode = ctx.mode();
      root = ctx.rootLayers();
      int size = config.imageSize();
      if (input == null) {
        images = root.tf().withName(INPUT_NAME).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1, size, size, config.imageChannels())));
      } else {
        long[] dims = input.shape().asArray();
        Preconditions.checkArgument(dims.length == 4 && dims[1] == size && dims[2] == size
            && dims[3] == config.imageChannels(), "the network's input must be [N, %s, %s, %s], got %s", size, size,
            config.imageChannels(), input.shape());
        images = input;
      }
      DropPathSchedule schedule = new DropPathSchedule(regularization.dropPathKeepProb(), config.totalNumCells());
      dropPath = mode.isTraining() && schedule.enabled() ? schedule : null;
      progress = mode.isTraining() ? ctx.dropPathProgress() : null;
    }

    /** The ImageNet stem (conv0 and two reduction cells) or the CIFAR stem (one 3x3 conv). */
    void stem() {
      outputs.add(null);
      if (config.stem() == Stem.IMAGENET) {
        net = root.conv2d("conv0", images, (int) (32 * config.stemMultiplier()), 3, 3, 2, "VALID");
        net = root.batchNorm("conv0_bn", net);
        outputs.add(net);
        CellSpec stemCell = config.hasReductionCell() ? config.reductionCell() : config.normalCell();
        double stemScaling = 1.0 / (config.filterScalingRate() * config.filterScalingRate());
        for (int i = 0; i < 2; i++) {
          net = cell("cell_stem_" + i, stemCell, net, last2(), filters(stemScaling), 2);
          outputs.add(net);
          stemScaling *= config.filterScalingRate();
        }
      } else {
        net = root.conv2d("l1_stem_3x3", images, (int) (config.numConvFilters() * config.stemMultiplier()), 3, 3,
            1, "SAME");
        net = root.batchNorm("l1_stem_bn", net);
        outputs.add(net);
      }
      endpoints.put("Stem", net);
    }

    /** Continues the stack from two given hidden states (a detector's second stage over crops). */
    void resumeFrom(Operand<TFloat32> hiddenPrevious, Operand<TFloat32> hidden) {
      net = hidden;
      outputs = new ArrayList<>(List.of(hiddenPrevious, hidden));
    }

    /**
     * Cells {@code from} (inclusive) to {@code to} (exclusive), the reduction cell before each reduction index, and
     * the aux head after the cell before the second reduction when asked.
     */
    void cells(int from, int to, boolean withAux) {
      List<Integer> reductions = config.reductionIndices();
      int auxCell = reductions.size() >= 2 ? reductions.get(1) - 1 : -1;
      for (int n = from; n < to; n++) {
        boolean isReduction = reductions.contains(n);
        int stride = 1;
        if (isReduction) {
          scaling *= config.filterScalingRate();
        }
        if (config.hasReductionCell()) {
          if (config.skipReductionLayerInput()) {
            prev = last2();
          }
          if (isReduction) {
            int r = reductions.indexOf(n);
            net = cell("reduction_cell_" + r, config.reductionCell(), net, last2(), filters(scaling), 2);
            endpoints.put("Reduction_Cell_" + r, net);
            outputs.add(net);
          }
          if (!config.skipReductionLayerInput()) {
            prev = last2();
          }
        } else {
          stride = isReduction ? 2 : 1;
          // Slim keeps the previous iteration's prev_layer for an unskipped strided cell.
          if (config.skipReductionLayerInput() || !isReduction) {
            prev = last2();
          }
        }
        net = cell("cell_" + n, config.normalCell(), net, prev, filters(scaling), stride);
        endpoints.put("Cell_" + n, net);
        if (withAux && n == auxCell) {
          auxLogits = auxHead(root.sub("aux_" + n).sub("aux_logits"), root.relu(net));
          endpoints.put("AuxLogits", auxLogits);
        }
        outputs.add(net);
      }
    }

    /** One cell; counts it for drop path's depth scaling. */
    private Operand<TFloat32> cell(String scope, CellSpec spec, Operand<TFloat32> input, Operand<TFloat32> previous,
        int filters, int stride) {
      Layers s = root.sub(scope);
      Operand<TFloat32> keep = dropPath == null ? null : dropPath.keepProb(s.tf(), trueCellNum, progress);
      trueCellNum++;
      return compiler.compile(s, spec, input, previous, filters, stride, keep);
    }

    private Operand<TFloat32> last2() {
      return outputs.get(outputs.size() - 2);
    }
  }

  /** Slim's auxiliary classifier: 5x5/3 avg pool, 1x1 conv 128, BN, ReLU, full-size conv 768, BN, ReLU, FC. */
  private Operand<TFloat32> auxHead(Layers s, Operand<TFloat32> net) {
    Operand<TFloat32> x = s.avgPool(net, 5, 3, "VALID");
    x = s.relu(s.batchNorm("aux_bn0", s.conv2d("proj", x, 128, 1, 1, 1, "SAME")));
    int h = Layers.height(x);
    int w = (int) x.shape().get(2);
    x = s.relu(s.batchNorm("aux_bn1", s.conv2d("Conv", x, 768, h, w, 1, "VALID")));
    x = s.tf().reshape(x, s.tf().constant(new int[] {-1, 768}));
    return s.fullyConnected("FC", x, config.numClasses());
  }

  private int filters(double scaling) {
    return (int) (config.numConvFilters() * scaling);
  }
}
