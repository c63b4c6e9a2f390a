package dev.nasnet.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.nasnet.core.graph.BatchNormSettings;
import dev.nasnet.core.graph.PoolPadding;
import dev.nasnet.core.spec.CellSpecJson;

/**
 * A {@link NasNetConfig} as JSON, cells included in the cell DSL's JSON form: what a saved model directory records so
 * the same network can be rebuilt to restore its checkpoint. Every field is written; reading names the missing field.
 */
public final class NasNetConfigJson {
  private NasNetConfigJson() {}

  public static JsonObject toTree(NasNetConfig c) {
    JsonObject o = new JsonObject();
    o.addProperty("name", c.name());
    o.add("normal_cell", CellSpecJson.toTree(c.normalCell()));
    if (c.hasReductionCell()) {
      o.add("reduction_cell", CellSpecJson.toTree(c.reductionCell()));
    }
    o.addProperty("stem", c.stem().name());
    o.addProperty("image_size", c.imageSize());
    o.addProperty("image_channels", c.imageChannels());
    o.addProperty("num_cells", c.numCells());
    o.addProperty("num_conv_filters", c.numConvFilters());
    o.addProperty("stem_multiplier", c.stemMultiplier());
    o.addProperty("filter_scaling_rate", c.filterScalingRate());
    o.addProperty("num_reduction_layers", c.numReductionLayers());
    o.addProperty("skip_reduction_layer_input", c.skipReductionLayerInput());
    o.addProperty("aux_head", c.auxHead());
    o.addProperty("drop_path_keep_prob", c.dropPathKeepProb());
    o.addProperty("dense_dropout_keep_prob", c.denseDropoutKeepProb());
    o.addProperty("total_training_steps", c.totalTrainingSteps());
    o.addProperty("batch_norm_decay", c.batchNorm().decay());
    o.addProperty("batch_norm_epsilon", c.batchNorm().epsilon());
    o.addProperty("pool_padding", c.poolPadding().name());
    o.addProperty("weight_decay", c.weightDecay());
    o.addProperty("num_classes", c.numClasses());
    o.addProperty("seed", c.seed());
    return o;
  }

  /** @param where names the source in error messages, e.g. the file */
  public static NasNetConfig fromTree(JsonObject o, String where) {
    try {
      return NasNetConfig.builder().name(get(o, "name", where).getAsString())
          .cells(CellSpecJson.fromTree(get(o, "normal_cell", where)),
              o.has("reduction_cell") ? CellSpecJson.fromTree(o.get("reduction_cell")) : null)
          .stem(Stem.valueOf(get(o, "stem", where).getAsString()))
          .imageSize(get(o, "image_size", where).getAsInt())
          .imageChannels(get(o, "image_channels", where).getAsInt())
          .numCells(get(o, "num_cells", where).getAsInt())
          .numConvFilters(get(o, "num_conv_filters", where).getAsInt())
          .stemMultiplier(get(o, "stem_multiplier", where).getAsDouble())
          .filterScalingRate(get(o, "filter_scaling_rate", where).getAsDouble())
          .numReductionLayers(get(o, "num_reduction_layers", where).getAsInt())
          .skipReductionLayerInput(get(o, "skip_reduction_layer_input", where).getAsBoolean())
          .auxHead(get(o, "aux_head", where).getAsBoolean())
          .dropPathKeepProb(get(o, "drop_path_keep_prob", where).getAsDouble())
          .denseDropoutKeepProb(get(o, "dense_dropout_keep_prob", where).getAsDouble())
          .totalTrainingSteps(get(o, "total_training_steps", where).getAsLong())
          .batchNorm(new BatchNormSettings(get(o, "batch_norm_decay", where).getAsFloat(),
              get(o, "batch_norm_epsilon", where).getAsFloat()))
          // Written since pool padding became an option; files from before are slim's SAME.
          .poolPadding(o.has("pool_padding") ? poolPadding(o.get("pool_padding").getAsString(), where)
              : PoolPadding.SAME)
          .weightDecay(get(o, "weight_decay", where).getAsDouble())
          .numClasses(get(o, "num_classes", where).getAsInt())
          .seed(get(o, "seed", where).getAsLong())
          .build();
    } catch (RuntimeException e) {
      // JSON of the wrong kind or a value the config's own checks refuse: either way the message names the file.
      if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new IllegalArgumentException(where + ": bad network config: " + e.getMessage(), e);
    }
  }

  private static PoolPadding poolPadding(String value, String where) {
    for (PoolPadding p : PoolPadding.values()) {
      if (p.name().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(where + ": network config has pool_padding '" + value + "'; known: "
        + java.util.Arrays.toString(PoolPadding.values()));
  }

  private static JsonElement get(JsonObject o, String key, String where) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      throw new IllegalArgumentException(where + ": network config lacks '" + key + "'");
    }
    return e;
  }
}
