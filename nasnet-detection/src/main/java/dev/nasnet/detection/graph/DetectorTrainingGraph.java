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
import dev.nasnet.detection.secondstage.SecondStageTargetGraph;
import dev.nasnet.detection.targets.ArgMaxMatcher;
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
import org.tensorflow.types.TInt64;

/**
 * The training graph: a fixed batch of images at the input size (0..255), batch norm on batch statistics, the
 * in-graph proposals of each image, the second stage's targets assigned in the graph from those proposals
 * ({@link SecondStageTargetGraph}: matcher and sampler as graph ops, seeded per image by a fed seed), placeholders
 * for the RPN's targets (which depend only on anchors and ground truth, so Java assigns them) and each image's ground
 * truth, the named losses, and one momentum step with gradients clipped by global norm. One run computes it all.
 * Proposals are constants to the second stage (stopGradient: approximate joint training, as the Object Detection
 * API does).
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
  /** Per image: its ground-truth boxes [boxes, 4] in input pixels and their class indices [boxes]. */
  public final List<Placeholder<TFloat32>> groundTruthBoxes = new ArrayList<>();
  public final List<Placeholder<TInt32>> groundTruthClasses = new ArrayList<>();
  /** [batch, 2] int64: each image's stateless seed for the second-stage sampler. */
  public final Placeholder<TInt64> samplerSeeds;
  /** Per image, the in-graph second-stage targets (behind stopGradient where the loss reads them). */
  public final List<SecondStageTargetGraph> secondStageTargets = new ArrayList<>();
  /** The sampled proposals of the whole batch [sampled, 4] normalised to [0, 1], and each one's image. */
  public final Operand<TFloat32> boxes;
  public final Operand<TInt32> boxImage;
  public final Operand<TInt32> labels;
  public final Operand<TFloat32> classWeights;
  public final Operand<TFloat32> boxTargets;
  public final Operand<TFloat32> boxWeights;
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
    samplerSeeds = in.withName("sampler_seeds").placeholder(TInt64.class, Placeholder.shape(Shape.of(batchSize, 2)));
    // The second stage's targets are assigned here, from this step's own proposals: one forward pass per step.
    Ops assign = tf.withSubScope("second_stage_targets");
    Operand<TInt32> zero = assign.constant(0);
    List<Operand<TFloat32>> boxList = new ArrayList<>();
    List<Operand<TInt32>> imageList = new ArrayList<>();
    List<Operand<TInt32>> labelList = new ArrayList<>();
    List<Operand<TFloat32>> classWeightList = new ArrayList<>();
    List<Operand<TFloat32>> targetList = new ArrayList<>();
    List<Operand<TFloat32>> weightList = new ArrayList<>();
    Operand<TFloat32> imageCount = assign.constant((float) batchSize);
    for (int b = 0; b < batchSize; b++) {
      Placeholder<TFloat32> gt = in.withName("groundtruth_boxes_" + b).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 4)));
      Placeholder<TInt32> gtClasses = in.withName("groundtruth_classes_" + b).placeholder(TInt32.class,
          Placeholder.shape(Shape.of(-1)));
      groundTruthBoxes.add(gt);
      groundTruthClasses.add(gtClasses);
      Operand<TInt64> seed = assign.reshape(assign.slice(samplerSeeds, assign.constant(new int[] {b, 0}),
          assign.constant(new int[] {1, 2})), assign.constant(new int[] {2}));
      // Proposals are constants to the second stage (approximate joint training, as the Object Detection API does).
      SecondStageTargetGraph t = SecondStageTargetGraph.assign(assign, assign.stopGradient(proposals.get(b)), gt,
          gtClasses, classes, ArgMaxMatcher.secondStage(), config.secondStageSampler(), FirstStage.CODER, seed);
      secondStageTargets.add(t);
      Operand<TInt32> n = assign.gather(assign.shape(t.labels()), zero, zero);
      boxList.add(assign.math.div(t.boxes(), assign.constant((float) size)));
      imageList.add(assign.fill(assign.reshape(n, assign.constant(new int[] {1})), assign.constant(b)));
      labelList.add(t.labels());
      // Each image's losses are normalised by its own sample, then averaged over the batch.
      Operand<TFloat32> w = assign.math.div(t.classWeight(), imageCount);
      classWeightList.add(assign.fill(assign.reshape(n, assign.constant(new int[] {1})), w));
      targetList.add(t.boxTargets());
      weightList.add(assign.math.div(t.boxWeights(), imageCount));
    }
    boxes = assign.withName("proposal_boxes").stopGradient(assign.concat(boxList, zero));
    boxImage = assign.withName("proposal_image").stopGradient(assign.concat(imageList, zero));
    labels = assign.withName("proposal_labels").stopGradient(assign.concat(labelList, zero));
    classWeights = assign.withName("proposal_class_weights").stopGradient(assign.concat(classWeightList, zero));
    boxTargets = assign.withName("proposal_box_targets").stopGradient(assign.concat(targetList, zero));
    boxWeights = assign.withName("proposal_box_weights").stopGradient(assign.concat(weightList, zero));
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
