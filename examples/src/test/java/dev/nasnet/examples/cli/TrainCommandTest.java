package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.core.data.IdxReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny end-to-end run of {@code train}: every output file is written and the numbers agree with each other. */
class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void tinyFashionMnistRunWritesItsResults() throws Exception {
    assumeTrue(IdxReader.isPresent(IdxReader.FASHION_MNIST_DIR),
        "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    Path out = dir.resolve("run");
    int code = NasnetCli.run("train", "--subset", "640", "--validation", "128", "--cells", "1", "--filters", "96",
        "--epochs", "1", "--batch", "32", "--out", out.toString());
    assertThat(code).isZero();
    JsonObject result = JsonParser.parseString(Files.readString(out.resolve("result.json"))).getAsJsonObject();
    assertThat(result.get("notation").getAsString()).isEqualTo("1 @ 96");
    assertThat(result.get("steps").getAsLong()).isEqualTo(16);
    assertThat(result.get("test_top1").getAsDouble()).isBetween(0.0, 1.0);
    assertThat(result.get("test_top5").getAsDouble()).isGreaterThanOrEqualTo(result.get("test_top1").getAsDouble());
    assertThat(Files.size(out.resolve("learning_curves.png"))).isGreaterThan(1000);
    assertThat(Files.readAllLines(out.resolve("metrics.csv"))).anyMatch(l -> l.startsWith("16,1.0000,validation,"));
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("events.out.tfevents."))
          .contains("state.json", "ckpt-16.index");
    }
  }
}
