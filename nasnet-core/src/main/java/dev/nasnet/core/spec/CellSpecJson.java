package dev.nasnet.core.spec;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.nasnet.core.json.JsonFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The stable JSON form of a cell: keys always in the same order, so equal specs give equal text.
 *
 * <pre>{@code
 * {
 *   "format": "nasnet-cell/1",
 *   "name": "nasnet_a_normal",
 *   "blocks": [
 *     {"left": {"input": 0, "op": "separable_5x5_2"}, "right": {"input": 1, "op": "separable_3x3_2"}, "combine": "add"},
 *     ...
 *   ],
 *   "outputs": [1, 2, 3, 4, 5, 6]
 * }
 * }</pre>
 */
public final class CellSpecJson {
  public static final String FORMAT = "nasnet-cell/1";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private CellSpecJson() {}

  public static String toJson(CellSpec spec) {
    return GSON.toJson(toTree(spec));
  }

  public static JsonObject toTree(CellSpec spec) {
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    root.addProperty("name", spec.name());
    JsonArray blocks = new JsonArray();
    for (Block b : spec.blocks()) {
      JsonObject block = new JsonObject();
      block.add("left", branch(b.left()));
      block.add("right", branch(b.right()));
      block.addProperty("combine", b.combine().jsonName());
      blocks.add(block);
    }
    root.add("blocks", blocks);
    JsonArray outputs = new JsonArray();
    spec.outputs().forEach(outputs::add);
    root.add("outputs", outputs);
    return root;
  }

  /**
   * Parses the JSON form.
   *
   * @throws InvalidCellSpecException naming the JSON path of the first bad or missing field, or the block at fault
   */
  public static CellSpec fromJson(String json) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new InvalidCellSpecException("cell JSON is not well-formed: " + e.getMessage(), e);
    }
    return fromTree(root);
  }

  public static CellSpec fromTree(JsonElement root) {
    JsonObject obj = object(root, "$");
    if (obj.has("format")) {
      String format = string(obj.get("format"), "$.format");
      if (!FORMAT.equals(format)) {
        throw new InvalidCellSpecException("$.format: unsupported cell format '" + format + "', expected '"
            + FORMAT + "'");
      }
    }
    String name = string(required(obj, "name", "$"), "$.name");
    JsonArray blocksJson = array(required(obj, "blocks", "$"), "$.blocks");
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < blocksJson.size(); i++) {
      String path = "$.blocks[" + i + "]";
      JsonObject b = object(blocksJson.get(i), path);
      Branch left = branch(required(b, "left", path), path + ".left");
      Branch right = branch(required(b, "right", path), path + ".right");
      Combine combine;
      try {
        combine = b.has("combine") ? Combine.fromJsonName(string(b.get("combine"), path + ".combine")) : Combine.ADD;
      } catch (IllegalArgumentException e) {
        throw new InvalidCellSpecException(path + ".combine: " + e.getMessage(), e);
      }
      blocks.add(new Block(left, right, combine));
    }
    if (!obj.has("outputs")) {
      return new CellSpec(name, blocks, CellSpec.unconsumedStates(blocks));
    }
    JsonArray outputsJson = array(obj.get("outputs"), "$.outputs");
    List<Integer> outputs = new ArrayList<>();
    for (int i = 0; i < outputsJson.size(); i++) {
      outputs.add(integer(outputsJson.get(i), "$.outputs[" + i + "]"));
    }
    return new CellSpec(name, blocks, outputs);
  }

  private static JsonObject branch(Branch branch) {
    JsonObject o = new JsonObject();
    o.addProperty("input", branch.input());
    o.addProperty("op", branch.op());
    return o;
  }

  private static Branch branch(JsonElement e, String path) {
    JsonObject o = object(e, path);
    return new Branch(integer(required(o, "input", path), path + ".input"),
        string(required(o, "op", path), path + ".op"));
  }

  private static JsonElement required(JsonObject o, String key, String path) {
    return JsonFields.required(o, key, () -> new InvalidCellSpecException(path + ": missing field '" + key + "'"));
  }

  private static JsonObject object(JsonElement e, String path) {
    if (!e.isJsonObject()) {
      throw new InvalidCellSpecException(path + ": expected an object, found " + e);
    }
    return e.getAsJsonObject();
  }

  private static JsonArray array(JsonElement e, String path) {
    if (!e.isJsonArray()) {
      throw new InvalidCellSpecException(path + ": expected an array, found " + e);
    }
    return e.getAsJsonArray();
  }

  private static String string(JsonElement e, String path) {
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new InvalidCellSpecException(path + ": expected a string, found " + e);
    }
    return e.getAsString();
  }

  private static int integer(JsonElement e, String path) {
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      double d = p.getAsDouble();
      if (d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw new InvalidCellSpecException(path + ": expected a whole number, found " + e);
  }
}
