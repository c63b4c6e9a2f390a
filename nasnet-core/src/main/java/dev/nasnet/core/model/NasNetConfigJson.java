package dev.nasnet.core.model;

import static dev.nasnet.core.json.JsonForm.field;
import static dev.nasnet.core.json.JsonForm.optional;
import static dev.nasnet.core.json.JsonForm.value;

import com.google.common.collect.ImmutableList;
import com.google.gson.JsonObject;
import dev.nasnet.core.graph.PoolPadding;
import dev.nasnet.core.json.JsonForm;
import dev.nasnet.core.spec.CellSpecJson;
import java.util.Arrays;

/**
 * A {@link NasNetConfig} as JSON, cells included in the cell DSL's JSON form: what a saved model directory records so
 * the same network can be rebuilt to restore its checkpoint. Written and read from one field list; reading names the
 * missing field. Files of version 0.1 also hold the training settings the config then carried (drop path, dropout,
 * weight decay, batch-norm decay, total steps); they are ignored, as they do not change what the network computes.
 */
public final class NasNetConfigJson {
  private static final JsonForm<NasNetConfig, NasNetConfig.Builder> FORM = new JsonForm<>("network config",
      ImmutableList.of(
          field("name", c -> value(c.name()), (b, e) -> b.name(e.getAsString())),
          field("normal_cell", c -> CellSpecJson.toTree(c.normalCell()),
              (b, e) -> b.normalCell(CellSpecJson.fromTree(e))),
          optional("reduction_cell", c -> c.hasReductionCell() ? CellSpecJson.toTree(c.reductionCell()) : null,
              (b, e) -> b.reductionCell(CellSpecJson.fromTree(e))),
          field("stem", c -> value(c.stem().name()), (b, e) -> b.stem(Stem.valueOf(e.getAsString()))),
          field("image_size", c -> value(c.imageSize()), (b, e) -> b.imageSize(e.getAsInt())),
          field("image_channels", c -> value(c.imageChannels()), (b, e) -> b.imageChannels(e.getAsInt())),
          field("num_cells", c -> value(c.numCells()), (b, e) -> b.numCells(e.getAsInt())),
          field("num_conv_filters", c -> value(c.numConvFilters()), (b, e) -> b.numConvFilters(e.getAsInt())),
          field("stem_multiplier", c -> value(c.stemMultiplier()), (b, e) -> b.stemMultiplier(e.getAsDouble())),
          field("filter_scaling_rate", c -> value(c.filterScalingRate()),
              (b, e) -> b.filterScalingRate(e.getAsDouble())),
          field("num_reduction_layers", c -> value(c.numReductionLayers()),
              (b, e) -> b.numReductionLayers(e.getAsInt())),
          field("skip_reduction_layer_input", c -> value(c.skipReductionLayerInput()),
              (b, e) -> b.skipReductionLayerInput(e.getAsBoolean())),
          field("aux_head", c -> value(c.auxHead()), (b, e) -> b.auxHead(e.getAsBoolean())),
          field("batch_norm_epsilon", c -> value(c.batchNormEpsilon()), (b, e) -> b.batchNormEpsilon(e.getAsFloat())),
          // Written since pool padding became an option; files from before are slim's SAME (the builder's default).
          optional("pool_padding", c -> value(c.poolPadding().name()), (b, e) -> b.poolPadding(poolPadding(e.getAsString()))),
          field("num_classes", c -> value(c.numClasses()), (b, e) -> b.numClasses(e.getAsInt())),
          field("seed", c -> value(c.seed()), (b, e) -> b.seed(e.getAsLong()))));

  private NasNetConfigJson() {}

  public static JsonObject toTree(NasNetConfig c) {
    return FORM.write(c);
  }

  /** @param where names the source in error messages, e.g. the file */
  public static NasNetConfig fromTree(JsonObject o, String where) {
    try {
      // A file without reduction_cell describes a PNASNet-style network: no reduction cell, not the default one.
      return FORM.read(o, NasNetConfig.builder().reductionCell(null), where).build();
    } catch (RuntimeException e) {
      // JSON of the wrong kind or a value the config's own checks refuse: either way the message names the file.
      if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new IllegalArgumentException(where + ": bad network config: " + e.getMessage(), e);
    }
  }

  private static PoolPadding poolPadding(String value) {
    for (PoolPadding p : PoolPadding.values()) {
      if (p.name().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("network config has pool_padding '" + value + "'; known: "
        + Arrays.toString(PoolPadding.values()));
  }
}
