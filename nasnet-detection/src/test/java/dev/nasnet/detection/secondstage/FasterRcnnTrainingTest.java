package dev.nasnet.detection.secondstage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Stem;
import dev.nasnet.core.model.TwoStageBackbone;
import dev.nasnet.detection.TestGraphs;
import dev.nasnet.detection.TestImages;
import dev.nasnet.detection.anchors.GridAnchorGenerator;
import dev.nasnet.detection.boxes.BoxCode;
import dev.nasnet.detection.boxes.BoxOps;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.boxes.ScoredBox;
import dev.nasnet.detection.data.CocoDetection;
import dev.nasnet.detection.eval.CocoEvaluator;
import dev.nasnet.detection.eval.CocoSummary;
import dev.nasnet.detection.rpn.ProposalGenerator;
import dev.nasnet.detection.rpn.RpnHead;
import dev.nasnet.detection.rpn.RpnTargets;
import dev.nasnet.detection.synthetic.ShapeKind;
import dev.nasnet.detection.synthetic.ShapesConfig;
import dev.nasnet.detection.synthetic.ShapesDataset;
import dev.nasnet.detection.synthetic.SyntheticImage;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import dev.nasnet.detection.targets.BalancedPositiveNegativeSampler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Both stages trained jointly on synthetic shapes (approximate joint training: proposals are constants, as the Object
 * Detection API has them), then detections made the inference way (proposals, class-specific boxes, per-class NMS)
 * and scored with our COCO evaluator. A tiny NASNet cannot generalise from 8 images, so this checks that every part
 * learns and fits together: AP50 on the training images must rise from near zero to well above it.
 */
class FasterRcnnTrainingTest {
  private static final int SIZE = 64;
  private static final int CLASSES = ShapeKind.values().length;
  private final FasterRcnnBoxCoder coder = FasterRcnnBoxCoder.nasnetDefaults();
  private final CornerBox window = new CornerBox(0, 0, SIZE, SIZE);
  private final ProposalGenerator proposals = new ProposalGenerator(coder, 0.7, 32);

