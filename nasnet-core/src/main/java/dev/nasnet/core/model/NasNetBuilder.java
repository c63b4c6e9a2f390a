package dev.nasnet.core.model;

import com.google.common.collect.ImmutableMap;
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
 */
public final class NasNetBuilder {
  /** Name of the input placeholder. */
  public static final String INPUT_NAME = "images";

  private final NasNetConfig config;
  private final CellCompiler compiler;

  public NasNetBuilder(NasNetConfig config) {
    this(config, OpLibrary.standard());
  }

  public NasNetBuilder(NasNetConfig config, OpLibrary ops) {
    this.config = config;
    ModelSizeCheck.checkDimensions(config);
    this.compiler = new CellCompiler(ops);
    config.normalCell().requireKnownOps(ops.names());
    if (config.hasReductionCell()) {
      config.reductionCell().requireKnownOps(ops.names());
    }
  }

  /** Builds the network into {@code graph}, which should hold no other network (names must be free). */
  public NasNetModel build(Graph graph, Mode mode) {
    Start st = start(graph, mode, null);
    BuildContext ctx = st.ctx();
    Layers root = st.root();
    Placeholder<TFloat32> images = (Placeholder<TFloat32>) st.images();
    Map<String, Operand<TFloat32>> endpoints = st.endpoints();
    DropPathSchedule dropPath = st.dropPath();
    Operand<TFloat32> progress = st.progress();
    CellStack stack = stem(root, images, endpoints, dropPath, progress);
    boolean buildAux = mode.isTraining() && config.auxHead() && config.numClasses() > 0;
    if (buildAux) {
      ModelSizeCheck.checkAuxHeadInput(config);
    }
    Operand<TFloat32> auxLogits = stackCells(root, stack, 0, config.numCells(), endpoints, buildAux, dropPath,
        progress);
    Operand<TFloat32> net = stack.net;

    Layers finalLayer = root.sub("final_layer");
    Operand<TFloat32> features = finalLayer.globalAvgPool(finalLayer.relu(net));
    endpoints.put("global_pool", features);
    Operand<TFloat32> logits = null;
    Operand<TFloat32> predictions = null;
    if (config.numClasses() > 0) {
      Operand<TFloat32> pooled = features;
      if (mode.isTraining() && config.denseDropoutKeepProb() < 1.0) {
        pooled = finalLayer.sub("dropout").dropout(pooled, (float) config.denseDropoutKeepProb());
      }
      logits = finalLayer.fullyConnected("FC", pooled, config.numClasses());
      predictions = finalLayer.tf().withName("predictions").nn.softmax(logits);
      endpoints.put("Logits", logits);
      endpoints.put("Predictions", predictions);
    }
    // The graph is only symbolic so far; refuse here, before any session allocates the variables.
    ModelSizeCheck.checkMemory(config, mode, ctx.variables());
    return new NasNetModel(graph, config, mode, images, features, logits, predictions, auxLogits,
        mode.isTraining() ? progress : null, mode.isTraining() ? ctx.randomStep() : null,
        ImmutableMap.copyOf(endpoints), ctx.variables(), ctx.updateOps(),
        ctx.multiplyAdds());
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
    com.google.common.base.Preconditions.checkArgument(splitCell >= 1 && splitCell < config.numCells() - 1,
        "split cell must be in 1..%s for %s cells, got %s", config.numCells() - 2, config.numCells(), splitCell);
    Start st = start(graph, mode, input);
    BuildContext ctx = st.ctx();
    Layers root = st.root();
    Map<String, Operand<TFloat32>> endpoints = st.endpoints();
    DropPathSchedule dropPath = st.dropPath();
    Operand<TFloat32> progress = st.progress();
    CellStack stack = stem(root, st.images(), endpoints, dropPath, progress);
    stackCells(root, stack, 0, splitCell + 1, endpoints, false, dropPath, progress);
    Operand<TFloat32> previous = endpoints.get("Cell_" + (splitCell - 1));
    com.google.common.base.Preconditions.checkArgument(previous.shape().get(1) == stack.net.shape().get(1),
        "split cell %s follows a reduction: Cell_%s is %sx%s, Cell_%s %sx%s; split where both cells share a grid",
        splitCell, splitCell - 1, previous.shape().get(1), previous.shape().get(2), splitCell,
        stack.net.shape().get(1), stack.net.shape().get(2));
    Operand<TFloat32> features = root.sub("first_stage_features").concatChannels(List.of(previous, stack.net));
    int previousChannels = (int) previous.shape().get(3);
    double scaling = stack.scaling;
    int trueCellNum = stack.trueCellNum;
    return new TwoStageBackbone(ctx, st.images(), features, endpoints, crops -> {
      // The crops carry both hidden states side by side; split them back as the second stage's two inputs.
      Ops tf = root.tf();
      Operand<TFloat32> hiddenPrevious = tf.slice(crops, tf.constant(new int[] {0, 0, 0, 0}),
          tf.constant(new int[] {-1, -1, -1, previousChannels}));
      Operand<TFloat32> hidden = tf.slice(crops, tf.constant(new int[] {0, 0, 0, previousChannels}),
          tf.constant(new int[] {-1, -1, -1, -1}));
      CellStack second = new CellStack(hidden, new ArrayList<>(List.of(hiddenPrevious, hidden)), trueCellNum);
      second.scaling = scaling;
      stackCells(root, second, splitCell + 1, config.numCells(), endpoints, false, dropPath, progress);
      return root.sub("second_stage_output").relu(second.net);
    });
  }

