package dev.nasnet.detection.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoResultsJsonTest {

  @Test
  void writeThenReadGivesTheSameDetectionsInOrder(@TempDir Path dir) throws IOException {
    List<CocoDetection> dets = List.of(
        new CocoDetection(42, 4, new XywhBox(258.15, 41.29, 348.26, 243.78), 0.236),
        new CocoDetection(7, 1, new XywhBox(0, 0, 0.1, 1e-7), 0.9),
        new CocoDetection(900100259690L, 90, XywhBox.fromCorners(1, 2, 3, 5), -0.0));
    Path file = dir.resolve("results.json");
    CocoResultsJson.write(dets, file);
    assertThat(CocoResultsJson.read(file)).containsExactlyElementsOf(dets);
    assertThat(Files.readString(file)).startsWith("[{\"image_id\":42,\"category_id\":4,\"bbox\":[258.15,");
  }

  @Test
  void readsPycocotoolsStyleEntriesAndIgnoresExtraKeys() {
    String json = "[{\"image_id\": 3, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 0.5, "
        + "\"segmentation\": [], \"id\": 17}]";
    assertThat(CocoResultsJson.read(new StringReader(json), "r.json"))
        .containsExactly(new CocoDetection(3, 2, new XywhBox(1, 2, 3, 4), 0.5));
  }

  @Test
  void badEntriesNameFileAndIndex() {
    String ok = "{\"image_id\": 3, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 0.5}";
    assertThatThrownBy(() -> CocoResultsJson.read(new StringReader("[" + ok + ", "
        + ok.replace(", \"score\": 0.5", "") + "]"), "r.json"))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("r.json, detection[1]")
        .hasMessageContaining("'score' is missing");
    assertThatThrownBy(() -> CocoResultsJson.read(new StringReader("[" + ok.replace("0.5}", "NaN}") + "]"), "r.json"))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("detection[0]")
        .hasMessageContaining("'score' is NaN");
    assertThatThrownBy(() -> CocoResultsJson.read(new StringReader("[" + ok.replace("[1, 2, 3, 4]", "[1, 2, -3, 4]")
        + "]"), "r.json"))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("negative width or height");
    assertThatThrownBy(() -> CocoResultsJson.read(new StringReader("{}"), "r.json"))
        .isInstanceOf(CocoFormatException.class).hasMessageContaining("must be a JSON list");
  }

  @Test
  void boxesCheckTheirOwnArguments() {
    assertThatThrownBy(() -> new XywhBox(0, 0, -1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> new XywhBox(Double.NaN, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
    assertThat(XywhBox.fromCorners(10, 20, 15, 25)).isEqualTo(new XywhBox(10, 20, 5, 5));
  }
}