  @Test
  void bothStagesLearnToDetectShapesAndTheCocoEvaluatorSeesIt() {
    ShapesDataset data = ShapesDataset.generate(new ShapesConfig(SIZE, SIZE, 3, 12, 28), 8, 5);
    List<SyntheticImage> images = data.images();
    NasNetConfig config = NasNetConfig.cifar().toBuilder().name("tiny").stem(Stem.CIFAR).imageSize(SIZE)
        .imageChannels(3).notation(2, 48).numClasses(0).auxHead(false).dropPathKeepProb(1.0).seed(3).build();
    GridAnchorGenerator generator = GridAnchorGenerator.nasnetDefaults().withBaseSize(32, 32).withStride(2, 2)
        .withOffset(1, 1).withScales(0.5, 1.0);
    try (Graph g = new Graph()) {
      TwoStageBackbone backbone = new NasNetBuilder(config).buildTwoStage(g, Mode.TRAINING, 3);
      Operand<TFloat32> features = backbone.firstStageFeatures();
      List<CornerBox> anchors = generator.generate((int) features.shape().get(1), (int) features.shape().get(2));
      int a = anchors.size();
      RpnHead.Outputs rpn = RpnHead.build(backbone.layers(), features, generator.anchorsPerCell(), 64);
      Ops tf = Ops.create(g);
      Placeholder<TInt32> rpnLabels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, a)));
      Placeholder<TFloat32> rpnClassWeights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, a)));
      Placeholder<TFloat32> rpnBoxTargets = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, a, 4)));
      Placeholder<TFloat32> rpnBoxWeights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, a)));
      Placeholder<TFloat32> boxes = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
      Placeholder<TInt32> boxImage = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt32> labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat32> classWeight = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TFloat32> boxTargets = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, CLASSES, 4)));
      Placeholder<TFloat32> boxWeights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, CLASSES)));
      BoxClassifier.Outputs second = BoxClassifier.build(backbone, boxes, boxImage, 8, CLASSES);
      Operand<TFloat32> loss = tf.math.add(
          RpnHead.loss(tf, rpn, rpnLabels, rpnClassWeights, rpnBoxTargets, rpnBoxWeights, 2f, 1f).total(),
          BoxClassifier.loss(tf, second, labels, classWeight, boxTargets, boxWeights, 2f, 1f).total());
      List<Op> train = TestGraphs.momentumStep(tf, backbone, loss, 0.02f);
      Operand<TFloat32> objectness = tf.nn.softmax(rpn.objectnessLogits());
      Operand<TFloat32> classProbabilities = tf.nn.softmax(second.classLogits());

      try (Session s = new Session(g)) {
        s.initialize();
        double before = ap50(s, data, anchors, backbone, objectness, rpn, boxes, boxImage, classProbabilities,
            second);
        for (int epoch = 0; epoch < 60; epoch++) {
          for (int i = 0; i < images.size(); i++) {
            SyntheticImage image = images.get(i);
            List<CornerBox> gt = image.objects().stream().map(o -> CornerBox.fromXywh(o.box())).toList();
            int[] gtClasses = image.objects().stream().mapToInt(o -> o.kind().ordinal()).toArray();
            long seed = 1000L * epoch + i;
            RpnTargets rt = RpnTargets.assign(anchors, gt, window, ArgMaxMatcher.rpn(),
                BalancedPositiveNegativeSampler.rpn(), coder, seed);
            List<ScoredBox> props = propose(s, image, anchors, backbone, objectness, rpn);
            SecondStageTargets st = SecondStageTargets.assign(props.stream().map(ScoredBox::box).toList(), gt,
                gtClasses, CLASSES, ArgMaxMatcher.secondStage(), new BalancedPositiveNegativeSampler(16, 0.25, true),
                coder, seed);
            int n = st.boxes().size();
            List<Tensor> tensors = new ArrayList<>();
            try {
              Session.Runner runner = s.runner()
                  .feed(backbone.images(), keep(tensors, TestImages.pixels(image)))
                  .feed(rpnLabels, keep(tensors, TInt32.tensorOf(Shape.of(1, a), DataBuffers.of(rt.labels(), true,
                      false))))
                  .feed(rpnClassWeights, keep(tensors, floats(rt.classWeights(), 1, a)))
                  .feed(rpnBoxTargets, keep(tensors, floats(rt.boxTargets(), 1, a, 4)))
                  .feed(rpnBoxWeights, keep(tensors, floats(rt.boxWeights(), 1, a)))
                  .feed(boxes, keep(tensors, normalized(st.boxes())))
                  .feed(boxImage, keep(tensors, imageIndex(n)))
                  .feed(labels, keep(tensors, TInt32.tensorOf(Shape.of(n), DataBuffers.of(st.labels(), true,
                      false))))
                  .feed(classWeight, keep(tensors, TFloat32.scalarOf(st.classWeight())))
                  .feed(boxTargets, keep(tensors, floats(st.boxTargets(), n, CLASSES, 4)))
                  .feed(boxWeights, keep(tensors, floats(st.boxWeights(), n, CLASSES)));
              train.forEach(runner::addTarget);
              runner.run().close();
            } finally {
              tensors.forEach(Tensor::close);
            }
          }
        }
        double after = ap50(s, data, anchors, backbone, objectness, rpn, boxes, boxImage, classProbabilities,
            second);
        LoggerFactory.getLogger(FasterRcnnTrainingTest.class).info("AP50 on the training shapes: {} -> {}", before,
            after);
        assertThat(after).as("AP50 before %s, after %s", before, after).isGreaterThan(0.5)
            .isGreaterThan(before + 0.3);
      }
    }
  }

  private static <T extends Tensor> T keep(List<Tensor> tensors, T t) {
    tensors.add(t);
    return t;
  }

  /** Every proposal is on image 0 of the batch (a new tensor's memory is not zeroed, so fill it). */
  private static TInt32 imageIndex(int n) {
    return TInt32.tensorOf(Shape.of(n), DataBuffers.of(new int[n], true, false));
  }

  private static TFloat32 floats(float[] values, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  private static TFloat32 normalized(List<CornerBox> list) {
    float[] v = new float[list.size() * 4];
    for (int i = 0; i < list.size(); i++) {
      CornerBox b = list.get(i);
      v[4 * i] = (float) (b.ymin() / SIZE);
      v[4 * i + 1] = (float) (b.xmin() / SIZE);
      v[4 * i + 2] = (float) (b.ymax() / SIZE);
      v[4 * i + 3] = (float) (b.xmax() / SIZE);
    }
    return floats(v, list.size(), 4);
  }

  private List<ScoredBox> propose(Session s, SyntheticImage image, List<CornerBox> anchors, TwoStageBackbone backbone,
      Operand<TFloat32> objectness, RpnHead.Outputs rpn) {
    TestGraphs.RpnReadout out = TestGraphs.readRpn(s, image, backbone, objectness, rpn.boxCodes(), anchors.size());
    return proposals.generate(anchors, out.objectProbability(), out.codes(), window);
  }

  /** Detections the inference way on every image, then COCO AP50 against the dataset's ground truth. */
  private double ap50(Session s, ShapesDataset data, List<CornerBox> anchors, TwoStageBackbone backbone,
      Operand<TFloat32> objectness, RpnHead.Outputs rpn, Placeholder<TFloat32> boxes, Placeholder<TInt32> boxImage,
      Operand<TFloat32> classProbabilities, BoxClassifier.Outputs second) {
    List<CocoDetection> detections = new ArrayList<>();
    for (SyntheticImage image : data.images()) {
      List<CornerBox> props = propose(s, image, anchors, backbone, objectness, rpn).stream().map(ScoredBox::box)
          .toList();
      int n = props.size();
      try (TFloat32 pixels = TestImages.pixels(image); TFloat32 b = normalized(props);
          TInt32 idx = imageIndex(n);
          Result r = s.runner().feed(backbone.images(), pixels).feed(boxes, b).feed(boxImage, idx)
              .fetch(classProbabilities).fetch(second.boxCodes()).run()) {
        TFloat32 probs = (TFloat32) r.get(0);
        TFloat32 codes = (TFloat32) r.get(1);
        for (int c = 0; c < CLASSES; c++) {
          List<CornerBox> decoded = new ArrayList<>();
          double[] scores = new double[n];
          for (int p = 0; p < n; p++) {
            decoded.add(BoxOps.clip(coder.decode(new BoxCode(codes.getFloat(p, c, 0), codes.getFloat(p, c, 1),
                codes.getFloat(p, c, 2), codes.getFloat(p, c, 3)), props.get(p)), window));
            scores[p] = probs.getFloat(p, c + 1);
          }
          int cls = c;
          BoxOps.nonMaxSuppression(decoded, scores, 0.6, 0.05, 20).forEach(k -> detections.add(new CocoDetection(
              image.info().id(), ShapeKind.values()[cls].categoryId(), decoded.get(k).toXywh(), scores[k])));
        }
      }
    }
    CocoSummary summary = CocoEvaluator.withDefaults().evaluate(data.coco(), detections).summary();
    return summary.ap50();
  }
}
