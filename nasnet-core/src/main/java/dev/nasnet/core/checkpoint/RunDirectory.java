package dev.nasnet.core.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for a training run's directory: a directory that holds a run is continued or started again only when
 * asked, and "continue" where there is nothing to continue is an error. Nothing a user made is deleted silently.
 *
 * <p>A run's own files are {@code state.json}, {@code metrics.csv}, {@code ckpt-*}, TensorBoard's
 * {@code events.out.tfevents.*} and any further names the caller lists (a detector's {@code detector.json}). Starting
 * again deletes exactly those; other files in the directory are left alone.
 */
public final class RunDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

  /** How a run treats its directory. */
  public enum StartMode {
    /** A new run: the directory must not hold one. */
    NEW,
    /** Continue the run the directory holds: it must hold one. */
    RESUME,
    /** Start again: the run the directory holds, if any, is deleted first. */
    OVERWRITE
  }

  private RunDirectory() {}

  /**
   * Applies the rule to {@code dir} before any work starts.
   *
   * @param extraRunFiles further file names this kind of run writes, deleted by {@link StartMode#OVERWRITE}
   * @throws IllegalStateException naming the directory, what it holds and how to continue or start again
   */
  public static void prepare(Path dir, StartMode mode, Set<String> extraRunFiles) {
    List<Path> runFiles = runFiles(dir, extraRunFiles);
    switch (mode) {
      case NEW -> {
        if (!runFiles.isEmpty()) {
          throw new IllegalStateException(dir + " already holds a run (" + describe(dir, runFiles)
              + "); continue it with --resume (Run.resuming() / StartMode.RESUME) or start again with --overwrite "
              + "(StartMode.OVERWRITE), or choose another directory");
        }
      }
      case RESUME -> {
        if (TrainingState.read(dir).isEmpty()) {
          throw new IllegalStateException("nothing to resume in " + dir + ": it has no " + TrainingState.FILE
              + (runFiles.isEmpty() ? "" : " (only " + describe(dir, runFiles) + ")")
              + "; start a new run without --resume");
        }
      }
      case OVERWRITE -> {
        for (Path p : runFiles) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + " to start the run again", e);
          }
        }
        if (!runFiles.isEmpty()) {
          LOG.info("--overwrite: deleted {} files of the previous run in {}", runFiles.size(), dir);
        }
      }
    }
  }

  private static List<Path> runFiles(Path dir, Set<String> extra) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> {
        String f = p.getFileName().toString();
        return f.equals(TrainingState.FILE) || f.equals("metrics.csv") || f.startsWith("ckpt-")
            || f.startsWith("events.out.tfevents.") || extra.contains(f);
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list run directory " + dir, e);
    }
  }

  private static String describe(Path dir, List<Path> files) {
    String state = TrainingState.read(dir).map(s -> TrainingState.FILE + " at step " + s.step()).orElse(null);
    String names = files.stream().map(p -> p.getFileName().toString()).limit(4)
        .reduce((a, b) -> a + ", " + b).orElse("");
    return (state != null ? state + "; " : "") + files.size() + " run files: " + names
        + (files.size() > 4 ? ", ..." : "");
  }
}
