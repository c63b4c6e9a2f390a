package dev.nasnet.core.inference;

import dev.nasnet.core.runtime.GraphSession;
import com.google.common.base.Preconditions;
import dev.nasnet.core.checkpoint.Checkpoints;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.NasNetModel;
import dev.nasnet.core.weights.NasNetWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.types.TFloat32;

/**
 * A NASNet inference graph with its own session: build, restore, classify, export. Close it to free native memory.
 *
 * <pre>{@code
 * try (NasNetClassifier net = NasNetClassifier.create(NasNetConfig.mobile())) {
 *   List<Prediction> top5 = net.classify(Path.of("cat.jpg"), 5);
 * }
 * }</pre>
 */
public final class NasNetClassifier implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NasNetClassifier.class);
  private final GraphSession tf;
  private final NasNetModel model;
  private final Map<Preprocessing, ImagePreprocessor> preprocessors = new EnumMap<>(Preprocessing.class);
  private Labels labels;
  /** The batch-norm-folded graph that serves inference after {@link #optimizeForInference()}; else null. */
  private Serving serving;

  /** The serving graph of an optimised classifier: its own session and variables, and the ends inference uses. */
  private record Serving(GraphSession holder, Operand<TFloat32> images, Operand<TFloat32> logits,
      Operand<TFloat32> predictions, int foldedBatchNorms, int batchNorms) implements AutoCloseable {
    @Override
    public void close() {
      holder.close();
    }
  }

  private NasNetClassifier(GraphSession.Built<NasNetModel> built) {
    this.tf = built.holder().initialize();
    this.model = built.model();
    this.labels = Labels.forClasses(model.config().numClasses());
  }

  /** Builds the inference graph of {@code config} with freshly initialised weights. */
  public static NasNetClassifier create(NasNetConfig config) {
    return create(config, OpLibrary.standard());
  }

  public static NasNetClassifier create(NasNetConfig config, OpLibrary ops) {
    Preconditions.checkArgument(config.numClasses() > 0, "a classifier needs numClasses > 0, config '%s' has 0",
        config.name());
    return new NasNetClassifier(GraphSession.build(g -> new NasNetBuilder(config, ops).build(g, Mode.INFERENCE)));
  }

  public NasNetModel model() {
    return model;
  }

  public Session session() {
    return tf.session();
  }

  /** Restores weights from a TF-slim style checkpoint (see {@link Checkpoints#restore}). */
  public Checkpoints.RestoreReport restore(Path checkpointPrefix) {
    return refreezing(Checkpoints.restore(tf.session(), model.variables(), checkpointPrefix));
  }

  /**
   * Loads weights from any file {@link NasNetWeights} reads: a Keras {@code .h5} / {@code .weights.h5}, a slim
   * checkpoint prefix or a slim {@code .tar.gz}. Build the model with {@link NasNetConfig#keras()} to compute exactly
   * what Keras computes on Keras weights.
   */
  public Checkpoints.RestoreReport load(Path weights) {
    return refreezing(NasNetWeights.restore(tf.session(), model, weights));
  }

  /**
   * Serves inference from now on with a graph made for it: only the nodes the outputs need, and each batch norm that
   * follows a convolution folded into that convolution's weights and a bias, which TensorFlow then fuses with the
   * convolution and the ReLU after it. The serving graph has its own copy of the (folded) weights, taken now; later
   * {@link #load}s and {@link #restore}s redo it, so the order of loading and optimising does not matter. Outputs
   * equal the plain graph's up to float rounding.
   * {@link #session()} and {@link #model()} stay those of the plain graph (for saving, exporting and training
   * code); {@link #inferenceRunner} runs the serving graph.
   */
  public NasNetClassifier optimizeForInference() {
    Operand<TFloat32> logits = model.logits().orElseThrow();
    Operand<TFloat32> predictions = model.predictions().orElseThrow();
    BatchNormFolding.Result folding = FoldedGraph.define(tf.graph(),
        java.util.Set.of(logits.op().name(), predictions.op().name()));
    GraphSession.Built<Serving> built = GraphSession.build(g -> {
      g.importGraphDef(folding.graph());
      return new Serving(null, output(g, model.images()), output(g, logits), output(g, predictions),
          folding.folds().size(), folding.batchNorms());
    });
    try {
      FoldedGraph.fill(tf.session(), built.holder().graph(), built.holder().session(), folding);
    } catch (RuntimeException e) {
      built.holder().close();
      throw e;
    }
    Serving ends = built.model();
    closeServing();
    serving = new Serving(built.holder(), ends.images(), ends.logits(), ends.predictions(),
        ends.foldedBatchNorms(), ends.batchNorms());
    LOG.debug("{}: serving graph made, {} of {} batch norms folded", model.config().name(),
        serving.foldedBatchNorms(), serving.batchNorms());
    return this;
  }

  /** Whether {@link #optimizeForInference()} was called: inference runs the folded serving graph. */
  public boolean isOptimizedForInference() {
    return serving != null;
  }

  /**
   * A runner of the graph that serves inference (the folded one once optimised) with {@code images} fed and the
   * logits fetched, e.g. to trace one step; the caller runs it and closes the result.
   */
  public Session.Runner inferenceRunner(TFloat32 images) {
    checkShape(images.shape());
    return serving != null ? serving.holder().session().runner().feed(serving.images(), images).fetch(serving.logits())
        : tf.session().runner().feed(model.images(), images).fetch(model.logits().orElseThrow());
  }

  private Checkpoints.RestoreReport refreezing(Checkpoints.RestoreReport report) {
    if (serving != null) {
      optimizeForInference();
    }
    return report;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> output(org.tensorflow.Graph g, Operand<TFloat32> original) {
    org.tensorflow.Output<?> o = original.asOutput();
    return (Operand<TFloat32>) (Operand<?>) g.operation(o.op().name()).output(o.index());
  }

  private void closeServing() {
    if (serving != null) {
      serving.close();
      serving = null;
    }
  }

  public void save(Path checkpointPrefix) {
    Checkpoints.save(tf.session(), model.variables(), checkpointPrefix);
  }

  /** Logits for a batch of preprocessed images [B][size][size][3]. */
  public float[][] logits(float[][][][] images) {
    return run(images, false);
  }

  /** Class probabilities (softmax) for a batch of preprocessed images. */
  public float[][] probabilities(float[][][][] images) {
    return run(images, true);
  }

  /**
   * Runs the network on a batch tensor [B, size, size, 3] and returns the logits tensor; the caller closes both.
   */
  public TFloat32 logits(TFloat32 images) {
    checkShape(images.shape());
    try (Result r = inferenceRunner(images).run()) {
      // Detach the output from the Result so closing the Result does not free it.
      TFloat32 out = (TFloat32) r.get(0);
      TFloat32 copy = TFloat32.tensorOf(out.shape());
      out.copyTo(copy);
      return copy;
    } catch (TensorFlowException e) {
      throw new IllegalStateException("TensorFlow failed running " + model.config().name() + ": " + e.getMessage(), e);
    }
  }

  /** The class names predictions carry: ImageNet's for 1000 and 1001 classes unless set, else "class N". */
  public Labels labels() {
    return labels;
  }

  /** Uses {@code labels} (one per class, in logit order) for the predictions from now on. */
  public NasNetClassifier withLabels(Labels labels) {
    this.labels = labels.checkFits(model.config().numClasses(), "the label set");
    return this;
  }

  /** Classifies one image file with slim's Inception preprocessing; returns the top {@code k} classes. */
  public List<Prediction> classify(Path imageFile, int k) throws IOException {
    return classify(imageFile, k, Preprocessing.INCEPTION);
  }

  /** Reads, preprocesses (TensorFlow's ops) and classifies one image file; returns the top {@code k} by logit. */
  public List<Prediction> classify(Path imageFile, int k, Preprocessing preprocessing) throws IOException {
    Preconditions.checkState(model.config().imageChannels() == 3, "classify(Path) feeds RGB images; model '%s' takes "
        + "%s channels", model.config().name(), model.config().imageChannels());
    ImagePreprocessor pre = preprocessors.computeIfAbsent(preprocessing,
        p -> new ImagePreprocessor(p, model.config().imageSize()));
    try (TFloat32 pixels = pre.tensor(imageFile)) {
      return classify(pixels, k);
    }
  }

  /** Classifies one preprocessed image, a [size, size, channels] tensor; returns the top {@code k} by logit. */
  public List<Prediction> classify(TFloat32 image, int k) {
    Shape s = image.shape();
    Preconditions.checkArgument(s.numDimensions() == 3, "one image is [height, width, channels], got %s", s);
    try (TFloat32 batch = TFloat32.tensorOf(Shape.of(1, s.get(0), s.get(1), s.get(2)))) {
      image.copyTo(batch.get(0));
      try (TFloat32 out = logits(batch)) {
        return top(StdArrays.array2dCopyOf(out)[0], k);
      }
    }
  }

  /** The top {@code k} classes of one image's logits, highest logit first, with labels and softmax probabilities. */
  public List<Prediction> top(float[] logits, int k) {
    Preconditions.checkArgument(k > 0, "k must be positive, got %s", k);
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    List<Prediction> all = new ArrayList<>();
    for (int i = 0; i < logits.length; i++) {
      all.add(new Prediction(i, labels.label(i), logits[i], (float) (Math.exp(logits[i] - max) / sum)));
    }
    all.sort(Comparator.comparingDouble(Prediction::logit).reversed());
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }

  /** Exports a SavedModel with tag {@code serve} and a {@code serving_default} signature: images in, logits and
   * probabilities out. */
  public void exportSavedModel(Path dir) throws IOException {
    Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).input("images", model.images())
        .output("logits", model.logits().orElseThrow()).output("probabilities", model.predictions().orElseThrow())
        .build();
    SavedModelBundle.exporter(dir.toString()).withSession(tf.session()).withSignature(signature).withTags("serve")
        .export();
  }

  /**
   * Writes the inference graph as a binary GraphDef, not frozen and without batch-norm folding, and its variables as
   * a checkpoint beside it ({@code FILE.ckpt.*}), so others can inspect or re-import both.
   */
  public Path exportGraphDef(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try (OutputStream out = Files.newOutputStream(file)) {
      tf.graph().toGraphDef().writeTo(out);
    }
    Path ckpt = file.resolveSibling(file.getFileName() + ".ckpt");
    save(ckpt);
    return ckpt;
  }

  private float[][] run(float[][][][] images, boolean probabilities) {
    Preconditions.checkNotNull(images, "images");
    Shape shape = shapeOf(images);
    checkShape(shape);
    try (TFloat32 in = TFloat32.tensorOf(shape)) {
      StdArrays.copyTo(images, in);
      Session.Runner runner = serving != null
          ? serving.holder().session().runner().feed(serving.images(), in)
              .fetch(probabilities ? serving.predictions() : serving.logits())
          : tf.session().runner().feed(model.images(), in)
              .fetch(probabilities ? model.predictions().orElseThrow() : model.logits().orElseThrow());
      try (Result r = runner.run()) {
        return StdArrays.array2dCopyOf((TFloat32) r.get(0));
      }
    } catch (TensorFlowException e) {
      throw new IllegalStateException("TensorFlow failed running " + model.config().name() + ": " + e.getMessage(), e);
    }
  }

  private static Shape shapeOf(float[][][][] images) {
    Preconditions.checkArgument(images.length > 0, "empty batch: need at least one image");
    int h = images[0].length;
    int w = h == 0 ? 0 : images[0][0].length;
    int c = w == 0 ? 0 : images[0][0][0].length;
    for (int b = 0; b < images.length; b++) {
      Preconditions.checkArgument(images[b].length == h, "image %s has %s rows, image 0 has %s", b,
          images[b].length, h);
      for (int y = 0; y < h; y++) {
        Preconditions.checkArgument(images[b][y].length == w, "image %s row %s has %s columns, expected %s", b, y,
            images[b][y].length, w);
        for (int x = 0; x < w; x++) {
          Preconditions.checkArgument(images[b][y][x].length == c,
              "image %s pixel (%s, %s) has %s channels, expected %s", b, y, x, images[b][y][x].length, c);
        }
      }
    }
    return Shape.of(images.length, h, w, c);
  }

  private void checkShape(Shape shape) {
    int size = model.config().imageSize();
    int channels = model.config().imageChannels();
    if (shape.numDimensions() != 4 || shape.get(1) != size || shape.get(2) != size || shape.get(3) != channels) {
      throw new IllegalArgumentException("model '" + model.config().name() + "' takes images of shape [batch, "
          + size + ", " + size + ", " + channels + "], got " + shape
          + (shape.numDimensions() == 4 && shape.get(3) != channels
              ? ": " + shape.get(3) + " channels instead of " + channels : ""));
    }
  }

  @Override
  public void close() {
    preprocessors.values().forEach(ImagePreprocessor::close);
    closeServing();
    tf.close();
  }
}
