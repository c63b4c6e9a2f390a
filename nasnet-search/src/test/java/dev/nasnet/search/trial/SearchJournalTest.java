package dev.nasnet.search.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.nasnet.search.NasBenchMacroSpace;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.RegularizedEvolution;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.strategy.TrialOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchJournalTest {
  @TempDir Path dir;
  private final NasBenchMacroSpace space = new NasBenchMacroSpace();
  /** A synthetic reward: more '2' layers is better. */
  private final TrialEvaluator<String> twos = (arch, id) -> TrialResult.of(arch.chars().filter(c -> c == '2').count());

  private static Map<Long, Integer> finishedCounts(List<JsonObject> events) {
    Map<Long, Integer> counts = new HashMap<>();
    for (JsonObject e : events) {
      String t = e.get("type").getAsString();
      if (t.equals("completed") || t.equals("failed")) {
        counts.merge(e.get("id").getAsLong(), 1, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  void aSearchCutShortResumesWithEachTrialFinishedOnce() throws IOException {
    Path full = dir.resolve("full");
    new Search<>(space, new RegularizedEvolution(space, 8, 3, 1), twos, full, 30, 2, 0).run();
    List<String> lines = Files.readAllLines(full.resolve(SearchJournal.FILE));
    // Cut the journal after its 12th finished trial, leaving half a line as a crash would.
    int finished = 0;
    int cut = 0;
    for (int i = 0; i < lines.size() && finished < 12; i++) {
      if (lines.get(i).contains("\"type\":\"completed\"") || lines.get(i).contains("\"type\":\"failed\"")) {
        finished++;
      }
      cut = i + 1;
    }
    Path partial = dir.resolve("partial");
    Files.createDirectories(partial);
    String head = String.join("\n", lines.subList(0, cut + 1)) + "\n";
    String torn = lines.get(cut + 1).substring(0, lines.get(cut + 1).length() / 2);
    Files.writeString(partial.resolve(SearchJournal.FILE), head + torn);

    AtomicInteger evaluated = new AtomicInteger();
    Search.Result r = new Search<>(space, new RegularizedEvolution(space, 8, 3, 1),
        (String arch, long id) -> {
          evaluated.incrementAndGet();
          return twos.evaluate(arch, id);
        }, partial, 30, 2, 0).resuming().run();
    assertThat(r.trials()).hasSize(30);
    assertThat(evaluated.get()).isEqualTo(18);
    List<String> after = Files.readAllLines(partial.resolve(SearchJournal.FILE));
    // Only the torn line is unreadable; what the resumed search appended starts on a line of its own.
    assertThat(after.get(cut + 1)).isEqualTo(torn);
    assertThat(after.subList(cut + 2, after.size())).allMatch(l -> l.startsWith("{\"type\""));
    Map<Long, Integer> counts = finishedCounts(SearchJournal.read(partial));
    assertThat(counts).hasSize(30);
    assertThat(counts.values()).containsOnly(1);
  }

  @Test
  void failingAndHangingTrialsAreRecordedAndTheSearchGoesOn() {
    TrialEvaluator<String> flaky = (arch, id) -> {
      if (id % 5 == 1) {
        throw new IllegalStateException("child diverged");
      }
      if (id % 7 == 3) {
        Thread.sleep(60_000);
      }
      return twos.evaluate(arch, id);
    };
    Search.Result r = new Search<>(space, new RegularizedEvolution(space, 8, 3, 2), flaky, dir.resolve("s"), 20, 2,
        500).run();
    assertThat(r.trials()).hasSize(20);
    assertThat(r.trials()).filteredOn(TrialOutcome::isFailed).extracting(TrialOutcome::failure)
        .anyMatch(f -> f.contains("child diverged")).anyMatch(f -> f.contains("timed out after 500 ms"));
    assertThat(r.best().reward()).isGreaterThan(0);
  }

  @Test
  void aStrategyThatThrowsStopsTheSearchWithItsNameAndTheJournalIntact() {
    Strategy broken = new Strategy() {
      @Override
      public List<Proposal> ask(long firstId, int n) {
        throw new ArithmeticException("division by zero in ask");
      }

      @Override
      public void tell(TrialOutcome outcome) {}

      @Override
      public JsonObject snapshot() {
        return new JsonObject();
      }

      @Override
      public void restore(JsonObject state) {}
    };
    assertThatThrownBy(() -> new Search<>(space, broken, twos, dir.resolve("b"), 5, 1, 0).run())
        .hasMessageContaining("failed to propose: division by zero in ask").hasMessageContaining("journal");
  }

  @Test
  void aSpaceWithAPositionWithoutChoicesIsRejectedBeforeAnyTrialRuns() {
    dev.nasnet.search.space.SearchSpace<String> broken = new dev.nasnet.search.space.SearchSpace<>() {
      @Override
      public int length() {
        return 8;
      }

      @Override
      public int choices(int position, int[] prefix) {
        return position == 5 ? 0 : 3;
      }

      @Override
      public String decode(int[] decisions) {
        return java.util.Arrays.toString(decisions);
      }
    };
    assertThatThrownBy(() -> new Search<>(broken, new RegularizedEvolution(space, 8, 3, 1), twos, dir.resolve("x"), 5,
        1, 0).run()).hasMessageContaining("offers 0 choices at decision 5 (position 5)");
    assertThat(dir.resolve("x")).doesNotExist();
  }
}
