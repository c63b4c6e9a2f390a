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
    ImmutableMap<String, long[]> endpointShapes, ImmutableMap<String, Long> scopeParameters) {

  /** The summary of {@code config}'s inference network with the standard ops. */
  public static ModelSummary of(NasNetConfig config) {
    return of(config, dev.nasnet.core.graph.OpLibrary.standard());
  }

  /**
   * The summary of {@code config}'s inference network. The counts come from the same builder that makes the real
   * network (user ops define their own variables, so nothing else could count them), into a private graph that is
   * closed at once: no session and no variable memory.
   */
  public static ModelSummary of(NasNetConfig config, dev.nasnet.core.graph.OpLibrary ops) {
    try (org.tensorflow.Graph g = dev.nasnet.core.runtime.TensorFlowRuntime.newGraph()) {
      return new NasNetBuilder(config, ops).build(g, dev.nasnet.core.graph.Mode.INFERENCE).summary();
    }
  }

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

  /**
   * The summary as JSON for scripts: name, parameter counts, multiply-adds, every endpoint's shape and the
   * parameters of each top-level scope (stem, each cell, the classifier).
   */
  public com.google.gson.JsonObject toJson() {
    com.google.gson.JsonObject o = new com.google.gson.JsonObject();
    o.addProperty("name", name);
    o.addProperty("trainable_parameters", trainableParameters);
    o.addProperty("non_trainable_parameters", nonTrainableParameters);
    o.addProperty("total_parameters", totalParameters());
    o.addProperty("multiply_adds", multiplyAdds);
    com.google.gson.JsonObject endpoints = new com.google.gson.JsonObject();
    endpointShapes.forEach((k, v) -> {
      com.google.gson.JsonArray a = new com.google.gson.JsonArray();
      for (long d : v) {
        a.add(d);
      }
      endpoints.add(k, a);
    });
    o.add("endpoints", endpoints);
    com.google.gson.JsonObject scopes = new com.google.gson.JsonObject();
    scopeParameters.forEach(scopes::addProperty);
    o.add("parameters_by_scope", scopes);
    return o;
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
