package dev.nasnet.core.train;

import com.google.common.base.Preconditions;
import dev.nasnet.core.checkpoint.RunDirectory;
import dev.nasnet.core.checkpoint.RunDirectory.StartMode;
import java.nio.file.Path;

/**
 * Where and how one {@code fit} call runs, the same for every trainer. A directory that already holds a run is
 * refused unless the run is resumed or overwritten ({@link RunDirectory}).
 *
 * @param directory checkpoints, {@code state.json}, {@code metrics.csv}, TensorBoard events and the learning-curve
 *     PNG; null to keep nothing
 * @param initFrom a checkpoint whose weights a new run starts from, or null
 * @param divergenceFactor stop when a step's loss exceeds this multiple of the first step's loss (a run that
 *     explodes without reaching NaN); 0 turns the guard off
 * @param plot draw {@code learning_curves.png} at the end
 */
public record TrainingRun(Path directory, StartMode start, Path initFrom, TrainingListener listener,
    double divergenceFactor, boolean plot) {
  public static final double DEFAULT_DIVERGENCE_FACTOR = 100;

  public TrainingRun {
    Preconditions.checkNotNull(start, "start");
    Preconditions.checkNotNull(listener, "listener");
    Preconditions.checkArgument(divergenceFactor == 0 || divergenceFactor > 1,
        "divergence factor must be 0 (off) or above 1, got %s", divergenceFactor);
    Preconditions.checkArgument(start == StartMode.NEW || directory != null,
        "%s needs a run directory", start);
  }

  /** A new run in {@code directory}. */
  public static TrainingRun in(Path directory) {
    return new TrainingRun(directory, StartMode.NEW, null, TrainingListener.NONE, DEFAULT_DIVERGENCE_FACTOR, true);
  }

  /** A run that keeps nothing on disk (no checkpoints, metrics or resume). */
  public static TrainingRun inMemory() {
    return in(null);
  }

  /** Continues the run in the directory from its last checkpoint; fails if it holds none. */
  public TrainingRun resuming() {
    return new TrainingRun(directory, StartMode.RESUME, initFrom, listener, divergenceFactor, plot);
  }

  /** Deletes the run the directory holds (its checkpoints, state, metrics and events) and starts again. */
  public TrainingRun overwriting() {
    return new TrainingRun(directory, StartMode.OVERWRITE, initFrom, listener, divergenceFactor, plot);
  }

  public TrainingRun startingAs(StartMode mode) {
    return new TrainingRun(directory, mode, initFrom, listener, divergenceFactor, plot);
  }

  public boolean resume() {
    return start == StartMode.RESUME;
  }

  /** Starts from a checkpoint's weights; classifier layers whose class count differs start fresh. */
  public TrainingRun initializedFrom(Path checkpoint) {
    return new TrainingRun(directory, start, checkpoint, listener, divergenceFactor, plot);
  }

  public TrainingRun withListener(TrainingListener l) {
    return new TrainingRun(directory, start, initFrom, l, divergenceFactor, plot);
  }

  public TrainingRun withDivergenceFactor(double factor) {
    return new TrainingRun(directory, start, initFrom, listener, factor, plot);
  }

  /** Skips the learning-curve PNG (e.g. for thousands of search trials). */
  public TrainingRun withoutPlot() {
    return new TrainingRun(directory, start, initFrom, listener, divergenceFactor, false);
  }
}
