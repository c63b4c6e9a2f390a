package dev.nasnet.core.train;

import dev.nasnet.core.runtime.TensorFlowRuntime;
import com.google.common.base.Preconditions;
import dev.nasnet.core.checkpoint.CheckpointReader;
import dev.nasnet.core.checkpoint.Checkpoints;
import dev.nasnet.core.checkpoint.RunDirectory;
import dev.nasnet.core.checkpoint.RunDirectory.StartMode;
import dev.nasnet.core.checkpoint.TrainingState;
import dev.nasnet.core.data.Batch;
import dev.nasnet.core.data.DataPipeline;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.model.NasNetConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Trains a network: feeds batches, the learning rate, drop-path progress and the step seed; logs metrics; evaluates
 * on a validation split after each epoch; checkpoints.
 *
 * <p>A run directory holds {@code ckpt-<step>.*} checkpoints (model, optimizer slots, weight averages) and
 * {@code state.json} naming the latest. Each checkpoint is complete before {@code state.json} points at it, so a
 * crash at any moment leaves a resumable run. Resuming restores the variables, starts the data pipeline at the same
 * batch, and feeds the same step seeds, so the resumed run repeats the uninterrupted one.
 */
public final class Trainer {
  public static final String STATE_FILE = TrainingState.FILE;
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final NasNetConfig model;
  private final TrainingConfig config;
  private final OpLibrary ops;

  public Trainer(NasNetConfig model, TrainingConfig config) {
    this(model, config, OpLibrary.standard());
  }

  public Trainer(NasNetConfig model, TrainingConfig config, OpLibrary ops) {
    this.model = model;
    this.config = config;
    this.ops = ops;
  }

  /**
   * Options of one {@link #fit} call. A directory that already holds a run is refused unless the run is resumed or
   * overwritten ({@link RunDirectory}).
   */
  public record Run(Path directory, StartMode start, Path initFrom, TrainingListener listener) {
    public static Run in(Path directory) {
      return new Run(directory, StartMode.NEW, null, TrainingListener.NONE);
    }

    /** Continues the run in the directory from its last checkpoint; fails if it holds none. */
    public Run resuming() {
      return new Run(directory, StartMode.RESUME, initFrom, listener);
    }

    /** Deletes the run the directory holds (its checkpoints, state, metrics and events) and starts again. */
    public Run overwriting() {
      return new Run(directory, StartMode.OVERWRITE, initFrom, listener);
    }

    public boolean resume() {
      return start == StartMode.RESUME;
    }

    /** Starts from a checkpoint's weights; classifier layers whose class count differs start fresh. */
    public Run initializedFrom(Path checkpoint) {
      return new Run(directory, start, checkpoint, listener);
    }

    public Run withListener(TrainingListener l) {
      return new Run(directory, start, initFrom, l);
    }
  }

  /**
   * Refuses a batch whose activations cannot fit, before the session allocates anything: the backward pass keeps
   * every forward activation (and as much again for gradients), which no buffer reuse avoids.
   */
  private void checkActivationMemory(dev.nasnet.core.model.NasNetModel m) {
    long perImage = m.activationBytesPerImage();
    double need = 2.0 * perImage * config.batchSize();
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os && need > os.getTotalMemorySize()) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "training %s (%s) with batch size %d "
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

  public TrainingResult fit(DataPipeline train, DataPipeline validation, Run run) {
    Preconditions.checkArgument(train.batchSize() == config.batchSize(),
        "pipeline batch size %s differs from the training config's %s", train.batchSize(), config.batchSize());
    Preconditions.checkArgument(train.data().numClasses() <= model.numClasses(),
        "the data has %s classes but the network only %s", train.data().numClasses(), model.numClasses());
    if (run.directory() != null) {
      RunDirectory.prepare(run.directory(), run.start(), java.util.Set.of());
    }
    long t0 = System.nanoTime();
    try (Graph graph = TensorFlowRuntime.newGraph()) {
      TrainingGraph tg = new TrainingGraph(graph, model, ops, config);
      checkActivationMemory(tg.model());
      try (Session session = new Session(graph);
          Evaluator evaluator = validation == null ? null : new Evaluator(model, ops)) {
        session.initialize();
        long start = 0;
        java.util.Optional<TrainingState> saved = run.resume() && run.directory() != null
            ? TrainingState.read(run.directory()) : java.util.Optional.empty();
        if (saved.isPresent()) {
          start = saved.get().step();
          Path ckpt = saved.get().checkpoint();
          Checkpoints.restore(session, tg.checkpointVariables(), ckpt, Checkpoints.NamePolicy.EXACT);
          LOG.info("resumed {} at step {} of {}", run.directory(), start, config.totalSteps());
        } else if (run.initFrom() != null) {
          initialize(session, tg, run.initFrom());
        }
        try (MetricsLog metrics = run.directory() == null ? null : new MetricsLog(run.directory(), start)) {
          return loop(session, tg, train, validation, evaluator, run, metrics, start, t0);
        }
      }
    }
  }

