package dev.nasnet.search.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.nasnet.search.MacroTrial;
import dev.nasnet.search.NasBenchMacroSpace;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.strategy.TrialOutcome;
import dev.nasnet.search.trial.Search;
import dev.nasnet.search.trial.SearchHistory;
import dev.nasnet.search.trial.SearchJournal;
import dev.nasnet.search.trial.TrialContext;
import dev.nasnet.search.trial.TrialEvaluator;
import dev.nasnet.search.trial.TrialResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrunerTest {
  @TempDir Path dir;
  private final NasBenchMacroSpace space = new NasBenchMacroSpace();

  @Test
  void ashaKeepsTheBestThirdAtEachRung() {
    AshaPruner asha = new AshaPruner(1, 3);
    // The first two at a rung always go on; then only values in the best third of the rung do.
    assertThat(asha.report(1, 1, 0.5)).isFalse();
    assertThat(asha.report(2, 1, 0.2)).isFalse();
    assertThat(asha.report(3, 1, 0.1)).isTrue();   // 3 values, keep 1: 0.5
    assertThat(asha.report(4, 1, 0.9)).isFalse();  // best so far
    assertThat(asha.report(5, 1, 0.4)).isTrue();   // 5 values, keep 2: 0.9, 0.5
    assertThat(asha.report(1, 2, 0.0)).isFalse();  // 2 is not a rung (1, 3, 9)
    assertThat(asha.report(1, 3, 0.6)).isFalse();
    // At the full budget nothing is stopped: the trial is done.
    AshaPruner capped = new AshaPruner(1, 3, 3);
    for (int t = 0; t < 5; t++) {
      assertThat(capped.report(t, 3, t * 0.1)).isFalse();
    }
  }

  @Test
  void medianStopsTrialsBelowTheMedianOfOthersAtTheSameStep() {
    MedianPruner median = new MedianPruner(3, 1);
    for (int t = 0; t < 3; t++) {
      assertThat(median.report(t, 1, 0.5 + t * 0.1)).isFalse(); // fewer than 3 others at step 1
    }
    assertThat(median.report(9, 1, 0.55)).isTrue();   // median of 0.5, 0.6, 0.7 is 0.6
    assertThat(median.report(10, 1, 0.65)).isFalse();
    assertThat(median.report(11, 2, 0.0)).isFalse();  // nobody else at step 2 yet
  }

  /** Nine "epochs"; each architecture's curve rises towards its final reward, the count of '2' layers. */
  private static TrialEvaluator<String> curves(AtomicInteger epochs) {
    return new TrialEvaluator<>() {
      @Override
      public TrialResult evaluate(String arch, long id) {
        return evaluate(arch, id, TrialContext.NONE);
      }

      @Override
      public TrialResult evaluate(String arch, long id, TrialContext context) {
        double last = arch.chars().filter(c -> c == '2').count();
        for (int epoch = 1; epoch <= 9; epoch++) {
          epochs.incrementAndGet();
          context.report(epoch, last * epoch / 9.0);
        }
        return TrialResult.of(last);
      }
    };
  }

  @Test
  void prunedTrialsAreJournaledTheStrategyIsToldAndResumeReplaysThePruner() {
    AtomicInteger epochs = new AtomicInteger();
    Search.Result r = new Search<>(space, new RandomSearch(space, 4), curves(epochs), dir.resolve("asha"), 40, 1, 0)
        .withPruner(AshaPruner.defaults()).run();
    List<TrialOutcome> pruned = r.trials().stream().filter(t -> t.isFailed()).toList();
    assertThat(pruned).isNotEmpty().allMatch(t -> t.failure().startsWith("pruned at step"));
    assertThat(epochs.get()).isLessThan(40 * 9);
    long prunedEvents = SearchJournal.read(dir.resolve("asha")).stream()
        .filter(e -> e.get("type").getAsString().equals("pruned")).count();
    assertThat(prunedEvents).isEqualTo(pruned.size());
    assertThat(SearchJournal.read(dir.resolve("asha")).stream().map(e -> e.get("type").getAsString()))
        .contains("report");
    // The best architecture survives pruning: never pruned at a rung where it leads.
    assertThat(r.best().reward()).isEqualTo(r.trials().stream().filter(t -> !t.isFailed())
        .mapToDouble(TrialOutcome::reward).max().orElseThrow());

    // Cut short at 15 trials, then resumed to 40: the same decisions as the uninterrupted search.
    AtomicInteger again = new AtomicInteger();
    new Search<>(space, new RandomSearch(space, 4), curves(again), dir.resolve("parts"), 15, 1, 0)
        .withPruner(AshaPruner.defaults()).run();
    new Search<>(space, new RandomSearch(space, 4), curves(again), dir.resolve("parts"), 40, 1, 0)
        .withPruner(AshaPruner.defaults()).resuming().run();
    assertThat(statuses(dir.resolve("parts"))).isEqualTo(statuses(dir.resolve("asha")));
  }

  @Test
  void aPrunerNeedsAnExecutorThatCarriesReports() {
    dev.nasnet.search.trial.ProcessTrialExecutor process = new dev.nasnet.search.trial.ProcessTrialExecutor(
        dev.nasnet.search.trial.TrialRecipe.of(MacroTrial.class, new JsonObject()), dir.resolve("p"), 1, 0,
        List.of());
    assertThatThrownBy(() -> new Search<>(space, new RandomSearch(space, 1), process, dir.resolve("p"), 3)
        .withPruner(MedianPruner.defaults()).run()).hasMessageContaining("median")
        .hasMessageContaining("--in-process");
  }

  private static List<String> statuses(Path d) {
    return SearchHistory.read(d).finished().stream()
        .map(t -> t.id() + ":" + (t.outcome().isFailed() ? t.outcome().failure() : "ok")).toList();
  }
}