  /** What every build starts from: the context, the input placeholder, the endpoint map and the drop-path rule. */
  private record Start(BuildContext ctx, Layers root, Operand<TFloat32> images,
      Map<String, Operand<TFloat32>> endpoints, DropPathSchedule dropPath, Operand<TFloat32> progress) {}

  private Start start(Graph graph, Mode mode, Operand<TFloat32> input) {
    BuildContext ctx = new BuildContext(graph, mode, config.batchNorm(), config.seed(), config.poolPadding());
    Layers root = ctx.rootLayers();
    int size = config.imageSize();
    Operand<TFloat32> images = input;
    if (images == null) {
      images = root.tf().withName(INPUT_NAME).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, size, size, config.imageChannels())));
    } else {
      long[] dims = input.shape().asArray();
      com.google.common.base.Preconditions.checkArgument(dims.length == 4 && dims[1] == size && dims[2] == size
          && dims[3] == config.imageChannels(), "the network's input must be [N, %s, %s, %s], got %s", size, size,
          config.imageChannels(), input.shape());
    }
    DropPathSchedule schedule = new DropPathSchedule(config.dropPathKeepProb(), config.totalNumCells());
    DropPathSchedule dropPath = mode.isTraining() && schedule.enabled() ? schedule : null;
    return new Start(ctx, root, images, new LinkedHashMap<>(), dropPath,
        mode.isTraining() ? ctx.dropPathProgress() : null);
  }

  /** The ImageNet stem (conv0 and two reduction cells) or the CIFAR stem (one 3x3 conv), as the cell stack's start. */
  private CellStack stem(Layers root, Operand<TFloat32> images, Map<String, Operand<TFloat32>> endpoints,
      DropPathSchedule dropPath, Operand<TFloat32> progress) {
    // Stem. cellOutputs mirrors slim's list, with null for "no previous input".
    List<Operand<TFloat32>> cellOutputs = new ArrayList<>();
    cellOutputs.add(null);
    Operand<TFloat32> net;
    int trueCellNum;
    if (config.stem() == Stem.IMAGENET) {
      net = root.conv2d("conv0", images, (int) (32 * config.stemMultiplier()), 3, 3, 2, "VALID");
      net = root.batchNorm("conv0_bn", net);
      cellOutputs.add(net);
      CellSpec stemCell = config.hasReductionCell() ? config.reductionCell() : config.normalCell();
      double scaling = 1.0 / (config.filterScalingRate() * config.filterScalingRate());
      for (int i = 0; i < 2; i++) {
        net = cell(root, "cell_stem_" + i, stemCell, net, last2(cellOutputs), filters(scaling), 2, i, dropPath,
            progress);
        cellOutputs.add(net);
        scaling *= config.filterScalingRate();
      }
      trueCellNum = 2;
    } else {
      net = root.conv2d("l1_stem_3x3", images, (int) (config.numConvFilters() * config.stemMultiplier()), 3, 3, 1,
          "SAME");
      net = root.batchNorm("l1_stem_bn", net);
      cellOutputs.add(net);
      trueCellNum = 0;
    }
    endpoints.put("Stem", net);

    return new CellStack(net, cellOutputs, trueCellNum);
  }

  /** Where slim's cell loop stands: the last output, the outputs so far, filter scaling, and the drop-path index. */
  private static final class CellStack {
    Operand<TFloat32> net;
    final List<Operand<TFloat32>> cellOutputs;
    double scaling;
    int trueCellNum;
    Operand<TFloat32> prev;

    CellStack(Operand<TFloat32> net, List<Operand<TFloat32>> cellOutputs, int trueCellNum) {
      this.net = net;
      this.cellOutputs = cellOutputs;
      this.trueCellNum = trueCellNum;
      this.scaling = 1.0;
    }
  }

  /**
   * Builds cells {@code from} (inclusive) to {@code to} (exclusive) onto the stack, with the reduction cell before each
   * reduction index; returns the aux logits when they were built.
   */
  private Operand<TFloat32> stackCells(Layers root, CellStack st, int from, int to,
      Map<String, Operand<TFloat32>> endpoints, boolean buildAux, DropPathSchedule dropPath,
      Operand<TFloat32> progress) {
    List<Integer> reductions = config.reductionIndices();
    int auxCell = reductions.size() >= 2 ? reductions.get(1) - 1 : -1;
    Operand<TFloat32> auxLogits = null;
    for (int n = from; n < to; n++) {
      boolean isReduction = reductions.contains(n);
      int stride = 1;
      if (isReduction) {
        st.scaling *= config.filterScalingRate();
      }
      if (config.hasReductionCell()) {
        if (config.skipReductionLayerInput()) {
          st.prev = last2(st.cellOutputs);
        }
        if (isReduction) {
          int r = reductions.indexOf(n);
          st.net = cell(root, "reduction_cell_" + r, config.reductionCell(), st.net, last2(st.cellOutputs),
              filters(st.scaling), 2, st.trueCellNum++, dropPath, progress);
          endpoints.put("Reduction_Cell_" + r, st.net);
          st.cellOutputs.add(st.net);
        }
        if (!config.skipReductionLayerInput()) {
          st.prev = last2(st.cellOutputs);
        }
      } else {
        stride = isReduction ? 2 : 1;
        // Slim keeps the previous iteration's prev_layer for an unskipped strided cell.
        if (config.skipReductionLayerInput() || !isReduction) {
          st.prev = last2(st.cellOutputs);
        }
      }
      st.net = cell(root, "cell_" + n, config.normalCell(), st.net, st.prev, filters(st.scaling), stride,
          st.trueCellNum++, dropPath, progress);
      endpoints.put("Cell_" + n, st.net);
      if (buildAux && n == auxCell) {
        auxLogits = auxHead(root.sub("aux_" + n).sub("aux_logits"), root.relu(st.net));
        endpoints.put("AuxLogits", auxLogits);
      }
      st.cellOutputs.add(st.net);
    }
    return auxLogits;
  }

  private Operand<TFloat32> cell(Layers root, String scope, CellSpec spec, Operand<TFloat32> net,
      Operand<TFloat32> prev, int filters, int stride, int cellNum, DropPathSchedule dropPath,
      Operand<TFloat32> progress) {
    Layers s = root.sub(scope);
    Operand<TFloat32> keep = dropPath == null ? null : dropPath.keepProb(s.tf(), cellNum, progress);
    return compiler.compile(s, spec, net, prev, filters, stride, keep);
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

  private static Operand<TFloat32> last2(List<Operand<TFloat32>> outputs) {
    return outputs.get(outputs.size() - 2);
  }
}
