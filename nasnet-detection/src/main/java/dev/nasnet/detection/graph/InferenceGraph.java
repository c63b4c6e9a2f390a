package dev.nasnet.detection.graph;

import dev.nasnet.detection.Detection;
import dev.nasnet.detection.FasterRcnnConfig;
import dev.nasnet.detection.PostProcessing;

import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.detection.boxes.BoxGraph;
import dev.nasnet.detection.secondstage.BoxClassifier;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.image.CombinedNonMaxSuppression;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The whole detector as one graph, as the Object Detection API exports it: {@code image_tensor} (uint8
 * [1, height, width, 3], any size) is resized to the fixed input, batch norm uses its moving averages, proposals and
 * per-class NMS run in the graph, and the outputs are {@code detection_boxes} [1, max, 4] (normalised
 * {@code ymin, xmin, ymax, xmax}, so they hold for the original image too), {@code detection_scores},
 * {@code detection_classes} (category ids, as floats) and {@code num_detections}. The post-processing settings are
 * placeholders with the config's values as defaults, so callers may override them per run.
 */
public final class InferenceGraph {
  public final Placeholder<TUint8> image;
  public final PlaceholderWithDefault<TFloat32> scoreThreshold;
  public final PlaceholderWithDefault<TFloat32> nmsIou;
  public final PlaceholderWithDefault<TInt32> maxPerClass;
  public final PlaceholderWithDefault<TInt32> maxTotal;
  public final Operand<TFloat32> boxes;
  public final Operand<TFloat32> scores;
  public final Operand<TFloat32> classes;
  public final Operand<TFloat32> numDetections;
  public final Operand<TFloat32> proposals;
  public final List<ModelVariable> variables;
  public final long multiplyAdds;

  public InferenceGraph(Graph graph, FasterRcnnConfig config) {
    Ops tf = Ops.create(graph);
    int size = config.inputSize();
    image = tf.withName("image_tensor").placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
    // fixed_shape_resizer: bilinear, aspect ratio not kept.
    Operand<TFloat32> resized = tf.withName("resized_image").image.resizeBilinear(
        tf.dtypes.cast(image, TFloat32.class), tf.constant(new int[] {size, size}), ResizeBilinear.halfPixelCenters(
            false));
    resized = tf.ensureShape(resized, Shape.of(1, size, size, 3));
    FirstStage first = FirstStage.build(graph, config, Mode.INFERENCE, resized);
    Ops post = tf.withSubScope("postprocess");
    proposals = post.withName("proposals").identity(first.proposals(post, config, 0));
    Operand<TFloat32> normalized = post.math.div(proposals, post.constant((float) size));
    Operand<TInt32> boxImage = post.zerosLike(post.dtypes.cast(
        post.slice(proposals, post.constant(new int[] {0, 0}), post.constant(new int[] {-1, 1})), TInt32.class));
    boxImage = post.reshape(boxImage, post.constant(new int[] {-1}));
    BoxClassifier.Outputs second = BoxClassifier.build(first.backbone(), normalized, boxImage, config.cropSize(),
        config.numClasses());
    // Softmax, then drop the background column.
    Operand<TFloat32> probabilities = post.slice(post.nn.softmax(second.classLogits()),
        post.constant(new int[] {0, 1}), post.constant(new int[] {-1, -1}));
    Operand<TFloat32> decoded = BoxGraph.clip(post, BoxGraph.decode(post, second.boxCodes(),
        post.expandDims(proposals, post.constant(1)), FirstStage.CODER), size, size);
    Operand<TFloat32> unit = post.math.div(decoded, post.constant((float) size));
    PostProcessing p = config.postProcessing();
    scoreThreshold = tf.withName("score_threshold").placeholderWithDefault(tf.constant((float) p.scoreThreshold()),
        Shape.scalar());
    nmsIou = tf.withName("nms_iou").placeholderWithDefault(tf.constant((float) p.nmsIou()), Shape.scalar());
    maxPerClass = tf.withName("max_per_class").placeholderWithDefault(tf.constant(p.maxPerClass()), Shape.scalar());
    maxTotal = tf.withName("max_detections").placeholderWithDefault(tf.constant(p.maxTotal()), Shape.scalar());
    CombinedNonMaxSuppression nms = post.image.combinedNonMaxSuppression(post.expandDims(unit, post.constant(0)),
        post.expandDims(probabilities, post.constant(0)), maxPerClass, maxTotal, nmsIou, scoreThreshold,
        CombinedNonMaxSuppression.padPerClass(false), CombinedNonMaxSuppression.clipBoxes(true));
    int[] ids = config.categories().stream().mapToInt(c -> c.id()).toArray();
    boxes = tf.withName("detection_boxes").identity(nms.nmsedBoxes());
    scores = tf.withName("detection_scores").identity(nms.nmsedScores());
    classes = tf.withName("detection_classes").dtypes.cast(post.gather(post.constant(ids),
        post.dtypes.cast(nms.nmsedClasses(), TInt32.class), post.constant(0)), TFloat32.class);
    numDetections = tf.withName("num_detections").dtypes.cast(nms.validDetections(), TFloat32.class);
    variables = first.backbone().variables();
    multiplyAdds = first.backbone().multiplyAdds();
  }
}
