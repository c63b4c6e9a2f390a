package dev.nasnet.core.train;

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
 * Training metrics as {@code metrics.csv} and TensorBoard scalars in one run directory. On resume, rows after the
 * checkpoint's step (written by the interrupted run after its last checkpoint) are dropped, so every step appears
 * once.
 */
public final class MetricsLog implements AutoCloseable {
  public static final String CSV = "metrics.csv";
  private static final String HEADER = "step,epoch,split,loss,top1,top5,learning_rate,images_per_second,wall_seconds";

  private final Path csv;
  private final EventFileWriter events;

  /** One row: {@code split} is train, validation or test; NaN where a value does not apply. */
  public record Row(long step, double epoch, String split, double loss, double top1, double top5,
      double learningRate, double imagesPerSecond, double wallSeconds) {}

  public MetricsLog(Path dir, long resumeStep) {
    try {
      Files.createDirectories(dir);
      csv = dir.resolve(CSV);
      List<String> keep = new ArrayList<>();
      keep.add(HEADER);
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

  public Path csv() {
    return csv;
  }

  public void append(Row r) {
    String line = String.format(Locale.ROOT, "%d,%.4f,%s,%s,%s,%s,%s,%s,%.1f", r.step(), r.epoch(), r.split(),
        num(r.loss()), num(r.top1()), num(r.top5()), num(r.learningRate()), num(r.imagesPerSecond()),
        r.wallSeconds());
    try {
      Files.writeString(csv, line + "\n", StandardOpenOption.APPEND);
      Map<String, Double> scalars = new LinkedHashMap<>();
      put(scalars, r.split() + "/loss", r.loss());
      put(scalars, r.split() + "/top1", r.top1());
      put(scalars, r.split() + "/top5", r.top5());
      put(scalars, "learning_rate", r.learningRate());
      put(scalars, r.split() + "/images_per_second", r.imagesPerSecond());
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
