package dev.nasnet.detection;

import dev.nasnet.detection.graph.DetectorTrainingGraph;
import dev.nasnet.detection.graph.FirstStage;

import com.google.common.base.Preconditions;
import dev.nasnet.core.checkpoint.Checkpoints;
import dev.nasnet.core.data.BatchSource;
import dev.nasnet.core.data.EpochOrder;
import dev.nasnet.core.runtime.GraphSession;
import dev.nasnet.core.train.StepMetrics;
import dev.nasnet.core.train.TrainingLoop;
import dev.nasnet.core.train.TrainingRun;
import dev.nasnet.core.checkpoint.TrainingState;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.image.ImageResizer;
import dev.nasnet.detection.rpn.RpnTargetAssigner;
import dev.nasnet.detection.rpn.RpnTargets;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import dev.nasnet.detection.dataset.DetectionDataset;
import dev.nasnet.detection.dataset.DetectionExample;
import dev.nasnet.detection.dataset.TrainingSample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Trains a {@link FasterRcnnConfig} detector: images, boxes and labels in, the named losses out. Each step resizes the
 * images to the input size (boxes scaled alike), flips half of them, assigns the RPN's targets in Java (they depend
 * only on anchors and ground truth), then makes one session run that computes the proposals, assigns the second
 * stage's targets to them in the graph (the matcher and sampler as graph ops, held by the tests to the Java ones),
 * and takes one momentum step on all four losses: the first stage runs once per step.
 * {@link #fit} runs it in the one {@link TrainingLoop}: epochs, metrics, crash-safe checkpoints and resuming.
 */
public final class FasterRcnnTrainer implements AutoCloseable {
  /** What {@link #fit} did: steps run in this call, the last losses, the checkpoint, wall time. */
  public record Summary(long firstStep, long lastStep, StepLosses lastLosses, Path checkpoint, double seconds) {}

  private static final Logger LOG = LoggerFactory.getLogger(FasterRcnnTrainer.class);
  private static final FasterRcnnBoxCoder CODER = FirstStage.CODER;

  private final FasterRcnnConfig config;
  private final DetectorTrainingConfig training;
  private final GraphSession tf;
  private final DetectorTrainingGraph model;
  private final Session session;
  private final ImageResizer resizer;
  private final RpnTargetAssigner rpnTargets;

  public FasterRcnnTrainer(FasterRcnnConfig config, DetectorTrainingConfig training) {
    this.config = config;
    this.training = training;
    GraphSession.Built<DetectorTrainingGraph> built = GraphSession.build(g -> new DetectorTrainingGraph(g, config,
        training.batchSize(), training.momentum(), training.clipGlobalNorm(), training.regularization()));
    tf = built.holder().initialize();
    model = built.model();
    session = tf.session();
    resizer = new ImageResizer(config.inputSize());
    rpnTargets = new RpnTargetAssigner(model.anchors, new CornerBox(0, 0, config.inputSize(), config.inputSize()),
        ArgMaxMatcher.rpn(), config.rpnSampler(), CODER);
  }

  public FasterRcnnConfig config() {
    return config;
  }

  /**
   * One training step on exactly {@code batchSize} samples.
   *
   * @param step the global step: seeds the samplers, flips and drop path
   */
  public StepLosses step(List<TrainingSample> batch, long step, double learningRate) {
    Preconditions.checkArgument(batch.size() == model.batchSize, "a step takes %s images, got %s",
        model.batchSize, batch.size());
    int b = batch.size();
    int s = config.inputSize();
    int a = model.anchors.size();
    int classes = config.numClasses();
    float[] pixels = new float[b * s * s * 3];
    List<List<CornerBox>> truth = new ArrayList<>();
    List<int[]> truthClasses = new ArrayList<>();
    Random flips = new Random(training.seed() * 1_000_003L + step);
    for (int i = 0; i < b; i++) {
      TrainingSample sample = batch.get(i);
      for (int k = 0; k < sample.truth().classes().length(); k++) {
        Preconditions.checkArgument(sample.truth().classes().get(k) < classes, "%s, box %s: class %s is outside "
            + "the detector's 0..%s", sample.truth().image(), k, sample.truth().classes().get(k), classes - 1);
      }
      boolean flip = training.horizontalFlip() && flips.nextBoolean();
      System.arraycopy(resizer.resize(flip ? sample.image().flipHorizontally() : sample.image()), 0, pixels,
          i * s * s * 3, s * s * 3);
      truth.add(scaledBoxes(sample.truth(), flip));
      truthClasses.add(sample.truth().classes().toArray());
    }
    List<Tensor> tensors = new ArrayList<>();
    try {
      TFloat32 images = keep(tensors, TFloat32.tensorOf(Shape.of(b, s, s, 3), DataBuffers.of(pixels, true, false)));
      int[] rpnLabels = new int[b * a];
      float[] rpnClassWeights = new float[b * a];
      float[] rpnBoxTargets = new float[b * a * 4];
      float[] rpnBoxWeights = new float[b * a];
      long[] seeds = new long[b * 2];
      for (int i = 0; i < b; i++) {
        long seed = step * 7919L + i;
        RpnTargets rt = rpnTargets.assign(truth.get(i), seed);
        System.arraycopy(rt.labels(), 0, rpnLabels, i * a, a);
        System.arraycopy(rt.classWeights(), 0, rpnClassWeights, i * a, a);
        System.arraycopy(rt.boxTargets(), 0, rpnBoxTargets, i * a * 4, a * 4);
        System.arraycopy(rt.boxWeights(), 0, rpnBoxWeights, i * a, a);
        // The second stage samples in the graph, from the run's seed and this step and image.
        seeds[2 * i] = training.seed();
        seeds[2 * i + 1] = seed;
      }
      Session.Runner runner = session.runner().feed(model.images, images)
          .feed(model.rpnLabels, keep(tensors, ints(rpnLabels, b, a)))
          .feed(model.rpnClassWeights, keep(tensors, floats(rpnClassWeights, b, a)))
          .feed(model.rpnBoxTargets, keep(tensors, floats(rpnBoxTargets, b, a, 4)))
          .feed(model.rpnBoxWeights, keep(tensors, floats(rpnBoxWeights, b, a)))
          .feed(model.samplerSeeds, keep(tensors, TInt64.tensorOf(Shape.of(b, 2), DataBuffers.of(seeds, true,
              false))));
      for (int i = 0; i < b; i++) {
        List<CornerBox> gt = truth.get(i);
        runner.feed(model.groundTruthBoxes.get(i), keep(tensors, floats(CornerBox.flatten(gt), gt.size(), 4)))
            .feed(model.groundTruthClasses.get(i), keep(tensors, ints(truthClasses.get(i), gt.size())));
      }
      runner.feed(model.learningRate, keep(tensors, TFloat32.scalarOf((float) learningRate)))
          .feed(model.backbone.dropPathProgress(), keep(tensors,
              TFloat32.scalarOf((float) Math.min(1.0, (double) step / training.steps()))))
          .feed(model.backbone.randomStep(), keep(tensors, TInt64.scalarOf(step)))
          .addTarget(model.step);
      for (Operand<TFloat32> loss : List.of(model.rpnLocalization, model.rpnObjectness, model.localization,
          model.classification, model.regularization, model.total)) {
        runner.fetch(loss);
      }
      try (Result r = runner.run()) {
        double[] v = new double[6];
        for (int i = 0; i < 6; i++) {
          v[i] = ((TFloat32) r.get(i)).getFloat();
        }
        return new StepLosses(v[0], v[1], v[2], v[3], v[4], v[5]);
      }
    } catch (TensorFlowException e) {
      throw new IllegalStateException("TensorFlow failed in training step " + step + " on "
          + batch.stream().map(x -> x.truth().image()).toList() + ": " + e.getMessage(), e);
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /**
   * Trains for the config's steps over {@code data} (reshuffled each epoch) through {@link TrainingLoop}, writing
   * {@code detector.json}, {@code metrics.csv}, TensorBoard events, the learning curves and checkpoints into the
   * run's directory (required). A directory that holds a run is refused unless the run resumes it (from its last
   * checkpoint) or overwrites it.
   */
  public Summary fit(DetectionDataset data, TrainingRun run) throws IOException {
    Preconditions.checkArgument(run.directory() != null, "a detector run needs a model directory");
    Preconditions.checkArgument(data.size() >= training.batchSize(), "%s images cannot fill a batch of %s",
        data.size(), training.batchSize());
    int perEpoch = data.size() / training.batchSize();
    StepLosses[] last = new StepLosses[1];
    TrainingLoop.Outcome out = TrainingLoop.run(new TrainingLoop.Task<List<TrainingSample>>() {
      @Override
      public Session session() {
        return session;
      }

      @Override
      public List<ModelVariable> checkpointVariables() {
        return model.checkpointVariables();
      }

      @Override
      public BatchSource<List<TrainingSample>> batches(long fromStep) {
        return new BatchSource<>() {
          private long step = fromStep;

          @Override
          public List<TrainingSample> next() {
            int[] order = EpochOrder.shuffled(data.size(), training.seed(), step / perEpoch);
            int first = (int) (step % perEpoch) * training.batchSize();
            step++;
            List<TrainingSample> batch = new ArrayList<>();
            for (int i = 0; i < training.batchSize(); i++) {
              batch.add(data.sample(order[first + i], config.categories()));
            }
            return batch;
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public int stepsPerEpoch() {
        return perEpoch;
      }

      @Override
      public List<String> metricColumns() {
        return StepLosses.COLUMNS;
      }

      @Override
      public StepMetrics step(List<TrainingSample> batch, long step, double learningRate) {
        last[0] = FasterRcnnTrainer.this.step(batch, step, learningRate);
        return last[0].asMetrics(batch.size());
      }

      @Override
      public Set<String> extraRunFiles() {
        return Set.of(FasterRcnnDetector.CONFIG_FILE);
      }

      @Override
      public void prepared(Path dir) throws IOException {
        ModelDirectory.writeConfig(dir, config);
      }
    }, training.loopSettings(), run);
    return new Summary(out.firstStep(), out.lastStep(), last[0], out.checkpoint(), out.seconds());
  }

  /** Saves weights and optimizer state as {@code modelDir/ckpt-step} with its config, and records it. */
  public Path save(Path modelDir, long step) throws IOException {
    ModelDirectory.writeConfig(modelDir, config);
    Checkpoints.save(session, model.checkpointVariables(), TrainingState.checkpointPrefix(modelDir, step));
    return TrainingState.record(modelDir, step).checkpoint();
  }

  /** An inference detector holding this trainer's current weights (batch norm with its moving averages). */
  public FasterRcnnDetector detector() {
    FasterRcnnDetector detector = FasterRcnnDetector.create(config);
    try {
      Map<String, ModelVariable> byName = new HashMap<>();
      model.variables.forEach(v -> byName.put(v.name(), v));
      detector.copyFrom(session, byName);
      return detector;
    } catch (RuntimeException e) {
      detector.close();
      throw e;
    }
  }

  /** Ground truth in the input frame: scaled from the image's size, mirrored when the image is. */
  private List<CornerBox> scaledBoxes(DetectionExample truth, boolean flip) {
    double sy = (double) config.inputSize() / truth.height();
    double sx = (double) config.inputSize() / truth.width();
    List<CornerBox> out = new ArrayList<>();
    for (CornerBox b : truth.boxes()) {
      double xmin = flip ? truth.width() - b.xmax() : b.xmin();
      double xmax = flip ? truth.width() - b.xmin() : b.xmax();
      out.add(new CornerBox(b.ymin() * sy, xmin * sx, b.ymax() * sy, xmax * sx));
    }
    return out;
  }

  private static <T extends Tensor> T keep(List<Tensor> tensors, T t) {
    tensors.add(t);
    return t;
  }

  private static TFloat32 floats(float[] values, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  private static TInt32 ints(int[] values, long... shape) {
    return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  @Override
  public void close() {
    resizer.close();
    tf.close();
  }
}
