package dev.nasnet.detection.data;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * COCO results files: a JSON list of {@code {image_id, category_id, bbox: [x, y, w, h], score}}, the format
 * {@code COCO.loadRes} and the evaluation server take. Extra keys (segmentation, id, area) are ignored on read.
 */
public final class CocoResultsJson {

  private CocoResultsJson() {}

  /** @throws CocoFormatException naming the file and the entry index when an entry is unusable */
  public static ImmutableList<CocoDetection> read(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.toString());
    }
  }

  public static ImmutableList<CocoDetection> read(Reader reader, String source) {
    JsonElement root;
    try {
      root = JsonParser.parseReader(reader);
    } catch (JsonParseException e) {
      throw new CocoFormatException(source + ": not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isJsonArray()) {
      throw new CocoFormatException(source + ": a results file must be a JSON list of detections");
    }
    JsonArray array = root.getAsJsonArray();
    ImmutableList.Builder<CocoDetection> detections = ImmutableList.builderWithExpectedSize(array.size());
    for (int i = 0; i < array.size(); i++) {
      String where = source + ", detection[" + i + "]";
      JsonObject o = JsonFields.asObject(array.get(i), where);
      long imageId = JsonFields.requireLong(o, "image_id", where);
      int categoryId = JsonFields.requireInt(o, "category_id", where);
      XywhBox box = JsonFields.requireBox(o, "bbox", where);
      double score = JsonFields.requireFiniteDouble(o, "score", where);
      detections.add(new CocoDetection(imageId, categoryId, box, score));
    }
    return detections.build();
  }

  public static void write(List<CocoDetection> detections, Path file) throws IOException {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(detections, writer);
    }
  }

  /** Writes the list in the given order (order decides score ties in evaluation). */
  public static void write(List<CocoDetection> detections, Writer writer) throws IOException {
    Preconditions.checkNotNull(detections, "detections");
    JsonWriter json = new JsonWriter(writer);
    json.beginArray();
    for (CocoDetection d : detections) {
      json.beginObject();
      json.name("image_id").value(d.imageId());
      json.name("category_id").value(d.categoryId());
      json.name("bbox").beginArray();
      json.value(d.bbox().x()).value(d.bbox().y()).value(d.bbox().width()).value(d.bbox().height());
      json.endArray();
      json.name("score").value(d.score());
      json.endObject();
    }
    json.endArray();
    json.flush();
  }
}
