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
    assertThat(checkSnippet("Quickstart.java", "quickstart")).hasSizeLessThanOrEqualTo(5);
  }

  @Test
  void readmeDetectionSnippetMatchesTheCompiledExample() throws IOException {
    checkSnippet("DetectionQuickstart.java", "detection");
  }

  /** The lines between the example's "README NAME start/end" comments must be the README's block after its marker. */
  private static List<String> checkSnippet(String example, String name) throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> source = Files.readAllLines(root.resolve("examples/src/main/java/dev/nasnet/examples/" + example));
    int from = source.indexOf("    // README " + name + " start");
    int to = source.indexOf("    // README " + name + " end");
    assertThat(from).as("start marker in %s", example).isNotNegative();
    List<String> snippet = source.subList(from + 1, to).stream().map(l -> l.substring(4)).toList();
    String readme = Files.readString(root.resolve("README.md"));
    int marker = readme.indexOf("<!-- " + name + ":");
    assertThat(marker).as("README marker for %s", name).isPositive();
    int start = readme.indexOf("```java\n", marker) + "```java\n".length();
    int end = readme.indexOf("```", start);
    assertThat(readme.substring(start, end).lines().toList()).isEqualTo(snippet);
    return snippet;
  }
}
