package dev.nasnet.examples;

import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.inference.Prediction;
import dev.nasnet.core.model.NasNetConfig;
import java.nio.file.Path;
import java.util.List;

/** The README's quickstart, compiled so it cannot drift from the API. Argument: an image file. */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    // README quickstart start
    try (NasNetClassifier net = NasNetClassifier.create(NasNetConfig.mobile())) {
      // net.restore(Path.of("nasnet-a_mobile/model.ckpt"));  // released slim checkpoint, if you have it
      List<Prediction> top5 = net.classify(Path.of(args[0]), 5);
      top5.forEach(p -> System.out.printf("class %d: %.4f%n", p.classIndex(), p.probability()));
    }
    // README quickstart end
  }
}
