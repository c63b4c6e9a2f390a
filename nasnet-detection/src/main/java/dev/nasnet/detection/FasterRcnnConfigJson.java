package dev.nasnet.detection;

import static dev.nasnet.core.json.JsonForm.field;
import static dev.nasnet.core.json.JsonForm.value;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableDoubleArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.core.json.JsonFields;
import dev.nasnet.core.json.JsonForm;
import dev.nasnet.core.model.NasNetConfigJson;
import dev.nasnet.detection.boxes.GridAnchorGenerator;
import dev.nasnet.detection.data.CocoCategory;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FasterRcnnConfig} as JSON ({@code nasnet-detector/1}): what a model directory's detector.json holds, written
 * and read from one field list.
 */
public final class FasterRcnnConfigJson {
  public static final String FORMAT = "nasnet-detector/1";
  private static final String WHAT = "detector config";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** The fields after {@code format}; {@code where} of nested objects is the file's, passed through the builder. */
  private static final JsonForm<FasterRcnnConfig, Reading> FORM = new JsonForm<>(WHAT, ImmutableList.of(
      field("name", c -> value(c.name()), (r, e) -> r.b.name(e.getAsString())),
      field("backbone", c -> NasNetConfigJson.toTree(c.backbone()),
          (r, e) -> r.b.backbone(NasNetConfigJson.fromTree(e.getAsJsonObject(), r.where + " backbone"))),
      field("split_cell", c -> value(c.splitCell()), (r, e) -> r.b.splitCell(e.getAsInt())),
      field("anchors", c -> anchors(c.anchors()), (r, e) -> r.b.anchors(anchors(e.getAsJsonObject(), r.where))),
      field("rpn_depth", c -> value(c.rpnDepth()), (r, e) -> r.b.rpnDepth(e.getAsInt())),
      field("rpn_minibatch", c -> value(c.rpnMinibatch()), (r, e) -> r.b.rpnMinibatch(e.getAsInt())),
      field("rpn_positive_fraction", c -> value(c.rpnPositiveFraction()),
          (r, e) -> r.b.rpnPositiveFraction(e.getAsDouble())),
      field("proposal_nms_iou", c -> value(c.proposalNmsIou()), (r, e) -> r.b.proposalNmsIou(e.getAsDouble())),
      field("max_proposals", c -> value(c.maxProposals()), (r, e) -> r.b.maxProposals(e.getAsInt())),
      field("crop_size", c -> value(c.cropSize()), (r, e) -> r.b.cropSize(e.getAsInt())),
      field("second_stage_batch", c -> value(c.secondStageBatch()), (r, e) -> r.b.secondStageBatch(e.getAsInt())),
      field("second_stage_positive_fraction", c -> value(c.secondStagePositiveFraction()),
          (r, e) -> r.b.secondStagePositiveFraction(e.getAsDouble())),
      field("loss_weights", c -> lossWeights(c.lossWeights()),
          (r, e) -> r.b.lossWeights(lossWeights(e.getAsJsonObject(), r.where))),
      field("post_processing", c -> postProcessing(c.postProcessing()),
          (r, e) -> r.b.postProcessing(postProcessing(e.getAsJsonObject(), r.where))),
      field("categories", c -> categories(c.categories()),
          (r, e) -> r.b.categories(categories(e.getAsJsonArray(), r.where)))));

  /** The builder being filled and the source's name for messages from nested objects. */
  private record Reading(FasterRcnnConfig.Builder b, String where) {}

  private FasterRcnnConfigJson() {}

  public static String toJson(FasterRcnnConfig c) {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    FORM.write(c).entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
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
      return FORM.read(o, new Reading(FasterRcnnConfig.builder(), where), where).b().build();
    } catch (RuntimeException e) {
      // Whatever the JSON or a config's own checks object to, the message names the file.
      if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new IllegalArgumentException(where + ": not a detector config: " + e.getMessage(), e);
    }
  }

  private static JsonObject anchors(GridAnchorGenerator a) {
    JsonObject anchors = new JsonObject();
    anchors.add("scales", doubles(a.scales()));
    anchors.add("aspect_ratios", doubles(a.aspectRatios()));
    anchors.add("base_size", doubles(ImmutableDoubleArray.of(a.baseHeight(), a.baseWidth())));
    anchors.add("stride", doubles(ImmutableDoubleArray.of(a.strideY(), a.strideX())));
    anchors.add("offset", doubles(ImmutableDoubleArray.of(a.offsetY(), a.offsetX())));
    return anchors;
  }

  private static GridAnchorGenerator anchors(JsonObject a, String where) {
    double[] base = doubles(get(a, "base_size", where));
    double[] stride = doubles(get(a, "stride", where));
    double[] offset = doubles(get(a, "offset", where));
    return new GridAnchorGenerator(ImmutableDoubleArray.copyOf(doubles(get(a, "scales", where))),
        ImmutableDoubleArray.copyOf(doubles(get(a, "aspect_ratios", where))), base[0], base[1], stride[0], stride[1],
        offset[0], offset[1]);
  }

  private static JsonObject lossWeights(LossWeights w) {
    JsonObject weights = new JsonObject();
    weights.addProperty("rpn_localization", w.rpnLocalization());
    weights.addProperty("rpn_objectness", w.rpnObjectness());
    weights.addProperty("localization", w.localization());
    weights.addProperty("classification", w.classification());
    return weights;
  }

  private static LossWeights lossWeights(JsonObject w, String where) {
    return new LossWeights(get(w, "rpn_localization", where).getAsFloat(),
        get(w, "rpn_objectness", where).getAsFloat(), get(w, "localization", where).getAsFloat(),
        get(w, "classification", where).getAsFloat());
  }

  private static JsonObject postProcessing(PostProcessing p) {
    JsonObject post = new JsonObject();
    post.addProperty("score_threshold", p.scoreThreshold());
    post.addProperty("nms_iou", p.nmsIou());
    post.addProperty("max_per_class", p.maxPerClass());
    post.addProperty("max_total", p.maxTotal());
    return post;
  }

  private static PostProcessing postProcessing(JsonObject p, String where) {
    return new PostProcessing(get(p, "score_threshold", where).getAsDouble(), get(p, "nms_iou", where).getAsDouble(),
        get(p, "max_per_class", where).getAsInt(), get(p, "max_total", where).getAsInt());
  }

  private static JsonArray categories(List<CocoCategory> categories) {
    JsonArray cats = new JsonArray();
    for (CocoCategory cat : categories) {
      JsonObject j = new JsonObject();
      j.addProperty("id", cat.id());
      j.addProperty("name", cat.name());
      j.addProperty("supercategory", cat.supercategory());
      cats.add(j);
    }
    return cats;
  }

  private static List<CocoCategory> categories(JsonArray array, String where) {
    List<CocoCategory> categories = new ArrayList<>();
    for (JsonElement e : array) {
      JsonObject c = e.getAsJsonObject();
      categories.add(new CocoCategory(get(c, "id", where).getAsInt(), get(c, "name", where).getAsString(),
          c.has("supercategory") && !c.get("supercategory").isJsonNull() ? c.get("supercategory").getAsString()
              : ""));
    }
    return categories;
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
    return JsonFields.required(o, key, where + ": " + WHAT);
  }
}
