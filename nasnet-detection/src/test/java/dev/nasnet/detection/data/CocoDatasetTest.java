package dev.nasnet.detection.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoDatasetTest {

  private static final String IMAGES = "\"images\": [{\"id\": 5, \"file_name\": \"a.jpg\", \"width\": 64, "
      + "\"height\": 48}, {\"id\": 2}]";
  private static final String CATEGORIES = "\"categories\": [{\"id\": 1, \"name\": \"person\"}, "
      + "{\"id\": 90, \"name\": \"toothbrush\"}]";

  private static String file(String annotations) {
    return "{" + IMAGES + ", " + CATEGORIES + ", \"annotations\": [" + annotations + "]}";
  }

  private static final String GOOD = "{\"id\": 7, \"image_id\": 5, \"category_id\": 90, "
      + "\"bbox\": [1.5, 2, 10, 20], \"area\": 150.5, \"iscrowd\": 0}";

  private static CocoDataset parse(String json) {
    return CocoDataset.read(new StringReader(json), "gt.json");
  }

  @Test
  void readsImagesCategoriesWithGapsAndAnnotations(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("instances.json");
    Files.writeString(file, file(GOOD + ", {\"id\": 8, \"image_id\": 2, \"category_id\": 1, "
        + "\"bbox\": [0, 0, 4, 4], \"area\": 16, \"iscrowd\": 1, \"difficult\": true}"));
    CocoDataset d = CocoDataset.read(file);
    assertThat(d.source()).isEqualTo(file.toString());
    assertThat(d.sortedImageIds()).containsExactly(2L, 5L);
    assertThat(d.sortedCategoryIds()).containsExactly(1, 90);
    assertThat(d.image(5)).contains(new CocoImage(5, "a.jpg", 64, 48));
    assertThat(d.image(2)).contains(new CocoImage(2, "", 0, 0));
    assertThat(d.category(90).orElseThrow().name()).isEqualTo("toothbrush");
    assertThat(d.annotations()).containsExactly(
        new CocoAnnotation(7, 5, 90, new XywhBox(1.5, 2, 10, 20), 150.5, false, false),
        new CocoAnnotation(8, 2, 1, new XywhBox(0, 0, 4, 4), 16, true, true));
    assertThat(d.annotationsOf(5)).extracting(CocoAnnotation::id).containsExactly(7L);
  }

  @Test
  void annotationIdsBeyondIntRangeAreKept() {
    // COCO's crowd annotations have ids like 900100259690.
    CocoDataset d = parse(file(GOOD.replace("\"id\": 7", "\"id\": 900100259690")));
    assertThat(d.annotations().get(0).id()).isEqualTo(900100259690L);
  }

  @Test
  void missingFieldNamesFileIndexAndId() {
    assertThatThrownBy(() -> parse(file(GOOD + ", " + GOOD.replace("\"id\": 7", "\"id\": 9")
        .replace(", \"area\": 150.5", ""))))
        .isInstanceOf(CocoFormatException.class)
        .hasMessageContaining("gt.json").hasMessageContaining("annotations[1]").hasMessageContaining("id 9")
        .hasMessageContaining("'area' is missing");
    assertThatThrownBy(() -> parse(file(GOOD.replace(", \"iscrowd\": 0", ""))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("'iscrowd' is missing");
    assertThatThrownBy(() -> parse(file(GOOD.replace("\"id\": 7, ", ""))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("annotations[0]")
        .hasMessageContaining("'id' is missing");
    assertThatThrownBy(() -> parse("{" + IMAGES + ", \"annotations\": []}"))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("'categories' is missing");
  }

  @Test
  void negativeWidthOrHeightIsRejected() {
    assertThatThrownBy(() -> parse(file(GOOD.replace("[1.5, 2, 10, 20]", "[1.5, 2, 10, -20]"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("annotations[0] (id 7)")
        .hasMessageContaining("negative width or height");
  }

  @Test
  void nanAndInfinityAreRejected() {
    // Python's json.dump writes these bare tokens.
    assertThatThrownBy(() -> parse(file(GOOD.replace("[1.5, 2, 10, 20]", "[NaN, 2, 10, 20]"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("(id 7)")
        .hasMessageContaining("'bbox' x is NaN");
    assertThatThrownBy(() -> parse(file(GOOD.replace("150.5", "Infinity"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("'area' is infinite");
  }

  @Test
  void malformedValuesAreRejected() {
    assertThatThrownBy(() -> parse(file(GOOD.replace("[1.5, 2, 10, 20]", "[1.5, 2, 10]"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("must hold 4 numbers");
    assertThatThrownBy(() -> parse(file(GOOD.replace("\"iscrowd\": 0", "\"iscrowd\": 2"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("'iscrowd' must be 0 or 1");
    assertThatThrownBy(() -> parse(file(GOOD.replace("\"image_id\": 5", "\"image_id\": 5.5"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("'image_id' must be an integer");
    assertThatThrownBy(() -> parse(file(GOOD.replace("\"area\": 150.5", "\"area\": -1"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("area must not be negative");
    assertThatThrownBy(() -> parse("{\"images\": [")).isInstanceOf(CocoFormatException.class)
        .hasMessageContaining("gt.json: not valid JSON");
  }

  @Test
  void unknownImageOrCategoryIsRejected() {
    assertThatThrownBy(() -> parse(file(GOOD.replace("\"image_id\": 5", "\"image_id\": 6"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("gt.json, annotations[0] (id 7)")
        .hasMessageContaining("image_id 6 is not in the images list");
    assertThatThrownBy(() -> parse(file(GOOD.replace("\"category_id\": 90", "\"category_id\": 3"))))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("(id 7)")
        .hasMessageContaining("category_id 3 is not in the categories list");
  }

  @Test
  void duplicateIdsAreRejected() {
    assertThatThrownBy(() -> parse(file(GOOD + ", " + GOOD)))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("annotations[1] (id 7)")
        .hasMessageContaining("appears more than once");
    assertThatThrownBy(() -> parse(file("").replace("{\"id\": 2}", "{\"id\": 5}")))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("image id 5 appears more than once");
  }
}
