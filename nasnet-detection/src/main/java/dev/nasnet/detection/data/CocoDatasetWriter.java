package dev.nasnet.detection.data;

import com.google.common.base.Preconditions;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link CocoDataset} as a COCO instances file that {@link CocoDataset#read} and pycocotools accept:
 * {@code images}, {@code categories}, {@code annotations} with {@code bbox, area, iscrowd}. {@code difficult} is
 * written only when set, so plain COCO stays plain.
 */
public final class CocoDatasetWriter {

  private CocoDatasetWriter() {}

  public static void write(CocoDataset dataset, Path file) throws IOException {
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(dataset, writer);
    }
  }

  /** Writes lists in the dataset's order (annotation order decides evaluation ties). */
  public static void write(CocoDataset dataset, Writer writer) throws IOException {
    Preconditions.checkNotNull(dataset, "dataset");
    Preconditions.checkNotNull(writer, "writer");
    JsonWriter json = new JsonWriter(writer);
    json.beginObject();
    json.name("images").beginArray();
    for (CocoImage image : dataset.images()) {
      json.beginObject();
      json.name("id").value(image.id());
      json.name("file_name").value(image.fileName());
      json.name("width").value(image.width());
      json.name("height").value(image.height());
      json.endObject();
    }
    json.endArray();
    json.name("categories").beginArray();
    for (CocoCategory category : dataset.categories()) {
      json.beginObject();
      json.name("id").value(category.id());
      json.name("name").value(category.name());
      json.name("supercategory").value(category.supercategory());
      json.endObject();
    }
    json.endArray();
    json.name("annotations").beginArray();
    for (CocoAnnotation a : dataset.annotations()) {
      json.beginObject();
      json.name("id").value(a.id());
      json.name("image_id").value(a.imageId());
      json.name("category_id").value(a.categoryId());
      json.name("bbox").beginArray();
      json.value(a.bbox().x()).value(a.bbox().y()).value(a.bbox().width()).value(a.bbox().height());
      json.endArray();
      json.name("area").value(a.area());
      json.name("iscrowd").value(a.crowd() ? 1 : 0);
      if (a.difficult()) {
        json.name("difficult").value(1);
      }
      json.endObject();
    }
    json.endArray();
    json.endObject();
    json.flush();
  }
}
