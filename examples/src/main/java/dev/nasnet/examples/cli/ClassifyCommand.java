package dev.nasnet.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.nasnet.core.graph.PoolPadding;
import dev.nasnet.core.inference.ImagePreprocessor;
import dev.nasnet.core.inference.Labels;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.inference.Prediction;
import dev.nasnet.core.inference.Preprocessing;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.weights.NasNetWeights;
import dev.nasnet.core.weights.WeightsFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "classify", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = {
    "Classify an image with published weights: the top K classes by logit, with ImageNet labels.",
    "Weights: a Keras .h5 / .weights.h5 (NASNet-mobile.h5, NASNet-large.h5), a slim checkpoint prefix, or a slim "
        + ".tar.gz read without unpacking. Keras files get Keras' preprocessing and pool padding, slim files slim's, "
        + "unless --preprocess / --padding say otherwise."})
final class ClassifyCommand implements Callable<Integer> {
  @Mixin PresetOption preset;

  @Option(names = "--image", required = true, description = "a JPEG, PNG, GIF or BMP file")
  Path image;

  @Option(names = {"--weights", "--checkpoint"}, paramLabel = "FILE",
      description = "weights to load: .h5, .weights.h5, slim checkpoint prefix, or slim .tar.gz (default: none, "
          + "random weights and arbitrary classes)")
  Path weights;

  @Option(names = "--preprocess", paramLabel = "keras|inception",
      description = "keras: resize, x/127.5-1; inception: slim's central crop 87.5%% + bilinear resize (default: "
          + "keras for Keras files, else inception)")
  String preprocess;

  @Option(names = "--padding", paramLabel = "same|zeros",
      description = "strided pools' border: same (slim) or zeros (Keras) (default: zeros for Keras files, else same)")
  String padding;

  @Option(names = "--top", defaultValue = "5", description = "how many classes to print")
  int top;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "class names, one per line (default: ImageNet's for 1000 or 1001 classes, else 'class N')")
  Path labels;

  @Option(names = "--json", description = "print one JSON object {\"predictions\": [...]} and nothing else on stdout")
  boolean json;

  @Option(names = "--sha256", paramLabel = "HEX", description = "check the weights file's SHA-256 before using it")
  String sha256;

  @Option(names = "--max-pixels", defaultValue = "100000000",
      description = "refuse images whose header declares more pixels")
  long maxPixels;

  @Override
  public Integer call() throws Exception {
    if (top < 1) {
      throw new IllegalArgumentException("--top must be at least 1, got " + top);
    }
    // Everything that can be checked cheaply is checked before the network is built.
    WeightsFormat format = weights == null ? null : WeightsFormat.detect(weights);
    if (sha256 != null) {
      if (weights == null) {
        throw new IllegalArgumentException("--sha256 checks a weights file; give --weights");
      }
      NasNetWeights.verifySha256(weights, sha256);
    }
    boolean keras = format == WeightsFormat.KERAS_H5 || format == WeightsFormat.KERAS_WEIGHTS_H5;
    Preprocessing mode = preprocess != null ? Preprocessing.parse(preprocess)
        : keras ? Preprocessing.KERAS : Preprocessing.INCEPTION;
    PoolPadding pools = padding != null ? parsePadding(padding) : keras ? PoolPadding.ZEROS : PoolPadding.SAME;
    NasNetConfig config = preset.config().toBuilder().poolPadding(pools).build();
    Labels names = labels == null ? Labels.forClasses(config.numClasses())
        : Labels.read(labels).checkFits(config.numClasses(), "--labels " + labels);
    List<Prediction> predictions;
    try (ImagePreprocessor pre = new ImagePreprocessor(mode, config.imageSize(), maxPixels);
        TFloat32 pixels = pre.tensor(image);
        NasNetClassifier net = NasNetClassifier.create(config).withLabels(names)) {
      if (weights != null) {
        net.load(weights);
      } else if (!json) {
        System.out.println("(no --weights: the weights are freshly initialised, so the classes are arbitrary)");
      }
      predictions = net.classify(pixels, top);
    }
    if (json) {
      System.out.println(toJson(predictions));
    } else {
      System.out.printf("%s with %s (%s preprocessing, %s pool padding):%n", image, config.name(), mode,
          pools.name().toLowerCase(java.util.Locale.ROOT));
      for (Prediction p : predictions) {
        System.out.printf("  %4d  %-40s logit %8.4f  p = %.5f%n", p.classIndex(), p.label(), p.logit(),
            p.probability());
      }
    }
    return 0;
  }

  static String toJson(List<Prediction> predictions) {
    JsonArray array = new JsonArray();
    for (Prediction p : predictions) {
      JsonObject o = new JsonObject();
      o.addProperty("class", p.classIndex());
      o.addProperty("label", p.label());
      o.addProperty("logit", p.logit());
      o.addProperty("probability", p.probability());
      array.add(o);
    }
    JsonObject root = new JsonObject();
    root.add("predictions", array);
    return new GsonBuilder().disableHtmlEscaping().create().toJson(root);
  }

  private static PoolPadding parsePadding(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "same", "slim" -> PoolPadding.SAME;
      case "zeros", "keras" -> PoolPadding.ZEROS;
      default -> throw new IllegalArgumentException("--padding must be same or zeros, got '" + value + "'");
    };
  }
}
