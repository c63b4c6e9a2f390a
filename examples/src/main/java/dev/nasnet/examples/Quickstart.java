package dev.nasnet.examples;

import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.inference.Prediction;
import dev.nasnet.core.inference.Preprocessing;
import dev.nasnet.core.model.NasNetConfig;
import java.nio.file.Path;
import java.util.List;

/** The README's quickstart, compiled so it cannot drift from the API. Argument: an image file. */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    // README quickstart start
    try (NasNetClassifier net = NasNetClassifier.create(NasNetConfig.mobile().keras())) {
      // net.load(Path.of("NASNet-mobile.h5"));  // Keras' ImageNet weights, if you have the file (see below)
      List<Prediction> top5 = net.classify(Path.of(args[0]), 5, Preprocessing.KERAS);
      top5.forEach(p -> System.out.printf("%-30s %.4f%n", p.label(), p.probability()));
    }
    // README quickstart end
  }
}
