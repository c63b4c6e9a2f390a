package dev.nasnet.examples.cli;

import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.inference.Prediction;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.spec.CellSpecDot;
import dev.nasnet.core.spec.CellSpecJson;
import dev.nasnet.core.spec.Cells;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "A short tour: the Mobile summary, a cell as JSON and DOT, classifying a "
    + "generated image, exporting a SavedModel, and a speed check.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "target/demo", description = "where to write files")
  Path out;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    System.out.println("== NASNet-A Mobile summary");
    new CommandLine(new SummaryCommand()).execute("--preset", "mobile");

    System.out.println("\n== The NASNet-A normal cell as DSL JSON and Graphviz DOT");
    Path json = out.resolve("nasnet_a_normal.json");
    Path dot = out.resolve("nasnet_a_normal.dot");
    Files.writeString(json, CellSpecJson.toJson(Cells.nasnetANormal()));
    Files.writeString(dot, CellSpecDot.toDot(Cells.nasnetANormal()));
    System.out.println("wrote " + json + " and " + dot + " (render with: dot -Tpng " + dot + " -o cell.png)");

    System.out.println("\n== Classifying a generated image (random weights: no checkpoint ships with the library)");
    Path image = out.resolve("demo.png");
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(40, 90, 160));
    g.fillRect(0, 0, 320, 240);
    g.setColor(new Color(230, 180, 40));
    g.fillOval(100, 60, 120, 120);
    g.dispose();
    ImageIO.write(img, "png", image.toFile());
    try (NasNetClassifier net = NasNetClassifier.create(NasNetConfig.mobile())) {
      List<Prediction> top = net.classify(image, 5);
      top.forEach(p -> System.out.printf("  %4d  %-40s p = %.5f%n", p.classIndex(), p.label(), p.probability()));
      Path saved = out.resolve("saved_model");
      if (Files.exists(saved)) {
        try (var files = Files.walk(saved)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      net.exportSavedModel(saved);
      System.out.println("\n== SavedModel written to " + saved);
    }

    System.out.println("\n== Speed, NASNet-A Mobile at batch 1");
    new CommandLine(new BenchCommand()).execute("--preset", "mobile", "--batch", "1", "--runs", "10");
    return 0;
  }
}
