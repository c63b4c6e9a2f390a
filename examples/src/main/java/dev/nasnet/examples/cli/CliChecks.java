package dev.nasnet.examples.cli;

import dev.nasnet.core.checkpoint.RunDirectory;

/**
 * Range checks for command-line options, run before any work: each message names the option, the value given and
 * the range allowed, instead of a "/ by zero" or a TensorFlow shape error much later.
 */
final class CliChecks {
  private CliChecks() {}

  static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
    }
  }

  static void inRange(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ", got " + value);
    }
  }

  /** A finite number in [min, max]; {@code minInclusive} false makes it (min, max]. */
  static void inRange(String option, double value, double min, boolean minInclusive, double max) {
    boolean ok = Double.isFinite(value) && (minInclusive ? value >= min : value > min) && value <= max;
    if (!ok) {
      throw new IllegalArgumentException(option + " must be a number in " + (minInclusive ? "[" : "(") + min + ", "
          + max + "], got " + value);
    }
  }

  static void positive(String option, double value) {
    if (!Double.isFinite(value) || value <= 0) {
      throw new IllegalArgumentException(option + " must be a positive number, got " + value);
    }
  }

  static void multipleOf(String option, long value, long step) {
    if (value < step || value % step != 0) {
      throw new IllegalArgumentException(option + " must be a positive multiple of " + step + ", got " + value);
    }
  }

  /** --resume and --overwrite exclude each other; neither means a new run. */
  static RunDirectory.StartMode startMode(boolean resume, boolean overwrite) {
    if (resume && overwrite) {
      throw new IllegalArgumentException("--resume continues the run and --overwrite deletes it: give one");
    }
    return resume ? RunDirectory.StartMode.RESUME
        : overwrite ? RunDirectory.StartMode.OVERWRITE : RunDirectory.StartMode.NEW;
  }
}
