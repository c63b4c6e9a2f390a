package dev.nasnet.detection.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.XywhBox;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesDatasetTest {

  private static final ShapesConfig CONFIG = ShapesConfig.small();
  private static final ShapesDataset DATA = ShapesDataset.generate(CONFIG, 60, 2024);

  private static boolean saturated(int rgb) {
    int r = (rgb >> 16) & 0xFF;
    int g = (rgb >> 8) & 0xFF;
    int b = rgb & 0xFF;
    return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) >= ShapesDataset.MIN_SHAPE_CHANNEL_SPREAD;
  }

  @Test
  void sameSeedGivesIdenticalPixelsAndBoxes() {
    ShapesDataset again = ShapesDataset.generate(CONFIG, 60, 2024);
    assertThat(again.images()).isEqualTo(DATA.images());
    assertThat(again.coco().annotations()).isEqualTo(DATA.coco().annotations());
    for (int i = 0; i < 60; i++) {
      assertThat(again.images().get(i).toRgbBytes()).isEqualTo(DATA.images().get(i).toRgbBytes());
    }
  }

  @Test
  void differentSeedGivesDifferentImages() {
    ShapesDataset other = ShapesDataset.generate(CONFIG, 60, 2025);
    for (int i = 0; i < 60; i++) {
      assertThat(other.images().get(i).toRgbBytes()).as("image %s", i)
          .isNotEqualTo(DATA.images().get(i).toRgbBytes());
    }
    assertThat(other.coco().annotations()).isNotEqualTo(DATA.coco().annotations());
  }

  @Test
  void imageKDoesNotDependOnHowManyFollow() {
    ShapesDataset prefix = ShapesDataset.generate(CONFIG, 5, 2024);
    assertThat(prefix.images()).isEqualTo(DATA.images().subList(0, 5));
  }

  @Test
  void boxesAreInsideAndTightOnTheShapePixels() {
    int checked = 0;
    for (SyntheticImage image : DATA.images()) {
      for (SyntheticObject o : image.objects()) {
        XywhBox b = o.box();
        assertThat(b.x()).isGreaterThanOrEqualTo(0);
        assertThat(b.y()).isGreaterThanOrEqualTo(0);
        assertThat(b.maxX()).isLessThanOrEqualTo(image.width());
        assertThat(b.maxY()).isLessThanOrEqualTo(image.height());
        int x0 = (int) b.x();
        int y0 = (int) b.y();
        int x1 = (int) b.maxX() - 1;
        int y1 = (int) b.maxY() - 1;
        assertThat((double) x0).as("integer box corner").isEqualTo(b.x());
        assertThat((double) y0).isEqualTo(b.y());
        assertThat(saturated(o.rgb())).isTrue();
        // Each edge row / column of the box holds at least one pixel of the shape's colour...
        assertThat(rowHas(image, y0, x0, x1, o.rgb())).as("%s top edge", o).isTrue();
        assertThat(rowHas(image, y1, x0, x1, o.rgb())).as("%s bottom edge", o).isTrue();
        assertThat(columnHas(image, x0, y0, y1, o.rgb())).as("%s left edge", o).isTrue();
        assertThat(columnHas(image, x1, y0, y1, o.rgb())).as("%s right edge", o).isTrue();
        // ...and the row / column just outside holds none.
        assertThat(y0 > 0 && rowHas(image, y0 - 1, x0, x1, o.rgb())).as("%s above", o).isFalse();
        assertThat(y1 + 1 < image.height() && rowHas(image, y1 + 1, x0, x1, o.rgb())).as("%s below", o).isFalse();
        assertThat(x0 > 0 && columnHas(image, x0 - 1, y0, y1, o.rgb())).as("%s left", o).isFalse();
        assertThat(x1 + 1 < image.width() && columnHas(image, x1 + 1, y0, y1, o.rgb())).as("%s right", o).isFalse();
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(60);
  }

  @Test
  void everyShapeColouredPixelLiesInTheBoxOfThatColour() {
    for (SyntheticImage image : DATA.images()) {
      for (int y = 0; y < image.height(); y++) {
        for (int x = 0; x < image.width(); x++) {
          int rgb = image.rgbAt(x, y);
          if (!saturated(rgb)) {
            continue;
          }
          int px = x;
          int py = y;
          assertThat(image.objects()).as("image %s pixel (%s, %s)", image.info().id(), x, y)
              .anyMatch(o -> o.rgb() == rgb && px >= o.box().x() && px < o.box().maxX() && py >= o.box().y()
                  && py < o.box().maxY());
        }
      }
    }
  }

  @Test
  void varietyOfShapesSizesAndCounts() {
    Set<ShapeKind> kinds = EnumSet.noneOf(ShapeKind.class);
    int empty = 0;
    int crowded = 0;
    double minSide = Double.MAX_VALUE;
    double maxSide = 0;
    for (SyntheticImage image : DATA.images()) {
      empty += image.objects().isEmpty() ? 1 : 0;
      crowded += image.objects().size() >= 3 ? 1 : 0;
      for (SyntheticObject o : image.objects()) {
        kinds.add(o.kind());
        minSide = Math.min(minSide, Math.min(o.box().width(), o.box().height()));
        maxSide = Math.max(maxSide, Math.max(o.box().width(), o.box().height()));
      }
    }
    assertThat(kinds).containsExactlyInAnyOrder(ShapeKind.values());
    assertThat(empty).isPositive();
    assertThat(crowded).isPositive();
    assertThat(minSide).isLessThan(15);
    assertThat(maxSide).isGreaterThan(35);
    assertThat(DATA.images().stream().mapToInt(i -> i.objects().size()).max().orElseThrow())
        .isLessThanOrEqualTo(CONFIG.maxObjects());
  }

  @Test
  void cocoViewMatchesTheObjects() {
    CocoDataset coco = DATA.coco();
    assertThat(coco.sortedCategoryIds()).containsExactly(1, 2, 3);
    assertThat(coco.category(2).orElseThrow().name()).isEqualTo("ellipse");
    assertThat(coco.images()).hasSize(60);
    for (SyntheticImage image : DATA.images()) {
      assertThat(coco.image(image.info().id())).contains(image.info());
      assertThat(image.info().fileName()).endsWith(".png");
      var annotations = coco.annotationsOf(image.info().id());
      assertThat(annotations).hasSameSizeAs(image.objects());
      for (int k = 0; k < annotations.size(); k++) {
        CocoAnnotation a = annotations.get(k);
        SyntheticObject o = image.objects().get(k);
        assertThat(a.bbox()).isEqualTo(o.box());
        assertThat(a.categoryId()).isEqualTo(o.kind().categoryId());
        assertThat(a.area()).isEqualTo(o.box().width() * o.box().height());
        assertThat(a.crowd()).isFalse();
      }
    }
  }

  @Test
  void writtenFilesReadBack(@TempDir Path dir) throws IOException {
    ShapesDataset small = ShapesDataset.generate(CONFIG, 6, 99);
    Path json = small.writeTo(dir.resolve("shapes"));
    CocoDataset read = CocoDataset.read(json);
    assertThat(read.images()).isEqualTo(small.coco().images());
    assertThat(read.categories()).isEqualTo(small.coco().categories());
    assertThat(read.annotations()).isEqualTo(small.coco().annotations());
    for (SyntheticImage image : small.images()) {
      Path png = json.resolveSibling(image.info().fileName());
      assertThat(png).exists();
      BufferedImage back = ImageIO.read(png.toFile());
      assertThat(back.getWidth()).isEqualTo(image.width());
      assertThat(back.getHeight()).isEqualTo(image.height());
      for (int y = 0; y < image.height(); y++) {
        for (int x = 0; x < image.width(); x++) {
          assertThat(back.getRGB(x, y) & 0xFFFFFF).as("pixel (%s, %s)", x, y).isEqualTo(image.rgbAt(x, y));
        }
      }
    }
    assertThat(Files.list(json.getParent()).count()).isEqualTo(7);
  }

  @Test
  void bytesAndBufferedImageAgreeWithPixels() {
    SyntheticImage image = DATA.images().get(3);
    byte[] bytes = image.toRgbBytes();
    BufferedImage bi = image.toBufferedImage();
    int x = 17;
    int y = 40;
    int i = 3 * (y * image.width() + x);
    int rgb = image.rgbAt(x, y);
    assertThat(bytes[i] & 0xFF).isEqualTo((rgb >> 16) & 0xFF);
    assertThat(bytes[i + 1] & 0xFF).isEqualTo((rgb >> 8) & 0xFF);
    assertThat(bytes[i + 2] & 0xFF).isEqualTo(rgb & 0xFF);
    bi.setRGB(x, y, 0);
    assertThat(image.rgbAt(x, y)).as("the copy is independent").isEqualTo(rgb);
  }

  @Test
  void rejectsBadConfig() {
    assertThatThrownBy(() -> new ShapesConfig(32, 32, 2, 40, 50)).hasMessageContaining("40")
        .hasMessageContaining("32 x 32");
    assertThatThrownBy(() -> ShapesDataset.generate(CONFIG, -1, 0)).hasMessageContaining("-1");
  }

  private static boolean rowHas(SyntheticImage image, int y, int x0, int x1, int rgb) {
    for (int x = x0; x <= x1; x++) {
      if (image.rgbAt(x, y) == rgb) {
        return true;
      }
    }
    return false;
  }

  private static boolean columnHas(SyntheticImage image, int x, int y0, int y1, int rgb) {
    for (int y = y0; y <= y1; y++) {
      if (image.rgbAt(x, y) == rgb) {
        return true;
      }
    }
    return false;
  }
}
