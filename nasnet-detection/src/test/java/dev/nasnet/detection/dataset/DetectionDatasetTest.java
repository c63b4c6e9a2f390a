package dev.nasnet.detection.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.detection.data.CocoCategory;
import dev.nasnet.detection.synthetic.ShapesConfig;
import dev.nasnet.detection.synthetic.ShapesDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionDatasetTest {
  @TempDir
  Path dir;

  @Test
  void aCocoFolderReadsBackAsTheGeneratedSet() throws Exception {
    ShapesDataset shapes = ShapesDataset.generate(new ShapesConfig(48, 40, 3, 8, 20), 5, 2);
    Path annotations = shapes.writeTo(dir);
    DetectionDataset fromDisk = DetectionDataset.read(annotations, dir);
    DetectionDataset inMemory = DetectionDataset.of(shapes);
    assertThat(fromDisk.size()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      TrainingSample a = fromDisk.sample(i, shapes.coco().categories());
      TrainingSample b = inMemory.sample(i, shapes.coco().categories());
      assertThat(a.truth()).isEqualTo(b.truth());
      assertThat(a.image().rgb()).isEqualTo(b.image().rgb());
      assertThat(a.image().width()).isEqualTo(48);
    }
  }

  @Test
  void unknownCategoriesMissingFilesAndWrongSizesNameTheImage() throws Exception {
    ShapesDataset shapes = ShapesDataset.generate(new ShapesConfig(48, 40, 3, 8, 20), 4, 2);
    Path annotations = shapes.writeTo(dir);
    DetectionDataset data = DetectionDataset.read(annotations, dir);
    int withBoxes = 0;
    while (data.coco().annotationsOf(data.info(withBoxes).id()).isEmpty()) {
      withBoxes++;
    }
    int index = withBoxes;
    List<CocoCategory> onlyFirst = List.of(shapes.coco().categories().get(0));
    boolean hasOthers = data.coco().annotationsOf(data.info(index).id()).stream()
        .anyMatch(a -> a.categoryId() != onlyFirst.get(0).id());
    if (hasOthers) {
      assertThatThrownBy(() -> data.sample(index, onlyFirst)).hasMessageContaining(data.info(index).fileName())
          .hasMessageContaining("is not one the detector knows");
    }
    String file = data.info(0).fileName();
    Files.delete(dir.resolve(file));
    assertThatThrownBy(() -> data.image(0)).hasMessageContaining(file);
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png", dir.resolve(file).toFile());
    assertThatThrownBy(() -> data.image(0)).hasMessageContaining(file).hasMessageContaining("10x10")
        .hasMessageContaining("48x40");
  }
}
