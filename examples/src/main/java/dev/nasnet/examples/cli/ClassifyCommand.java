package dev.nasnet.examples.cli;

import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.inference.Prediction;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "classify", description = "Classify an image: inception preprocessing, then the top 5 classes.")
final class ClassifyCommand implements Callable<Integer> {
  @Mixin PresetOption preset;

  @Option(names = "--image", required = true, description = "a JPEG or PNG file")
  Path image;

  @Option(names = "--checkpoint", description = "checkpoint prefix to restore (slim names, EMA or plain)")
  Path checkpoint;

  @Option(names = "--top", defaultValue = "5", description = "how many classes to print (default: ${DEFAULT-VALUE})")
  int top;

  @Override
  public Integer call() throws Exception {
    try (NasNetClassifier net = NasNetClassifier.create(preset.config())) {
      if (checkpoint != null) {
        net.restore(checkpoint);
      } else {
        System.out.println("(no --checkpoint: weights are freshly initialised, so the classes are arbitrary)");
      }
      List<Prediction> predictions = net.classify(image, top);
      System.out.printf("%s with %s:%n", image, net.model().config().name());
      for (Prediction p : predictions) {
        System.out.printf("  class %4d  p = %.5f%n", p.classIndex(), p.probability());
      }
    }
    return 0;
  }
}
