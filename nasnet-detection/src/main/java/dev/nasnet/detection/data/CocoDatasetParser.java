package dev.nasnet.detection.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns a COCO instances JSON into a {@link CocoDataset}, naming the file and entry on every error. */
final class CocoDatasetParser {

  private CocoDatasetParser() {}

  static CocoDataset parse(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    }
  }

  static CocoDataset parse(Reader reader, String source) {
    JsonElement root;
    try {
      root = JsonParser.parseReader(reader);
    } catch (JsonParseException e) {
      throw new CocoFormatException(source + ": not valid JSON: " + e.getMessage(), e);
    }
    JsonObject top = JsonFields.asObject(root, source);
    List<CocoImage> images = new ArrayList<>();
    JsonArray imageArray = JsonFields.requireArray(top, "images", source);
    for (int i = 0; i < imageArray.size(); i++) {
      String where = source + ", images[" + i + "]";
      JsonObject o = JsonFields.asObject(imageArray.get(i), where);
      long id = JsonFields.requireLong(o, "id", where);
      where = where + " (id " + id + ")";
      int width = JsonFields.optionalInt(o, "width", 0, where);
      int height = JsonFields.optionalInt(o, "height", 0, where);
      if (width < 0 || height < 0) {
        throw new CocoFormatException(where + ": negative image size " + width + " x " + height);
      }
      images.add(new CocoImage(id, JsonFields.optionalString(o, "file_name", where), width, height));
    }
    List<CocoCategory> categories = new ArrayList<>();
    JsonArray categoryArray = JsonFields.requireArray(top, "categories", source);
    for (int i = 0; i < categoryArray.size(); i++) {
      String where = source + ", categories[" + i + "]";
      JsonObject o = JsonFields.asObject(categoryArray.get(i), where);
      int id = JsonFields.requireInt(o, "id", where);
      where = where + " (id " + id + ")";
      categories.add(new CocoCategory(id, JsonFields.optionalString(o, "name", where),
          JsonFields.optionalString(o, "supercategory", where)));
    }
    List<CocoAnnotation> annotations = new ArrayList<>();
    // A test-set file has no annotations at all; that is a valid, empty ground truth.
    JsonArray annotationArray = top.has("annotations") ? JsonFields.requireArray(top, "annotations", source)
        : new JsonArray();
    for (int i = 0; i < annotationArray.size(); i++) {
      String where = source + ", annotations[" + i + "]";
      JsonObject o = JsonFields.asObject(annotationArray.get(i), where);
      long id = JsonFields.requireLong(o, "id", where);
      where = where + " (id " + id + ")";
      long imageId = JsonFields.requireLong(o, "image_id", where);
      int categoryId = JsonFields.requireInt(o, "category_id", where);
      XywhBox box = JsonFields.requireBox(o, "bbox", where);
      double area = JsonFields.requireFiniteDouble(o, "area", where);
      if (area < 0) {
        throw new CocoFormatException(where + ": area must not be negative, got " + area);
      }
      boolean crowd = JsonFields.requireFlag(o, "iscrowd", where);
      boolean difficult = JsonFields.optionalFlag(o, "difficult", where);
      annotations.add(new CocoAnnotation(id, imageId, categoryId, box, area, crowd, difficult));
    }
    return CocoDataset.of(source, images, categories, annotations);
  }
}
