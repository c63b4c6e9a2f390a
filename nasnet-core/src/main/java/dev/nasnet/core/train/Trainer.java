package dev.nasnet.core.train;

import com.google.common.base.Preconditions;
import dev.nasnet.core.checkpoint.CheckpointReader;
import dev.nasnet.core.checkpoint.Checkpoints;
import dev.nasnet.core.checkpoint.TrainingState;
import dev.nasnet.core.data.Batch;
import dev.nasnet.core.data.BatchSource;
import dev.nasnet.core.data.DataPipeline;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.NasNetModel;
import dev.nasnet.core.runtime.GraphSession;
import dev.nasnet.core.runtime.SessionOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Trains a NASNet classifier: the training graph and its session, and the {@link TrainingLoop.Task} the one
 * training loop drives (batches, learning rate, drop-path progress and step seed fed each step; validation after
 * each epoch; checkpoints). Close it to free native memory.
 *
 * <p>A run directory holds {@code ckpt-<step>.*} checkpoints (model, optimizer slots, weight averages) and
 * {@code state.json} naming the latest. Resuming restores the variables, starts the data pipeline at the same
 * batch, and feeds the same step seeds, so the resumed run repeats the uninterrupted one.
 *
 * <p>With {@link TrainingConfig#devices()} above 1 it trains data-parallel towers (see {@link TrainingGraph}); on
 * CPUs the session gets that many virtual CPU devices.
 */
public final class Trainer implements AutoCloseable {
  public static final String STATE_FILE = TrainingState.FILE;
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final NasNetConfig model;
  private final TrainingConfig config;
  private final OpLibrary ops;
  private final GraphSession tf;
  private final TrainingGraph graph;

  public Trainer(NasNetConfig model, TrainingConfig config) {
    this(model, config, OpLibrary.standard());
  }

  /** Builds the training graph and initialises its variables; refuses a batch whose activations cannot fit. */
  public Trainer(NasNetConfig model, TrainingConfig config, OpLibrary ops) {
    this.model = model;
    this.config = config;
    this.ops = ops;
    GraphSession.Built<TrainingGraph> built = GraphSession.build(g -> {
      TrainingGraph tg = new TrainingGraph(g, model, ops, config);
      checkActivationMemory(tg.model());
      return tg;
    }, sessionOptions(config));
    this.tf = built.holder().initialize();
    this.graph = built.model();
  }

  /**
   * The process-wide session options, with {@code devices} virtual CPU devices when the config puts its towers on
   * CPUs (GPU towers use the visible GPUs).
   */
  static SessionOptions sessionOptions(TrainingConfig config) {
    SessionOptions options = SessionOptions.defaults();
    if (config.devices() > 1 && "CPU".equals(config.deviceType())
        && options.cpuDevices() < config.devices()) {
      options = options.withCpuDevices(config.devices());
    }
    return options;
  }

  /** The training graph (model, loss, update). */
  public TrainingGraph graph() {
    return graph;
  }

  public Session session() {
    return tf.session();
  }

  /**
   * Refuses a batch whose activations cannot fit, before the session allocates anything: the backward pass keeps
   * every forward activation (and as much again for gradients), which no buffer reuse avoids.
   */
  private void checkActivationMemory(NasNetModel m) {
    long perImage = m.activationBytesPerImage();
    double need = 2.0 * perImage * config.batchSize();
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os && need > os.getTotalMemorySize()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "training %s (%s) with batch size %d "
          + "needs about %.1f GiB of activations (%.1f MiB an image, kept for the backward pass), more than this "
          + "machine's %.1f GiB: lower the batch size (--batch) or the network (--filters, --cells)",
          m.config().name(), m.config().notation(), config.batchSize(), need / (1L << 30), perImage / 1048576.0,
          os.getTotalMemorySize() / (double) (1L << 30)));
    }
  }

  /** The step recorded in a run directory's state, or 0 when it has none. */
  public static long savedStep(Path runDir) {
    return TrainingState.read(runDir).map(TrainingState::step).orElse(0L);
  }

  /** As {@link #fit(DataPipeline, DataPipeline, TrainingRun)} without validation. */
  public TrainingResult fit(DataPipeline train, TrainingRun run) {
    return fit(train, null, run);
  }

  /**
   * Trains for the config's steps through {@link TrainingLoop}, validating on {@code validation} (may be null)
   * after each epoch with the weight averages where the config keeps them.
   */
  public TrainingResult fit(DataPipeline train, DataPipeline validation, TrainingRun run) {
    Preconditions.checkArgument(train.batchSize() == config.batchSize(),
        "pipeline batch size %s differs from the training config's %s", train.batchSize(), config.batchSize());
    Preconditions.checkArgument(train.data().numClasses() <= model.numClasses(),
        "the data has %s classes but the network only %s", train.data().numClasses(), model.numClasses());
    try (Evaluator evaluator = validation == null ? null : new Evaluator(model, ops)) {
      EvalResult[] lastEval = new EvalResult[1];
      TrainingLoop.Outcome out = TrainingLoop.run(new TrainingLoop.Task<Batch>() {
        @Override
        public Session session() {
          return tf.session();
        }

        @Override
        public List<ModelVariable> checkpointVariables() {
          return graph.checkpointVariables();
        }

        @Override
        public BatchSource<Batch> batches(long fromStep) {
          return train.batches(fromStep);
        }

        @Override
        public int stepsPerEpoch() {
          return train.batchesPerEpoch();
        }

        @Override
        public List<String> metricColumns() {
          return MetricsLog.CLASSIFIER_COLUMNS;
        }

        @Override
        public StepMetrics step(Batch batch, long step, double learningRate) {
          return Trainer.this.step(batch, step, learningRate);
        }

        @Override
        public Map<String, Double> validate(long step) {
          if (evaluator == null) {
            return Map.of();
          }
          evaluator.loadFrom(tf.session(), graph, !graph.averages().isEmpty());
          lastEval[0] = evaluator.evaluate(validation);
          return lastEval[0].asMetrics();
        }

        @Override
        public void startFresh(TrainingRun r) {
          if (r.initFrom() != null) {
            initialize(r.initFrom());
          }
        }
      }, config.loopSettings(), run);
      return new TrainingResult(out.lastStep(), out.last() == null ? Double.NaN : out.last().loss(), lastEval[0],
          out.checkpoint(), out.seconds());
    } catch (IOException e) {
      throw new UncheckedIOException("training run in " + run.directory() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * One optimisation step on {@code b}: feeds the learning rate, drop-path progress ({@code step / totalSteps}),
   * the step seed and the weight-average decay.
   *
   * @return the total loss and the batch's top-1 accuracy ({@code top1})
   */
  public StepMetrics step(Batch b, long step, double lr) {
    double progress = (double) step / config.totalSteps();
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(b.size(), b.height(), b.width(), b.channels()),
            DataBuffers.of(b.images(), true, false));
        TInt32 y = TInt32.tensorOf(Shape.of(b.size()), DataBuffers.of(b.labels(), true, false));
        TFloat32 rate = TFloat32.scalarOf((float) lr);
        TFloat32 prog = TFloat32.scalarOf((float) progress);
        TInt64 seed = TInt64.scalarOf(step);
        TFloat32 decay = TFloat32.scalarOf((float) Math.min(config.movingAverageDecay(), (1.0 + step) / (10.0 + step)))) {
      Session.Runner r = tf.session().runner().feed(graph.model().images(), x).feed(graph.labels(), y)
          .feed(graph.learningRate(), rate).feed(graph.model().dropPathProgress().orElseThrow(), prog)
          .feed(graph.model().randomStep().orElseThrow(), seed).addTarget(graph.trainOp()).fetch(graph.loss())
          .fetch(graph.correct());
      graph.emaDecay().ifPresent(p -> r.feed(p, decay));
      try (Result res = r.run()) {
        double loss = ((TFloat32) res.get(0)).getFloat();
        double correct = ((TFloat32) res.get(1)).getFloat();
        return StepMetrics.of(loss, Map.of("top1", correct / b.size()), b.size());
      }
    }
  }

  /** Loads a checkpoint's weights, leaving classifier layers whose class count differs freshly initialised. */
  private void initialize(Path checkpoint) {
    CheckpointReader reader = CheckpointReader.open(checkpoint);
    List<ModelVariable> load = graph.model().variables().stream().filter(v -> !isMismatchedHead(reader, v)).toList();
    Checkpoints.restore(tf.session(), load, checkpoint);
    LOG.info("initialised {} of {} variables from {}", load.size(), graph.model().variables().size(), checkpoint);
  }

  private static boolean isMismatchedHead(CheckpointReader reader, ModelVariable v) {
    if (!(v.name().contains("FC/weights") || v.name().contains("FC/biases"))) {
      return false;
    }
    for (String key : List.of(v.name() + Checkpoints.EMA_SUFFIX, v.name())) {
      if (reader.contains(key)) {
        long[] stored = reader.entries().get(key).shape();
        return !Arrays.equals(stored, v.shape()) && stored[stored.length - 1] != v.shape()[v.shape().length - 1] + 1;
      }
    }
    return true;
  }

  @Override
  public void close() {
    tf.close();
  }
}
