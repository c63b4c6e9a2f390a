package dev.nasnet.search.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.search.GreedyMutation;
import dev.nasnet.search.NasBenchMacroSpace;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.strategy.RegularizedEvolution;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.strategy.TrialOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batching, stopping and resuming do not change what a strategy proposes or the state it ends in. */
class ResumeExactnessTest {
  private final NasBenchMacroSpace space = new NasBenchMacroSpace();
  private final TrialEvaluator<String> reward = (arch, id) -> TrialResult.of(KillableSearchMain.reward(arch));
  @TempDir Path dir;

  @Test
  void proposalsDoNotDependOnBatching() {
    List<Supplier<Strategy>> strategies = List.of(() -> new RandomSearch(space, 3),
        () -> new RegularizedEvolution(space, RegularizedEvolution.Settings.defaults(), 3),
        () -> new GreedyMutation(space, 3));
    for (Supplier<Strategy> make : strategies) {
      Strategy a = make.get();
      Strategy b = make.get();
      for (int round = 0; round < 3; round++) {
        List<Proposal> together = a.ask(round * 20L, 20);
        for (int k = 0; k < 20; k++) {
          Proposal alone = b.ask(round * 20L + k, 1).get(0);
          assertThat(alone.decisions()).as("%s trial %s", a.getClass().getSimpleName(), alone.id())
              .isEqualTo(together.get(k).decisions());
        }
        for (Proposal p : together) {
          double r = KillableSearchMain.reward(space.decode(p.decisions()));
          a.tell(TrialOutcome.completed(p, r));
          b.tell(TrialOutcome.completed(p, r));
        }
      }
      assertThat(b.snapshot()).isEqualTo(a.snapshot());
    }
  }

  @Test
  void aSearchStoppedAndContinuedEndsInTheUninterruptedState() throws IOException {
    for (String name : List.of("evolution", "greedy")) {
      Path whole = dir.resolve(name + "-whole");
      Path parts = dir.resolve(name + "-parts");
      search(name, whole, 60).run();
      search(name, parts, 17).run();
      search(name, parts, 38).resuming().run();
      search(name, parts, 60).resuming().run();
      assertThat(Files.readString(parts.resolve(StrategySnapshot.FILE)))
          .isEqualTo(Files.readString(whole.resolve(StrategySnapshot.FILE)));
      // Without the snapshot the whole journal is replayed, to the same state.
      Files.delete(parts.resolve(StrategySnapshot.FILE));
      search(name, parts, 60).resuming().run();
      assertThat(Files.readString(parts.resolve(StrategySnapshot.FILE)))
          .isEqualTo(Files.readString(whole.resolve(StrategySnapshot.FILE)));
      assertThat(Files.size(whole.resolve(SearchJournal.FILE)) / 60).as("journal bytes per trial").isLessThan(400);
    }
  }

  @Test
  void aDirectoryIsResumedOnlyWhenAskedAndOnlyWithTheSameStrategy() {
    Path d = dir.resolve("s");
    search("evolution", d, 5).run();
    assertThatThrownBy(() -> search("evolution", d, 10).run()).hasMessageContaining("already holds a search")
        .hasMessageContaining("resuming()");
    assertThatThrownBy(() -> search("greedy", d, 10).resuming().run()).hasMessageContaining("search.json")
        .hasMessageContaining("strategy").hasMessageContaining("GreedyMutation");
    assertThatThrownBy(() -> search("evolution", dir.resolve("none"), 10).resuming().run())
        .hasMessageContaining("nothing to resume");
    Search.Result again = search("evolution", d, 5).overwriting().run();
    assertThat(again.trials()).hasSize(5);
  }

  @Test
  void duplicatesAreCountedAndTheCacheIsOptIn() {
    // A 3-decision space has 27 architectures: 60 proposals must repeat some.
    Search.Result counted = new Search<>(new TinySpace(), new RandomSearch(new TinySpace(), 1),
        (String a, long id) -> TrialResult.of(a.length()), dir.resolve("dup"), 60, 1, 0).run();
    assertThat(counted.duplicates()).isGreaterThanOrEqualTo(60 - 27);
    java.util.concurrent.atomic.AtomicInteger trained = new java.util.concurrent.atomic.AtomicInteger();
    Search.Result cached = new Search<>(new TinySpace(), new RandomSearch(new TinySpace(), 1), (String a, long id) -> {
      trained.incrementAndGet();
      return TrialResult.of(a.length());
    }, dir.resolve("cache"), 60, 1, 0).withDuplicateCache(true).run();
    assertThat(cached.trials()).hasSize(60);
    assertThat(trained.get()).isEqualTo(60 - cached.duplicates());
  }

  private Search<String> search(String strategy, Path d, int budget) {
    Strategy s = strategy.equals("greedy") ? new GreedyMutation(space, 5)
        : new RegularizedEvolution(space, RegularizedEvolution.Settings.defaults(), 5);
    return new Search<>(space, s, reward, d, budget, 1, 0).withSnapshotEvery(7, Duration.ofHours(1));
  }

  /** Three decisions of three choices: 27 architectures. */
  static final class TinySpace implements dev.nasnet.search.space.SearchSpace<String> {
    @Override
    public int length() {
      return 3;
    }

    @Override
    public int choices(int position, int[] prefix) {
      return 3;
    }

    @Override
    public String decode(int[] decisions) {
      return java.util.Arrays.toString(decisions);
    }
  }
}
