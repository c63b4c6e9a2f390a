package dev.nasnet.core.train;

import com.google.common.base.Preconditions;
import dev.nasnet.core.checkpoint.Checkpoints;
import dev.nasnet.core.checkpoint.RunDirectory;
import dev.nasnet.core.checkpoint.TrainingState;
import dev.nasnet.core.data.BatchSource;
import dev.nasnet.core.graph.ModelVariable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Session;

/**
 * The one training loop every trainer runs: prepares the run directory, resumes from its last checkpoint (restoring
 * every variable and starting the batches at the same step, so a resumed run repeats the uninterrupted one), feeds
 * the learning-rate schedule, averages the step metrics over a logging window into {@code metrics.csv} and
 * TensorBoard events, validates after each epoch, checkpoints crash-safely, stops a run whose loss turns NaN or
 * explodes, and draws the learning curves at the end. A trainer supplies only a {@link Task}.
 */
public final class TrainingLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

  /** What a trainer hands the loop. */
  public interface Task<B> {
    Session session();

    /** Everything a resumable checkpoint holds: weights, optimizer slots, averages. */
    List<ModelVariable> checkpointVariables();

    /** Batches from step {@code fromStep} on, in the order an uninterrupted run would see them. */
    BatchSource<B> batches(long fromStep);

    int stepsPerEpoch();

    /** Metric columns of {@code metrics.csv}, starting with {@code loss}. */
    List<String> metricColumns();

    /** One optimisation step. */
    StepMetrics step(B batch, long step, double learningRate);

    /** Metrics on held-out data after an epoch (and the last step); empty when the trainer does not validate. */
    default Map<String, Double> validate(long step) {
      return Map.of();
    }

    /** A new run (not resumed) starts: e.g. load {@code run.initFrom()}. */
    default void startFresh(TrainingRun run) {}

    /** File names besides the common ones that belong to this kind of run, e.g. a detector's config. */
    default Set<String> extraRunFiles() {
      return Set.of();
    }

    /** After the directory is prepared and before the first step: write what the run needs beside it. */
    default void prepared(Path dir) throws IOException {}
  }

  /** Length, schedule and bookkeeping of a loop; each trainer's config gives its own. */
  public record Settings(long totalSteps, LearningRateSchedule schedule, int logEvery, long checkpointEvery) {
    public Settings {
      Preconditions.checkArgument(totalSteps > 0, "total steps must be positive, got %s", totalSteps);
      Preconditions.checkNotNull(schedule, "schedule");
      Preconditions.checkArgument(logEvery > 0, "logEvery must be positive, got %s", logEvery);
      Preconditions.checkArgument(checkpointEvery >= 0, "checkpointEvery must not be negative");
    }
  }

  /**
   * What a run did.
   *
   * @param firstStep the step it started (resumed) at
   * @param last the last step's metrics, or null when nothing was left to run
   * @param validation the last validation metrics, empty without validation
   * @param checkpoint the last checkpoint's prefix, or null without a run directory
   */
  public record Outcome(long firstStep, long lastStep, StepMetrics last, Map<String, Double> validation,
      Path checkpoint, double seconds) {}

  private TrainingLoop() {}

  public static <B> Outcome run(Task<B> task, Settings settings, TrainingRun run) throws IOException {
    Path dir = run.directory();
    if (dir != null) {
      RunDirectory.prepare(dir, run.start(), task.extraRunFiles());
    }
    long t0 = System.nanoTime();
    long start = 0;
    Optional<TrainingState> saved = run.resume() ? TrainingState.read(dir) : Optional.empty();
    Path checkpoint = null;
    if (saved.isPresent()) {
      start = saved.get().step();
      checkpoint = saved.get().checkpoint();
      Checkpoints.restore(task.session(), task.checkpointVariables(), checkpoint, Checkpoints.NamePolicy.EXACT);
      LOG.info("resumed {} at step {} of {}", dir, start, settings.totalSteps());
    } else {
      task.startFresh(run);
    }
    if (dir != null) {
      task.prepared(dir);
    }
    Outcome outcome;
    try (MetricsLog metrics = dir == null ? null : new MetricsLog(dir, start, task.metricColumns())) {
      outcome = loop(task, settings, run, metrics, start, checkpoint, t0);
    }
    if (dir != null && run.plot()) {
      LearningCurvePlot.write(dir.resolve(MetricsLog.CSV), dir.resolve(LearningCurvePlot.FILE),
          dir.getFileName() == null ? "training" : dir.getFileName().toString());
    }
    return outcome;
  }

  private static <B> Outcome loop(Task<B> task, Settings settings, TrainingRun run, MetricsLog metrics,
      long start, Path checkpoint, long t0) {
    int perEpoch = task.stepsPerEpoch();
    long total = settings.totalSteps();
    Window window = new Window();
    DivergenceGuard guard = new DivergenceGuard(run.divergenceFactor());
    StepMetrics last = null;
    Map<String, Double> validation = Map.of();
    try (BatchSource<B> batches = task.batches(start)) {
      for (long step = start; step < total; step++) {
        double lr = settings.schedule().at(step);
        last = task.step(batches.next(), step, lr);
        guard.check(last.loss(), step, lr);
        window.add(last);
        run.listener().onStep(step + 1, total, last, window.examplesPerSecond());
        boolean end = step + 1 == total;
        double epoch = (step + 1.0) / perEpoch;
        if ((step + 1) % settings.logEvery() == 0 || end) {
          if (metrics != null) {
            metrics.append(new MetricsLog.Row(step + 1, epoch, "train", window.means(), lr,
                window.examplesPerSecond(), seconds(t0)));
          }
          LOG.debug("step {}/{}: {}", step + 1, total, window.means());
          window = new Window();
        }
        if ((step + 1) % perEpoch == 0 || end) {
          Map<String, Double> v = task.validate(step + 1);
          if (!v.isEmpty()) {
            validation = v;
            run.listener().onValidation(step + 1, v);
            LOG.info("step {} (epoch {}): validation {}", step + 1, String.format(Locale.ROOT, "%.2f", epoch), v);
            if (metrics != null) {
              metrics.append(new MetricsLog.Row(step + 1, epoch, "validation", v, Double.NaN, Double.NaN,
                  seconds(t0)));
            }
          }
        }
        if (run.directory() != null
            && (end || (settings.checkpointEvery() > 0 && (step + 1) % settings.checkpointEvery() == 0))) {
          checkpoint = checkpoint(task, run.directory(), step + 1);
        }
      }
    }
    return new Outcome(start, total, last, validation, checkpoint, seconds(t0));
  }

  private static Path checkpoint(Task<?> task, Path dir, long step) {
    Checkpoints.save(task.session(), task.checkpointVariables(), TrainingState.checkpointPrefix(dir, step));
    return TrainingState.record(dir, step).checkpoint();
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Example-weighted means of the step metrics since the last log row, and the rate examples went through. */
  private static final class Window {
    private final long started = System.nanoTime();
    private final Map<String, Double> sums = new HashMap<>();
    private final LinkedHashMap<String, Double> order = new LinkedHashMap<>();
    private double lossSum;
    private long examples;

    void add(StepMetrics m) {
      lossSum += m.loss() * m.examples();
      m.values().forEach((k, v) -> {
        sums.merge(k, v * m.examples(), Double::sum);
        order.putIfAbsent(k, 0.0);
      });
      examples += m.examples();
    }

    Map<String, Double> means() {
      Map<String, Double> out = new LinkedHashMap<>();
      out.put(MetricsLog.LOSS, lossSum / examples);
      order.keySet().forEach(k -> out.put(k, sums.get(k) / examples));
      return out;
    }

    double examplesPerSecond() {
      return examples / ((System.nanoTime() - started) / 1e9);
    }
  }

  /**
   * Stops a run whose loss is not finite or has grown beyond {@code factor} times the first step's: such a run
   * will not recover, and continuing wastes the budget and reports a meaningless success.
   */
  private static final class DivergenceGuard {
    private final double factor;
    private double first = Double.NaN;

    DivergenceGuard(double factor) {
      this.factor = factor;
    }

    void check(double loss, long step, double lr) {
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException(String.format(Locale.ROOT, "loss became %s at step %d (learning rate %s); "
            + "lower the learning rate or clip gradients", loss, step, lr));
      }
      if (Double.isNaN(first)) {
        first = loss;
      } else if (factor > 0 && first > 0 && loss > factor * first) {
        throw new IllegalStateException(String.format(Locale.ROOT, "training diverged: loss %.4g at step %d is "
            + "more than %.0fx the first step's %.4g (learning rate %s); lower the learning rate or clip gradients "
            + "(or raise the guard with TrainingRun.withDivergenceFactor / --divergence-factor)", loss, step,
            factor, first, lr));
      }
    }
  }
}
