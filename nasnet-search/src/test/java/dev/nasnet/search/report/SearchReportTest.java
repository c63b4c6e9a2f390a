package dev.nasnet.search.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.spec.CellSpecJson;
import dev.nasnet.search.NasBenchMacroSpace;
import dev.nasnet.search.space.NasNetArchitecture;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.strategy.RegularizedEvolution;
import dev.nasnet.search.trial.Search;
import dev.nasnet.search.trial.SearchHistory;
import dev.nasnet.search.trial.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchReportTest {
  @TempDir Path dir;

  @Test
  void trialsCsvRankedArchitecturesAndBestSoFarComeFromTheJournal() throws IOException {
    NasBenchMacroSpace space = new NasBenchMacroSpace();
    new Search<>(space, new RegularizedEvolution(space, 6, 2, 4), (String arch, long id) -> {
      if (id == 3) {
        throw new IllegalStateException("diverged, \"badly\"");
      }
      return TrialResult.of(arch.chars().filter(c -> c == '2').count() + (arch.charAt(0) == '1' ? 0.5 : 0),
          Map.of("ones", (double) arch.chars().filter(c -> c == '1').count()));
    }, dir, 25, 2, 0).run();

    Path out = SearchReport.write(dir, space, 3, (arch, folder) -> {
      Files.createDirectories(folder);
      Files.writeString(folder.resolve("arch.txt"), arch);
    });
    List<String> rows = Files.readAllLines(out.resolve("trials.csv"));
    assertThat(rows.get(0)).isEqualTo("order,id,status,reward,best_so_far,seconds,ones,decisions,error");
    assertThat(rows).hasSize(26);
    assertThat(rows).filteredOn(r -> r.contains(",failed,")).singleElement().asString()
        .endsWith(",\"IllegalStateException: diverged, \"\"badly\"\"\"");
    double[] best = SearchHistory.read(dir).bestSoFar();
    for (int i = 1; i < best.length; i++) {
      assertThat(best[i]).isGreaterThanOrEqualTo(best[i - 1]);
    }
    List<SearchHistory.Trial> ranked = SearchReport.ranked(SearchHistory.read(dir), space, 3);
    assertThat(ranked.get(0).outcome().reward()).isEqualTo(best[best.length - 1]);
    assertThat(ranked).extracting(t -> t.outcome().reward()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(ranked).extracting(t -> space.canonicalHash(t.outcome().decisions())).doesNotHaveDuplicates();
    for (int r = 0; r < 3; r++) {
      assertThat(Files.readString(out.resolve(String.format("rank-%02d/arch.txt", r + 1))))
          .isEqualTo(space.decode(ranked.get(r).outcome().decisions()));
    }
    assertThat(Files.readAllLines(out.resolve("ranked.csv"))).hasSize(4);
  }

  @Test
  void nasNetArchitecturesAreWrittenAsDslJsonThatReadsBackAndAsDot() throws IOException {
    NasNetSearchSpace space = NasNetSearchSpace.paper();
    NasNetArchitecture a = space.decode(space.sample(new SplittableRandom(8)));
    new NasNetArchitectureWriter().write(a, dir);
    assertThat(CellSpecJson.fromJson(Files.readString(dir.resolve("normal_cell.json")))).isEqualTo(a.normal());
    assertThat(CellSpecJson.fromJson(Files.readString(dir.resolve("reduction_cell.json")))).isEqualTo(a.reduction());
    assertThat(Files.readString(dir.resolve("normal_cell.dot"))).startsWith("digraph");
  }
}
