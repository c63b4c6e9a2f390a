package dev.nasnet.examples.cli;

import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.strategy.PpoController;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.strategy.RegularizedEvolution;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.trial.Search;
import dev.nasnet.search.trial.SearchJournal;
import dev.nasnet.search.trial.StrategySnapshot;
import dev.nasnet.search.trial.TrialReport;
import dev.nasnet.search.trial.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code bench --search-journal}: a whole search at the paper's scale with a synthetic reward and one worker, so the
 * time per trial is the search's own overhead (strategy, journal, snapshots). Prints the journal's and snapshot's
 * bytes, the overhead per trial early and late, and how long resuming the finished search takes.
 */
final class SearchJournalBench {
  private SearchJournalBench() {}

  static int run(String strategyName, int trials, Path dir) throws IOException {
    NasNetSearchSpace space = NasNetSearchSpace.paper();
    if (Files.exists(dir.resolve(SearchJournal.FILE))) {
      throw new IllegalArgumentException(dir + " already holds a search; give an empty --bench-dir");
    }
    long[] finishedAt = new long[trials + 1];
    long t0 = System.nanoTime();
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("search").setInitialMax(trials)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).showSpeed().build()) {
      new Search<>(space, strategy(strategyName, space), (arch, id) -> TrialResult.of(reward(arch.toString())), dir,
          trials, 1, 0).withListener(new Search.Listener() {
            @Override
            public void trialFinished(TrialReport report, int finished, int budget) {
              finishedAt[finished] = System.nanoTime();
              bar.stepTo(finished);
            }
          }).run();
    }
    finishedAt[0] = t0;
    double total = (System.nanoTime() - t0) / 1e9;
    long resumeStart = System.nanoTime();
    new Search<>(space, strategy(strategyName, space), (arch, id) -> TrialResult.of(0), dir, trials, 1, 0)
        .resuming().run();
    double resume = (System.nanoTime() - resumeStart) / 1e9;
    int window = Math.min(1000, trials / 2);
    System.out.printf(Locale.ROOT, "search of %,d trials, %s, 1 worker, synthetic reward: %.1f s in all%n", trials,
        strategyName, total);
    System.out.printf(Locale.ROOT, "journal   %,d bytes (%.0f bytes per trial)%n",
        Files.size(dir.resolve(SearchJournal.FILE)), (double) Files.size(dir.resolve(SearchJournal.FILE)) / trials);
    System.out.printf(Locale.ROOT, "snapshot  %,d bytes%n", Files.size(dir.resolve(StrategySnapshot.FILE)));
    System.out.printf(Locale.ROOT, "overhead per trial: %.3f ms over trials 1-%d, %.3f ms over trials %d-%d%n",
        perTrial(finishedAt, 1, window), window, perTrial(finishedAt, trials - window + 1, trials),
        trials - window + 1, trials);
    System.out.printf(Locale.ROOT, "resume of the finished search: %.2f s%n", resume);
    return 0;
  }

  private static double perTrial(long[] finishedAt, int from, int to) {
    return (finishedAt[to] - finishedAt[from - 1]) / 1e6 / (to - from + 1);
  }

  private static Strategy strategy(String name, NasNetSearchSpace space) {
    return switch (name) {
      case "ppo" -> new PpoController(space, PpoController.Settings.paper(), 1);
      case "evolution" -> new RegularizedEvolution(space, RegularizedEvolution.Settings.paper(), 1);
      case "random" -> new RandomSearch(space, 1);
      default -> throw new IllegalArgumentException("--strategy must be ppo, evolution or random, got '" + name + "'");
    };
  }

  /** A deterministic stand-in for validation accuracy, from the architecture's text. */
  private static double reward(String arch) {
    return 0.5 + (arch.hashCode() & 0xffff) / 131072.0;
  }
}