  private TrainingResult loop(Session session, TrainingGraph tg, DataPipeline train, DataPipeline validation,
      Evaluator evaluator, Run run, MetricsLog metrics, long start, long t0) {
    int perEpoch = train.batchesPerEpoch();
    double windowLoss = 0;
    double windowCorrect = 0;
    long windowImages = 0;
    long windowStart = System.nanoTime();
    double lastLoss = Double.NaN;
    EvalResult lastEval = null;
    Path lastCheckpoint = null;
    try (DataPipeline.Prefetcher batches = train.batches(start)) {
      for (long step = start; step < config.totalSteps(); step++) {
        Batch b = batches.next();
        double lr = config.schedule().at(step);
        float[] out = runStep(session, tg, b, step, lr);
        lastLoss = out[0];
        if (!Double.isFinite(lastLoss)) {
          throw new IllegalStateException("loss became " + lastLoss + " at step " + step + " (learning rate " + lr
              + "); lower the learning rate or clip gradients");
        }
        windowLoss += out[0] * b.size();
        windowCorrect += out[1];
        windowImages += b.size();
        double elapsed = (System.nanoTime() - windowStart) / 1e9;
        run.listener().onStep(step + 1, config.totalSteps(), out[0], out[1] / b.size(), windowImages / elapsed);
        boolean last = step + 1 == config.totalSteps();
        if ((step + 1) % config.logEvery() == 0 || last) {
          if (metrics != null) {
            metrics.append(new MetricsLog.Row(step + 1, (step + 1.0) / perEpoch, "train", windowLoss / windowImages,
                windowCorrect / windowImages, Double.NaN, lr, windowImages / elapsed, seconds(t0)));
          }
          windowLoss = 0;
          windowCorrect = 0;
          windowImages = 0;
          windowStart = System.nanoTime();
        }
        if (evaluator != null && ((step + 1) % perEpoch == 0 || last)) {
          evaluator.loadFrom(session, tg, !tg.averages().isEmpty());
          lastEval = evaluator.evaluate(validation);
          run.listener().onEvaluation(step + 1, lastEval);
          LOG.info("step {} (epoch {}): validation top-1 {} top-5 {} loss {}", step + 1,
              String.format("%.2f", (step + 1.0) / perEpoch), lastEval.top1(), lastEval.top5(), lastEval.loss());
          if (metrics != null) {
            metrics.append(new MetricsLog.Row(step + 1, (step + 1.0) / perEpoch, "validation", lastEval.loss(),
                lastEval.top1(), lastEval.top5(), Double.NaN, Double.NaN, seconds(t0)));
          }
        }
        if (run.directory() != null
            && (last || (config.checkpointEvery() > 0 && (step + 1) % config.checkpointEvery() == 0))) {
          lastCheckpoint = checkpoint(session, tg, run.directory(), step + 1);
        }
      }
    }
    return new TrainingResult(config.totalSteps(), lastLoss, lastEval, lastCheckpoint, seconds(t0));
  }

  private float[] runStep(Session session, TrainingGraph tg, Batch b, long step, double lr) {
    double progress = (double) step / config.totalSteps();
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(b.size(), b.height(), b.width(), b.channels()),
            DataBuffers.of(b.images(), true, false));
        TInt32 y = TInt32.tensorOf(Shape.of(b.size()), DataBuffers.of(b.labels(), true, false));
        TFloat32 rate = TFloat32.scalarOf((float) lr);
        TFloat32 prog = TFloat32.scalarOf((float) progress);
        TInt64 seed = TInt64.scalarOf(step);
        TFloat32 decay = TFloat32.scalarOf((float) Math.min(config.movingAverageDecay(), (1.0 + step) / (10.0 + step)))) {
      Session.Runner r = session.runner().feed(tg.model().images(), x).feed(tg.labels(), y)
          .feed(tg.learningRate(), rate).feed(tg.model().dropPathProgress().orElseThrow(), prog)
          .feed(tg.model().randomStep().orElseThrow(), seed).addTarget(tg.trainOp()).fetch(tg.loss())
          .fetch(tg.correct());
      tg.emaDecay().ifPresent(p -> r.feed(p, decay));
      try (Result res = r.run()) {
        return new float[] {((TFloat32) res.get(0)).getFloat(), ((TFloat32) res.get(1)).getFloat()};
      }
    }
  }

  /** Loads a checkpoint's weights, leaving classifier layers whose class count differs freshly initialised. */
  private static void initialize(Session session, TrainingGraph tg, Path checkpoint) {
    CheckpointReader reader = CheckpointReader.open(checkpoint);
    List<ModelVariable> load = tg.model().variables().stream().filter(v -> !isMismatchedHead(reader, v)).toList();
    Checkpoints.restore(session, load, checkpoint);
    LOG.info("initialised {} of {} variables from {}", load.size(), tg.model().variables().size(), checkpoint);
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

  private static Path checkpoint(Session session, TrainingGraph tg, Path dir, long step) {
    Checkpoints.save(session, tg.checkpointVariables(), TrainingState.checkpointPrefix(dir, step));
    return TrainingState.record(dir, step).checkpoint();
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
