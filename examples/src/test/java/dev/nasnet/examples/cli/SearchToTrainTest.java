package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.strategy.RegularizedEvolution;
import dev.nasnet.search.trial.Search;
import dev.nasnet.search.trial.TrialResult;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search's ranked cells go straight into `train`, on data from an image folder; `report` reads any search. */
class SearchToTrainTest {
  @TempDir Path dir;

  @Test
  void reportThenTrainTheBestCellOnAnImageFolder() throws Exception {
    // A search made with the library (a made-up reward), as a killed or running one would be left on disk.
    NasNetSearchSpace space = NasNetSearchSpace.paper();
    Path search = dir.resolve("search/evolution");
    new Search<>(space, new RegularizedEvolution(space, 4, 2, 1),
        (arch, id) -> TrialResult.of(arch.normal().blocks().size() + (id % 7) / 10.0), search, 12, 1, 0).run();
    CliRun report = CliRun.of("report", dir.resolve("search").toString(), "--top", "2");
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(report.out()).contains("12 trials finished");
    Path rank1 = search.resolve("results/rank-01");
    assertThat(rank1.resolve("normal_cell.json")).exists();
    assertThat(search.resolve("results/ranked.csv")).exists();
    assertThat(dir.resolve("search/best_so_far.png")).exists();

    // Two classes of 16x16 images, one folder each: dark and bright squares.
    Path data = dir.resolve("images");
    for (int c = 0; c < 2; c++) {
      Path folder = Files.createDirectories(data.resolve(c == 0 ? "dark" : "bright"));
      for (int i = 0; i < 12; i++) {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c == 0 ? new Color(20 + i, 20, 30) : new Color(220, 210 - i, 200));
        g.fillRect(0, 0, 16, 16);
        g.dispose();
        ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
      }
    }
    Path run = dir.resolve("run");
    CliRun train = CliRun.of("train", "--data", data.toString(), "--dataset", "squares", "--image-size", "16",
        "--cells", rank1.toString(), "--stack-cells", "1", "--filters", "48", "--epochs", "2", "--batch", "4",
        "--validation", "8", "--out", run.toString());
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("image folder").contains("2 classes");
    var result = JsonParser.parseString(Files.readString(run.resolve("result.json"))).getAsJsonObject();
    assertThat(result.get("model").getAsString()).isEqualTo("searched_squares");
    assertThat(result.get("test_top1").getAsDouble()).isBetween(0.0, 1.0);
  }
}
