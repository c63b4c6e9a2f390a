package dev.nasnet.core.model;

import com.google.common.collect.ImmutableMap;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Parameter counts, multiply-adds at batch 1 (conv, depthwise, pointwise and fully connected layers, as the paper
 * and slim count them) and the output shape of every endpoint, batch dimension left out.
 */
public record ModelSummary(String name, long trainableParameters, long nonTrainableParameters, long multiplyAdds,
    ImmutableMap<String, long[]> endpointShapes) {

  public long totalParameters() {
    return trainableParameters + nonTrainableParameters;
  }

  /** A table for people: one line per endpoint, then the totals. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(name).append('\n');
    sb.append(String.format(Locale.ROOT, "%-22s %s%n", "endpoint", "output shape (H x W x C)"));
    for (Map.Entry<String, long[]> e : endpointShapes.entrySet()) {
      sb.append(String.format(Locale.ROOT, "%-22s %s%n", e.getKey(), shape(e.getValue())));
    }
    sb.append(String.format(Locale.ROOT, "trainable parameters:     %,15d%n", trainableParameters));
    sb.append(String.format(Locale.ROOT, "non-trainable parameters: %,15d%n", nonTrainableParameters));
    sb.append(String.format(Locale.ROOT, "total parameters:         %,15d%n", totalParameters()));
    sb.append(String.format(Locale.ROOT, "multiply-adds (batch 1):  %,15d%n", multiplyAdds));
    return sb.toString();
  }

  private static String shape(long[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(" x ");
      }
      sb.append(dims[i]);
    }
    return dims.length == 0 ? "scalar" : sb.toString();
  }

  @Override
  public String toString() {
    return name + ": " + trainableParameters + " trainable + " + nonTrainableParameters + " non-trainable, "
        + multiplyAdds + " multiply-adds, endpoints " + endpointShapes.keySet()
        + (endpointShapes.isEmpty() ? "" : " last " + Arrays.toString(endpointShapes.values().asList()
            .get(endpointShapes.size() - 1)));
  }
}
