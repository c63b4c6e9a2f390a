package dev.nasnet.examples.cli;

import dev.nasnet.detection.synthetic.ShapesDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "shapes", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Write a generated shapes detection set as a COCO-format folder: PNG images and "
    + "annotations.json (rectangles, ellipses and triangles of 8 px to half the image on textured backgrounds; the "
    + "same seed gives the same set).")
final class ShapesCommand implements Callable<Integer> {
  @Option(names = "--count", defaultValue = "200", description = "images")
  int count;

  @Option(names = "--size", defaultValue = "64", description = "image side")
  int size;

  @Option(names = "--seed", defaultValue = "1", description = "random seed of the generated images")
  long seed;

  @Option(names = "--out", required = true, description = "folder to write")
  Path out;

  @Override
  public Integer call() throws Exception {
    CliChecks.inRange("--count", count, 1, 10_000_000);
    CliChecks.inRange("--size", size, 16, 4096);
    ShapesDataset data = ShapesDataset.generate(DetectionDataOptions.shapesConfig(size), count, seed);
    Path annotations = data.writeTo(out);
    System.out.printf("%d images, %d boxes: %s%n", data.images().size(), data.coco().annotations().size(),
        annotations);
    return 0;
  }
}
