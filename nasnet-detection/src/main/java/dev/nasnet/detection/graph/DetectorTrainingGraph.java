package dev.nasnet.detection.graph;

import dev.nasnet.detection.Detection;
import dev.nasnet.detection.FasterRcnnConfig;
import dev.nasnet.detection.LossWeights;

import com.google.common.collect.ImmutableList;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.model.Regularization;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.model.TwoStageBackbone;
import dev.nasnet.core.train.GradientStep;
import dev.nasnet.core.train.Optimizer;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.rpn.RpnHead;
import dev.nasnet.detection.secondstage.BoxClassifier;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training graph: a fixed batch of images at the input size (0..255), batch norm on batch statistics, the
 * in-graph proposals of each image (fetched first, to assign the second stage's targets in Java), placeholders for
 * both stages' targets, the named losses, and one momentum step with gradients clipped by global norm. Proposals are
 * constants to the second stage (approximate joint training, as the Object Detection API does).
 */
public final class DetectorTrainingGraph {
  public final int batchSize;
  public final Placeholder<TFloat32> images;
  public final TwoStageBackbone backbone;
  public final ImmutableList<CornerBox> anchors;
  public final List<Operand<TFloat32>> proposals = new ArrayList<>();
  public final Placeholder<TInt32> rpnLabels;
  public final Placeholder<TFloat32> rpnClassWeights;
  public final Placeholder<TFloat32> rpnBoxTargets;
  public final Placeholder<TFloat32> rpnBoxWeights;
  public final Placeholder<TFloat32> boxes;
  public final Placeholder<TInt32> boxImage;
  public final Placeholder<TInt32> labels;
  public final Placeholder<TFloat32> classWeights;
  public final Placeholder<TFloat32> boxTargets;
  public final Placeholder<TFloat32> boxWeights;
  public final Placeholder<TFloat32> learningRate;
  public final Operand<TFloat32> rpnLocalization;
  public final Operand<TFloat32> rpnObjectness;
  public final Operand<TFloat32> localization;
  public final Operand<TFloat32> classification;
  public final Operand<TFloat32> regularization;
  public final Operand<TFloat32> total;
  public final Op step;
  public final ImmutableList<ModelVariable> variables;
  public final ImmutableList<ModelVariable> slots;

  public DetectorTrainingGraph(Graph graph, FasterRcnnConfig config, int batchSize, double momentum,
      double clipGlobalNorm, Regularization regularizer) {
    this.batchSize = batchSize;
    Ops tf = Ops.create(graph);
    int size = config.inputSize();
    int classes = config.numClasses();
    images = tf.withName("image_tensor").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(batchSize, size, size, 3)));
    FirstStage first = FirstStage.build(graph, config, Mode.TRAINING, images, regularizer);
    backbone = first.backbone();
    anchors = first.anchors();
    Ops props = tf.withSubScope("proposals");
    for (int b = 0; b < batchSize; b++) {
      proposals.add(first.proposals(props, config, b));
    }
    int a = anchors.size();
    Ops in = tf.withSubScope("targets");
    rpnLabels = in.withName("rpn_labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(batchSize, a)));
    rpnClassWeights = in.withName("rpn_class_weights").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(batchSize, a)));
    rpnBoxTargets = in.withName("rpn_box_targets").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(batchSize, a, 4)));
    rpnBoxWeights = in.withName("rpn_box_weights").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(batchSize, a)));
    boxes = in.withName("proposal_boxes").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
    boxImage = in.withName("proposal_image").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    labels = in.withName("proposal_labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    classWeights = in.withName("proposal_class_weights").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1)));
    boxTargets = in.withName("proposal_box_targets").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, classes, 4)));
    boxWeights = in.withName("proposal_box_weights").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, classes)));
    learningRate = in.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

    BoxClassifier.Outputs second = BoxClassifier.build(backbone, boxes, boxImage, config.cropSize(), classes);
    LossWeights w = config.lossWeights();
    Ops loss = tf.withSubScope("losses");
    RpnHead.Losses rpnLoss = RpnHead.loss(loss, first.rpn(), rpnLabels, rpnClassWeights, rpnBoxTargets,
        rpnBoxWeights, w.rpnLocalization(), w.rpnObjectness());
    BoxClassifier.Losses boxLoss = BoxClassifier.loss(loss, second, labels, classWeights, boxTargets, boxWeights,
        w.localization(), w.classification());
    rpnLocalization = rpnLoss.localization();
    rpnObjectness = rpnLoss.objectness();
    localization = boxLoss.localization();
    classification = boxLoss.classification();
    variables = backbone.variables();
    regularization = GradientStep.weightDecay(loss, variables, regularizer.weightDecay());
    total = loss.withName("total").math.addN(List.of(rpnLoss.total(), boxLoss.total(), regularization));
    List<ModelVariable> trainable = variables.stream().filter(ModelVariable::trainable).toList();
    List<ModelVariable> slotList = new ArrayList<>();
    step = GradientStep.build(tf, total, trainable, Optimizer.momentum(momentum, false), learningRate,
        clipGlobalNorm, backbone.updateOps(), slotList, "train_step");
    slots = ImmutableList.copyOf(slotList);
  }

  /** Weights and optimizer slots: what a checkpoint holds to resume. */
  public List<ModelVariable> checkpointVariables() {
    List<ModelVariable> all = new ArrayList<>(variables);
    all.addAll(slots);
    return all;
  }
}
