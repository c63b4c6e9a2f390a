package dev.nasnet.search.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.search.space.NasNetSearchSpace;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user of nasnet-search without TensorFlow's native jar gets one sentence naming the artifact to add. */
class NativeRuntimeMissingTest {
  @TempDir Path dir;

  /** Builds a controller in a JVM whose class path lacks the native classifier jar; prints what it was told. */
  public static void main(String[] args) {
    try (PpoController c = new PpoController(NasNetSearchSpace.paper(), PpoController.Settings.paper(), 1)) {
      System.out.println("loaded");
    } catch (IllegalStateException e) {
      System.out.println(e.getMessage());
    }
  }

  @Test
  void theMessageNamesTheArtifactAndClassifier() throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> !(p.contains("tensorflow-core-native") && p.contains("linux-x86_64")))
        .collect(Collectors.joining(File.pathSeparator));
    // An empty JavaCPP cache, so libraries extracted by earlier runs are not found either.
    Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dorg.bytedeco.javacpp.cachedir=" + dir, "-cp", classPath, NativeRuntimeMissingTest.class.getName()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("org.tensorflow:tensorflow-core-native:1.1.0").contains("linux-x86_64")
        .contains("linux-x86_64-gpu").doesNotContain("\tat ");
  }
}
