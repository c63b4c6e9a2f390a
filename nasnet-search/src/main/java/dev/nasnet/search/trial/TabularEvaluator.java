package dev.nasnet.search.trial;

import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Rewards from a benchmark table such as NAS-Bench-Macro: architecture key (e.g. {@code "02012100"}) to its mean
 * test accuracy. Evaluation is a lookup, so strategies can be compared over many seeds in milliseconds.
 */
public final class TabularEvaluator {
  private final ImmutableMap<String, Double> accuracy;

  private TabularEvaluator(ImmutableMap<String, Double> accuracy) {
    this.accuracy = accuracy;
  }

  /** Reads a NAS-Bench-Macro style JSON: {@code {"key": {"mean_acc": m, ...}, ...}}. */
  public static TabularEvaluator read(Path json) {
    try (Reader r = Files.newBufferedReader(json)) {
      JsonObject root = JsonParser.parseReader(r).getAsJsonObject();
      ImmutableMap.Builder<String, Double> b = ImmutableMap.builder();
      for (Map.Entry<String, JsonElement> e : root.entrySet()) {
        JsonObject entry = e.getValue().getAsJsonObject();
        if (!entry.has("mean_acc")) {
          throw new IllegalArgumentException(json + ": entry '" + e.getKey() + "' has no mean_acc");
        }
        b.put(e.getKey(), entry.get("mean_acc").getAsDouble());
      }
      return new TabularEvaluator(b.build());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read benchmark table " + json + ": " + e.getMessage(), e);
    }
  }

  public int size() {
    return accuracy.size();
  }

  public OptionalDouble lookup(String key) {
    Double v = accuracy.get(key);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The table's best value, for reporting regret. */
  public double best() {
    return accuracy.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
