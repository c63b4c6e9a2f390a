package dev.nasnet.detection.model;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.core.model.NasNetConfigJson;
import dev.nasnet.detection.anchors.GridAnchorGenerator;
import dev.nasnet.detection.data.CocoCategory;
import java.util.ArrayList;
import java.util.List;

/** {@link FasterRcnnConfig} as JSON ({@code nasnet-detector/1}): what a model directory's detector.json holds. */
public final class FasterRcnnConfigJson {
  public static final String FORMAT = "nasnet-detector/1";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private FasterRcnnConfigJson() {}

  public static String toJson(FasterRcnnConfig c) {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("name", c.name());
    o.add("backbone", NasNetConfigJson.toTree(c.backbone()));
    o.addProperty("split_cell", c.splitCell());
    GridAnchorGenerator a = c.anchors();
    JsonObject anchors = new JsonObject();
    anchors.add("scales", doubles(a.scales()));
    anchors.add("aspect_ratios", doubles(a.aspectRatios()));
    anchors.add("base_size", doubles(ImmutableDoubleArray.of(a.baseHeight(), a.baseWidth())));
    anchors.add("stride", doubles(ImmutableDoubleArray.of(a.strideY(), a.strideX())));
    anchors.add("offset", doubles(ImmutableDoubleArray.of(a.offsetY(), a.offsetX())));
    o.add("anchors", anchors);
    o.addProperty("rpn_depth", c.rpnDepth());
    o.addProperty("rpn_minibatch", c.rpnMinibatch());
    o.addProperty("rpn_positive_fraction", c.rpnPositiveFraction());
    o.addProperty("proposal_nms_iou", c.proposalNmsIou());
    o.addProperty("max_proposals", c.maxProposals());
    o.addProperty("crop_size", c.cropSize());
    o.addProperty("second_stage_batch", c.secondStageBatch());
    o.addProperty("second_stage_positive_fraction", c.secondStagePositiveFraction());
    LossWeights w = c.lossWeights();
    JsonObject weights = new JsonObject();
    weights.addProperty("rpn_localization", w.rpnLocalization());
    weights.addProperty("rpn_objectness", w.rpnObjectness());
    weights.addProperty("localization", w.localization());
    weights.addProperty("classification", w.classification());
    o.add("loss_weights", weights);
    PostProcessing p = c.postProcessing();
    JsonObject post = new JsonObject();
    post.addProperty("score_threshold", p.scoreThreshold());
    post.addProperty("nms_iou", p.nmsIou());
    post.addProperty("max_per_class", p.maxPerClass());
    post.addProperty("max_total", p.maxTotal());
    o.add("post_processing", post);
    JsonArray cats = new JsonArray();
    for (CocoCategory cat : c.categories()) {
      JsonObject j = new JsonObject();
      j.addProperty("id", cat.id());
      j.addProperty("name", cat.name());
      j.addProperty("supercategory", cat.supercategory());
      cats.add(j);
    }
    o.add("categories", cats);
    return GSON.toJson(o);
  }

  /**
   * @param where names the source (the file) in error messages
   * @throws IllegalArgumentException naming the source and the missing or bad field
   */
  public static FasterRcnnConfig fromJson(String json, String where) {
    try {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      String format = get(o, "format", where).getAsString();
      if (!FORMAT.equals(format)) {
        throw new IllegalArgumentException(where + ": format '" + format + "', expected '" + FORMAT + "'");
      }
      JsonObject a = get(o, "anchors", where).getAsJsonObject();
      double[] base = doubles(get(a, "base_size", where));
      double[] stride = doubles(get(a, "stride", where));
      double[] offset = doubles(get(a, "offset", where));
      GridAnchorGenerator anchors = new GridAnchorGenerator(ImmutableDoubleArray.copyOf(doubles(get(a, "scales",
          where))), ImmutableDoubleArray.copyOf(doubles(get(a, "aspect_ratios", where))), base[0], base[1],
          stride[0], stride[1], offset[0], offset[1]);
      JsonObject w = get(o, "loss_weights", where).getAsJsonObject();
      JsonObject p = get(o, "post_processing", where).getAsJsonObject();
      List<CocoCategory> categories = new ArrayList<>();
      for (JsonElement e : get(o, "categories", where).getAsJsonArray()) {
        JsonObject c = e.getAsJsonObject();
        categories.add(new CocoCategory(get(c, "id", where).getAsInt(), get(c, "name", where).getAsString(),
            c.has("supercategory") && !c.get("supercategory").isJsonNull() ? c.get("supercategory").getAsString()
                : ""));
      }
      return FasterRcnnConfig.builder().name(get(o, "name", where).getAsString())
          .backbone(NasNetConfigJson.fromTree(get(o, "backbone", where).getAsJsonObject(), where + " backbone"))
          .splitCell(get(o, "split_cell", where).getAsInt()).anchors(anchors)
          .rpnDepth(get(o, "rpn_depth", where).getAsInt())
          .rpnMinibatch(get(o, "rpn_minibatch", where).getAsInt(), get(o, "rpn_positive_fraction", where)
              .getAsDouble())
          .proposalNmsIou(get(o, "proposal_nms_iou", where).getAsDouble())
          .maxProposals(get(o, "max_proposals", where).getAsInt())
          .cropSize(get(o, "crop_size", where).getAsInt())
          .secondStageBatch(get(o, "second_stage_batch", where).getAsInt())
          .secondStagePositiveFraction(get(o, "second_stage_positive_fraction", where).getAsDouble())
          .lossWeights(new LossWeights(get(w, "rpn_localization", where).getAsFloat(),
              get(w, "rpn_objectness", where).getAsFloat(), get(w, "localization", where).getAsFloat(),
              get(w, "classification", where).getAsFloat()))
          .postProcessing(new PostProcessing(get(p, "score_threshold", where).getAsDouble(),
              get(p, "nms_iou", where).getAsDouble(), get(p, "max_per_class", where).getAsInt(),
              get(p, "max_total", where).getAsInt()))
          .categories(categories).build();
    } catch (RuntimeException e) {
      // Whatever the JSON or a config's own checks object to, the message names the file.
      if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new IllegalArgumentException(where + ": not a detector config: " + e.getMessage(), e);
    }
  }

  private static JsonArray doubles(ImmutableDoubleArray values) {
    JsonArray out = new JsonArray();
    values.forEach(out::add);
    return out;
  }

  private static double[] doubles(JsonElement e) {
    JsonArray arr = e.getAsJsonArray();
    double[] out = new double[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).getAsDouble();
    }
    return out;
  }

  private static JsonElement get(JsonObject o, String key, String where) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      throw new IllegalArgumentException(where + ": detector config lacks '" + key + "'");
    }
    return e;
  }
}
