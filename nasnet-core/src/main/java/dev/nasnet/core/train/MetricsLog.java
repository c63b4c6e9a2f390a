package dev.nasnet.core.train;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training metrics as {@code metrics.csv} and TensorBoard scalars in one run directory, for every trainer. The
 * columns are {@code step,epoch,split}, the trainer's metrics (always starting with {@code loss}), then
 * {@code learning_rate,images_per_second,wall_seconds}; numbers are written in {@link Locale#ROOT}. On resume, rows
 * after the checkpoint's step (written by the interrupted run after its last checkpoint) are dropped, so every step
 * appears once.
 */
public final class MetricsLog implements AutoCloseable {
  public static final String CSV = "metrics.csv";
  public static final String LOSS = "loss";
  /** The classifier's metric columns. */
  public static final List<String> CLASSIFIER_COLUMNS = List.of(LOSS, "top1", "top5");

  private final Path csv;
  private final ImmutableList<String> columns;
  private final EventFileWriter events;

  /**
   * One row: {@code split} is train, validation or test; a metric the row lacks, and NaN values, are left empty.
   */
  public record Row(long step, double epoch, String split, Map<String, Double> metrics, double learningRate,
      double imagesPerSecond, double wallSeconds) {}

  public MetricsLog(Path dir, long resumeStep, List<String> columns) {
    if (columns.isEmpty() || !columns.get(0).equals(LOSS)) {
      throw new IllegalArgumentException("metric columns must start with '" + LOSS + "', got " + columns);
    }
    this.columns = ImmutableList.copyOf(columns);
    try {
      Files.createDirectories(dir);
      csv = dir.resolve(CSV);
      List<String> keep = new ArrayList<>();
      keep.add(header());
      if (resumeStep > 0 && Files.exists(csv)) {
        for (String line : Files.readAllLines(csv)) {
          if (!line.startsWith("step") && !line.isBlank() && Long.parseLong(line.split(",", 2)[0]) <= resumeStep) {
            keep.add(line);
          }
        }
      }
      Files.write(csv, keep);
      events = new EventFileWriter(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open metrics in " + dir, e);
    }
  }

  private String header() {
    return "step,epoch,split," + String.join(",", columns) + ",learning_rate,images_per_second,wall_seconds";
  }

  public Path csv() {
    return csv;
  }

  public ImmutableList<String> columns() {
    return columns;
  }

  public void append(Row r) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d,%.4f,%s", r.step(), r.epoch(), r.split()));
    Map<String, Double> scalars = new LinkedHashMap<>();
    for (String c : columns) {
      double v = r.metrics().getOrDefault(c, Double.NaN);
      line.append(',').append(num(v));
      put(scalars, r.split() + "/" + c, v);
    }
    line.append(',').append(num(r.learningRate())).append(',').append(num(r.imagesPerSecond()))
        .append(String.format(Locale.ROOT, ",%.1f", r.wallSeconds()));
    put(scalars, "learning_rate", r.learningRate());
    put(scalars, r.split() + "/images_per_second", r.imagesPerSecond());
    try {
      Files.writeString(csv, line + "\n", StandardOpenOption.APPEND);
      events.scalars(r.step(), scalars);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics to " + csv, e);
    }
  }

  private static void put(Map<String, Double> m, String k, double v) {
    if (!Double.isNaN(v)) {
      m.put(k, v);
    }
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  @Override
  public void close() {
    try {
      events.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
