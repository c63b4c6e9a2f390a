package dev.nasnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's Java snippets are the compiled example classes, line for line. */
class QuickstartReadmeTest {

  @Test
  void readmeSnippetMatchesTheCompiledExample() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> source = Files.readAllLines(root.resolve(
        "examples/src/main/java/dev/nasnet/examples/Quickstart.java"));
    int from = source.indexOf("    // README quickstart start");
    int to = source.indexOf("    // README quickstart end");
    List<String> snippet = source.subList(from + 1, to).stream().map(l -> l.substring(4)).toList();
    assertThat(snippet).hasSizeLessThanOrEqualTo(5);

    String readme = Files.readString(root.resolve("README.md"));
    int marker = readme.indexOf("<!-- quickstart:");
    int start = readme.indexOf("```java\n", marker) + "```java\n".length();
    int end = readme.indexOf("```", start);
    assertThat(readme.substring(start, end).lines().toList()).isEqualTo(snippet);
  }

  @Test
  void readmeDetectionSnippetMatchesTheCompiledExample() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> source = Files.readAllLines(root.resolve(
        "examples/src/main/java/dev/nasnet/examples/DetectionQuickstart.java"));
    int from = source.indexOf("    // README detection start");
    int to = source.indexOf("    // README detection end");
    List<String> snippet = source.subList(from + 1, to).stream().map(l -> l.substring(4)).toList();
    String readme = Files.readString(root.resolve("README.md"));
    int marker = readme.indexOf("<!-- detection:");
    assertThat(marker).isPositive();
    int start = readme.indexOf("```java\n", marker) + "```java\n".length();
    int end = readme.indexOf("```", start);
    assertThat(readme.substring(start, end).lines().toList()).isEqualTo(snippet);
  }
}
