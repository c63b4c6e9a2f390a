package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class NasnetCliTest {
  @TempDir Path dir;

  @Test
  void summaryPrintsThePublishedCounts() {
    CliRun r = CliRun.of("summary", "--preset", "mobile");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("5,289,978").contains("36,738").contains("5,326,716").contains("563,638,816")
        .contains("Reduction_Cell_1").contains("7 x 7 x 1056");
  }

  @Test
  void classifyPrintsTopClassesAndRejectsANonImage() throws Exception {
    Path png = dir.resolve("x.png");
    ImageIO.write(new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
    CliRun ok = CliRun.of("classify", "--preset", "cifar", "--image", png.toString(), "--top", "3");
    assertThat(ok.code()).isZero();
    assertThat(ok.out().lines().filter(l -> l.matches("\\s+\\d+\\s+class \\d+ .*logit.*p = .*"))).hasSize(3);

    Path text = Files.writeString(dir.resolve("notes.txt"), "not an image");
    CliRun bad = CliRun.of("classify", "--preset", "cifar", "--image", text.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("not a PNG, JPEG, GIF or BMP").contains("notes.txt");
    CliRun unknown = CliRun.of("summary", "--preset", "huge");
    assertThat(unknown.err()).contains("unknown preset 'huge'");
  }

  @Test
  void messagesAUserTripsOnSayWhatIsWrong() {
    CliRun missing = CliRun.of("coco-eval", "--gt", dir.resolve("nope.json").toString(), "--dt",
        dir.resolve("nope2.json").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no such file: " + dir.resolve("nope.json"));
    assertThat(CliRun.of("summary", "--preset", "huge").err()).contains("unknown preset 'huge'")
        .contains("mobile, large, cifar, pnasnet-large, pnasnet-mobile, fashion-mnist");
    assertThat(CliRun.of("train", "--help").out()).containsPattern("--checkpoint-every.*\\n.*\\n\\s+Default: 500");
    assertThat(CliRun.of("train", "--epoch", "3").err()).contains("--epochs");
    CliRun json = CliRun.of("summary", "--preset", "mobile", "--json");
    com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(json.out()).getAsJsonObject();
    assertThat(o.get("total_parameters").getAsLong()).isEqualTo(5_326_716L);
    assertThat(o.getAsJsonObject("parameters_by_scope").entrySet().stream()
        .mapToLong(e -> e.getValue().getAsLong()).sum()).isEqualTo(5_326_716L);
    assertThat(o.getAsJsonObject("endpoints").getAsJsonArray("Cell_11").toString()).isEqualTo("[7,7,1056]");
  }

  @Test
  void everySubcommandAnswersHelpAndVersion() {
    for (Class<?> command : NasnetCli.class.getAnnotation(picocli.CommandLine.Command.class).subcommands()) {
      String name = command.getAnnotation(picocli.CommandLine.Command.class).name();
      if (name.equals("help")) {
        continue;
      }
      CliRun help = CliRun.of(name, "--help");
      assertThat(help.code()).as("%s --help: %s", name, help.err()).isZero();
      assertThat(help.out()).as(name).contains("Usage: nasnet " + name);
      CliRun version = CliRun.of(name, "-V");
      assertThat(version.code()).as("%s -V", name).isZero();
      assertThat(version.out()).as(name).matches("(?s)nasnet-java \\d+\\.\\d+\\.\\d+.*TensorFlow Java 1\\..*");
    }
  }

  @Test
  void classifyJsonIsOneObjectWithTheTopKByLogit() throws Exception {
    Path ckpt = dir.resolve("w/model.ckpt");
    try (NasNetClassifier net = NasNetClassifier.create(NasNetConfig.cifar().toBuilder().seed(7).build())) {
      net.save(ckpt);
    }
    Path png = dir.resolve("x.png");
    BufferedImage img = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
    img.setRGB(10, 10, 0xff8040);
    ImageIO.write(img, "png", png.toFile());
    CliRun r = CliRun.of("classify", "--preset", "cifar", "--weights", ckpt.toString(), "--image", png.toString(),
        "--top", "4", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(r.out().strip()).getAsJsonObject();
    assertThat(o.keySet()).containsExactly("predictions");
    com.google.gson.JsonArray p = o.getAsJsonArray("predictions");
    assertThat(p).hasSize(4);
    double last = Double.POSITIVE_INFINITY;
    for (var e : p) {
      com.google.gson.JsonObject x = e.getAsJsonObject();
      assertThat(x.keySet()).containsExactly("class", "label", "logit", "probability");
      assertThat(x.get("label").getAsString()).isEqualTo("class " + x.get("class").getAsInt());
      assertThat(x.get("logit").getAsDouble()).isLessThanOrEqualTo(last);
      last = x.get("logit").getAsDouble();
    }
    // --sha256 is checked before anything is built; a wrong digest names both.
    CliRun wrong = CliRun.of("classify", "--preset", "cifar", "--weights", ckpt.toString(), "--image",
        png.toString(), "--sha256", "00".repeat(32));
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("model.ckpt").contains("expected " + "00".repeat(32));
  }

  @Test
  void exportedSavedModelServesTheSameLogits() throws Exception {
    Path ckpt = dir.resolve("w/model.ckpt");
    NasNetConfig config = NasNetConfig.cifar();
    float[][] expected;
    float[][][][] x = new float[2][32][32][3];
    x[0][3][4][1] = 0.5f;
    x[1][10][2][0] = -0.7f;
    try (NasNetClassifier net = NasNetClassifier.create(config.toBuilder().seed(42).build())) {
      net.save(ckpt);
      expected = net.logits(x);
    }
    Path saved = dir.resolve("saved");
    assertThat(CliRun.of("export", "--preset", "cifar", "--checkpoint", ckpt.toString(), "--saved-model",
        saved.toString()).code()).isZero();
    try (SavedModelBundle bundle = SavedModelBundle.load(saved.toString(), "serve");
        TFloat32 in = TFloat32.tensorOf(Shape.of(2, 32, 32, 3))) {
      org.tensorflow.ndarray.StdArrays.copyTo(x, in);
      try (var result = bundle.function("serving_default").call(Map.of("images", in))) {
        Tensor logits = result.get("logits").orElseThrow();
        float[][] got = org.tensorflow.ndarray.StdArrays.array2dCopyOf((TFloat32) logits);
        assertThat(got).isDeepEqualTo(expected);
      }
    }

    Path graphDef = dir.resolve("graph/nasnet.pb");
    assertThat(CliRun.of("export", "--preset", "cifar", "--graph-def", graphDef.toString()).code()).isZero();
    org.tensorflow.proto.GraphDef def = org.tensorflow.proto.GraphDef.parseFrom(Files.readAllBytes(graphDef));
    assertThat(def.getNodeList()).anyMatch(n -> n.getName().equals("cell_0/comb_iter_0/left/separable_5x5_1/"
        + "depthwise_weights"));
    assertThat(Files.exists(dir.resolve("graph/nasnet.pb.ckpt.index"))).isTrue();
  }

  @Test
  void benchRefusesTooFewRuns() {
    CliRun r = CliRun.of("bench", "--preset", "cifar", "--runs", "3");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--runs must be at least 10");
  }

  @Test
  void cocoEvalPrintsWhatPycocotoolsPrintedForTheSameFiles() throws Exception {
    Path fixtures = Path.of("..", "nasnet-detection", "src", "test", "resources", "coco");
    CliRun r = CliRun.of("coco-eval", "--gt", fixtures.resolve("f1_gt.json").toString(), "--dt",
        fixtures.resolve("f1_results.json").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo(java.nio.file.Files.readString(fixtures.resolve("f1_summary.txt")).strip());
    CliRun bad = CliRun.of("coco-eval", "--gt", fixtures.resolve("missing.json").toString(), "--dt",
        fixtures.resolve("f1_results.json").toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("missing.json");
  }
}
