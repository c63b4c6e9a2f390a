package dev.nasnet.detection.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.fuzz.Mutations;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoFormatException;
import dev.nasnet.detection.FasterRcnnConfig;
import dev.nasnet.detection.FasterRcnnConfigJson;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 1,000 seeded mutations each of a COCO annotations file and a detector config through their readers. */
class DetectionReadersFuzzTest {
  private static final Logger LOG = LoggerFactory.getLogger(DetectionReadersFuzzTest.class);
  private static final int CASES = 1000;
  private static final Duration PER_CASE = Duration.ofSeconds(10);

  @Test
  void cocoAnnotations() throws IOException, URISyntaxException {
    Path gt = Path.of(getClass().getResource("/coco/f1_gt.json").toURI());
    byte[] original = Files.readAllBytes(gt);
    int[] r = Mutations.check("COCO annotations", original, CASES, 6, PER_CASE,
        m -> CocoDataset.read(new StringReader(new String(m, StandardCharsets.UTF_8)), "fuzzed.json"),
        Mutations.ownException("fuzzed.json", List.of(CocoFormatException.class)));
    LOG.info("COCO fuzz: {} loaded / {} refused", r[0], r[1]);
    assertThat(r[1]).isPositive();
  }

  @Test
  void detectorConfig() {
    byte[] original = FasterRcnnConfigJson.toJson(FasterRcnnConfig.shapes(64,
        List.of(new dev.nasnet.detection.data.CocoCategory(1, "square", ""),
            new dev.nasnet.detection.data.CocoCategory(2, "disc", "")))).getBytes(StandardCharsets.UTF_8);
    int[] r = Mutations.check("detector config", original, CASES, 7, PER_CASE,
        m -> FasterRcnnConfigJson.fromJson(new String(m, StandardCharsets.UTF_8), "detector.json"),
        Mutations.ownException("detector.json", List.of(IllegalArgumentException.class)));
    LOG.info("detector config fuzz: {} loaded / {} refused", r[0], r[1]);
    assertThat(r[1]).isPositive();
  }
}
