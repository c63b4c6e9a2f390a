package dev.nasnet.search.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nasnet.search.GreedyMutation;
import dev.nasnet.search.NasBenchMacroSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's custom strategy is this file's class, and it runs unchanged on a user-defined space. */
class CustomStrategyTest {

  @Test
  void readmeShowsTheStrategyThisTestRuns() throws IOException {
    List<String> source = Files.readAllLines(Path.of("src/test/java/dev/nasnet/search/GreedyMutation.java"));
    List<String> body = source.subList(source.indexOf("// README custom strategy start") + 1,
        source.indexOf("// README custom strategy end"));
    assertThat(body.size()).isLessThanOrEqualTo(55);
    String readme = Files.readString(Path.of("../README.md"));
    int start = readme.indexOf("```java\n", readme.indexOf("<!-- custom strategy:")) + "```java\n".length();
    assertThat(readme.substring(start, readme.indexOf("```", start)).lines().toList()).isEqualTo(body);
  }

  @Test
  void greedyMutationImprovesOnItsFirstSamples() {
    assumeTrue(Files.exists(StrategyComparisonTest.TABLE), "NAS-Bench-Macro table not found");
    StrategyComparisonTest.load();
    double mean = StrategyComparisonTest.meanBest(seed -> new GreedyMutation(new NasBenchMacroSpace(), seed), 1);
    // Mean best of 100 random samples is 92.85; hill climbing should not do worse.
    assertThat(mean).isGreaterThan(92.8);
  }
}
