package dev.nasnet.examples.cli;

import dev.nasnet.detection.synthetic.ShapesConfig;
import dev.nasnet.detection.synthetic.ShapesDataset;
import dev.nasnet.detection.dataset.DetectionDataset;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where detection images come from: a COCO annotations file and its image folder, or generated shapes. */
final class DetectionDataOptions {
  @Option(names = "--annotations", description = "COCO annotations JSON")
  Path annotations;

  @Option(names = "--images", description = "folder the annotations' file_name entries are in (default: the "
      + "annotations file's folder)")
  Path images;

  @Option(names = "--shapes", description = "generate N synthetic shapes images instead (deterministic by seed)")
  Integer shapes;

  @Option(names = "--shapes-seed", defaultValue = "1", description = "seed of the generated set")
  long shapesSeed;

  @Option(names = "--shapes-size", defaultValue = "64", description = "side of generated images")
  int shapesSize;

  boolean isSet() {
    return annotations != null || shapes != null;
  }

  static ShapesConfig shapesConfig(int size) {
    return new ShapesConfig(size, size, 4, 8, size / 2);
  }

  DetectionDataset load(String what) throws IOException {
    if (annotations != null && shapes != null) {
      throw new IllegalArgumentException(what + ": give --annotations or --shapes, not both");
    }
    if (shapes != null) {
      return DetectionDataset.of(ShapesDataset.generate(shapesConfig(shapesSize), shapes, shapesSeed));
    }
    if (annotations == null) {
      throw new IllegalArgumentException(what + ": give --annotations FILE (with --images DIR) or --shapes N");
    }
    Path dir = images != null ? images : annotations.toAbsolutePath().getParent();
    return DetectionDataset.read(annotations, dir);
  }
}
