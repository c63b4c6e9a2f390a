package dev.nasnet.detection;

import dev.nasnet.detection.graph.InferenceGraph;

import dev.nasnet.core.runtime.GraphSession;
import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import dev.nasnet.core.checkpoint.Checkpoints;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * A Faster R-CNN ready to detect: images of any size in, boxes in that image's pixels, labels and scores out. Batch
 * norm uses its moving averages. Load a trained model directory with {@link #load}, or get one from a trainer.
 *
 * <pre>{@code
 * try (FasterRcnnDetector detector = FasterRcnnDetector.load(Path.of("runs/shapes"))) {
 *   for (Detection d : detector.detect(RgbImage.read(Path.of("street.png")))) { ... }
 * }
 * }</pre>
 */
public final class FasterRcnnDetector implements AutoCloseable {
  /** The config file in a model directory. */
  public static final String CONFIG_FILE = "detector.json";

  private final FasterRcnnConfig config;
  private final GraphSession tf;
  private final InferenceGraph model;

  private FasterRcnnDetector(FasterRcnnConfig config) {
    this.config = config;
    GraphSession.Built<InferenceGraph> built = GraphSession.build(g -> new InferenceGraph(g, config));
    this.tf = built.holder().initialize();
    this.model = built.model();
  }

  /** A detector with freshly initialised weights (restore or copy trained ones into it). */
  public static FasterRcnnDetector create(FasterRcnnConfig config) {
    return new FasterRcnnDetector(config);
  }

  /**
   * Loads a model directory written by the trainer: {@code detector.json} and the checkpoint its
   * {@code state.json} names.
   *
   * @throws IOException naming the directory and the missing file
   */
  public static FasterRcnnDetector load(Path modelDir) throws IOException {
    Path file = modelDir.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(modelDir + " is not a detector model directory: no " + CONFIG_FILE);
    }
    FasterRcnnConfig config = FasterRcnnConfigJson.fromJson(Files.readString(file), file.toString());
    Path checkpoint = ModelDirectory.latestCheckpoint(modelDir);
    FasterRcnnDetector detector = create(config);
    try {
      detector.restore(checkpoint);
    } catch (RuntimeException e) {
      detector.close();
      throw e;
    }
    return detector;
  }

  public FasterRcnnConfig config() {
    return config;
  }

  /** The weights, named as in the training graph and the checkpoints. */
  public ImmutableList<ModelVariable> variables() {
    return ImmutableList.copyOf(model.variables);
  }

  Session session() {
    return tf.session();
  }

  /** Restores every weight from a checkpoint prefix; a missing or mis-shaped one is an error naming it. */
  public void restore(Path checkpointPrefix) {
    Checkpoints.restore(tf.session(), model.variables, checkpointPrefix, Checkpoints.NamePolicy.EXACT);
  }

  /** Copies the weights of a session whose graph holds variables of the same names. */
  public void copyFrom(Session source, Map<String, ModelVariable> sourceVariables) {
    Checkpoints.copy(source, sourceVariables, tf.session(), model.variables);
  }

  /** Detects with the config's post-processing. */
  public List<Detection> detect(RgbImage image) {
    return detect(image, config.postProcessing());
  }

  /** Detects with other post-processing settings (score threshold, NMS IoU, max detections). */
  public List<Detection> detect(RgbImage image, PostProcessing post) {
    Preconditions.checkNotNull(image, "image");
    try (TUint8 pixels = TUint8.tensorOf(Shape.of(1, image.height(), image.width(), 3),
            DataBuffers.of(image.rgb(), true, false));
        TFloat32 threshold = TFloat32.scalarOf((float) post.scoreThreshold());
        TFloat32 iou = TFloat32.scalarOf((float) post.nmsIou());
        TInt32 perClass = TInt32.scalarOf(post.maxPerClass());
        TInt32 total = TInt32.scalarOf(post.maxTotal());
        Result r = tf.session().runner().feed(model.image, pixels).feed(model.scoreThreshold, threshold)
            .feed(model.nmsIou, iou).feed(model.maxPerClass, perClass).feed(model.maxTotal, total)
            .fetch(model.boxes).fetch(model.scores).fetch(model.classes).fetch(model.numDetections).run()) {
      TFloat32 boxes = (TFloat32) r.get(0);
      TFloat32 scores = (TFloat32) r.get(1);
      TFloat32 classes = (TFloat32) r.get(2);
      int n = (int) ((TFloat32) r.get(3)).getFloat(0);
      List<Detection> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        CornerBox box = new CornerBox(boxes.getFloat(0, i, 0) * image.height(),
            boxes.getFloat(0, i, 1) * image.width(), boxes.getFloat(0, i, 2) * image.height(),
            boxes.getFloat(0, i, 3) * image.width());
        int categoryId = Math.round(classes.getFloat(0, i));
        int index = config.classIndexOf(categoryId);
        out.add(new Detection(box, index, categoryId, config.categories().get(index).name(), scores.getFloat(0, i)));
      }
      return out;
    } catch (TensorFlowException e) {
      throw new IllegalStateException("TensorFlow failed detecting on a " + image.width() + "x" + image.height()
          + " image with " + config.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Exports a SavedModel (tag {@code serve}, signature {@code serving_default}): input {@code image_tensor} (uint8
   * [1, h, w, 3]); outputs {@code detection_boxes}, {@code detection_scores}, {@code detection_classes},
   * {@code num_detections}, as the Object Detection API's exporter names them.
   */
  public void exportSavedModel(Path dir) throws IOException {
    Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).input("image_tensor", model.image)
        .output("detection_boxes", model.boxes).output("detection_scores", model.scores)
        .output("detection_classes", model.classes).output("num_detections", model.numDetections).build();
    SavedModelBundle.exporter(dir.toString()).withSession(tf.session()).withSignature(signature).withTags("serve")
        .export();
  }

  /** Weights in all (batch-norm moving statistics included, as slim counts them). */
  public long parameterCount() {
    long n = 0;
    for (ModelVariable v : model.variables) {
      long size = 1;
      for (long d : v.shape()) {
        size *= d;
      }
      n += size;
    }
    return n;
  }

  /** Multiply-adds of the first stage per image plus the second stage per proposal crop. */
  public long multiplyAdds() {
    return model.multiplyAdds;
  }

  @Override
  public void close() {
    tf.close();
  }
}
