package dev.nasnet.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.strategy.RegularizedEvolution;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.strategy.TrialOutcome;
import dev.nasnet.search.trial.TabularEvaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Strategies against random search on NAS-Bench-Macro: 100 evaluations, the same 50 seeds for each. */
class StrategyComparisonTest {
  static final Path TABLE = Path.of("../../shared/data/nas-bench-macro/nas-bench-macro_cifar10.json");
  static final int SEEDS = 50;
  static final int BUDGET = 100;
  private static final Logger LOG = LoggerFactory.getLogger(StrategyComparisonTest.class);
  private static TabularEvaluator table;

  @BeforeAll
  static void load() {
    if (Files.exists(TABLE)) {
      table = TabularEvaluator.read(TABLE);
    }
  }

  /** Best reward found within the budget. */
  static double bestOf(Strategy strategy, NasBenchMacroSpace space) {
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < BUDGET; i++) {
      Proposal p = strategy.ask(1).get(0);
      double reward = table.lookup(space.decode(p.decisions())).orElseThrow();
      strategy.tell(TrialOutcome.completed(p, reward));
      best = Math.max(best, reward);
    }
    return best;
  }

  static double meanBest(LongFunction<Strategy> factory) {
    NasBenchMacroSpace space = new NasBenchMacroSpace();
    double sum = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      sum += bestOf(factory.apply(seed), space);
    }
    return sum / SEEDS;
  }

  @Test
  void tableIsComplete() {
    assumeTrue(table != null, "NAS-Bench-Macro table not found at " + TABLE.toAbsolutePath());
    assertThat(table.size()).isEqualTo(6561);
    assertThat(table.best()).isBetween(93.0, 93.2);
  }

  @Test
  void regularizedEvolutionBeatsRandomSearch() {
    assumeTrue(table != null, "NAS-Bench-Macro table not found at " + TABLE.toAbsolutePath());
    NasBenchMacroSpace space = new NasBenchMacroSpace();
    double random = meanBest(seed -> new RandomSearch(space, seed));
    double evolution = meanBest(seed -> new RegularizedEvolution(space, 20, 5, seed));
    LOG.info("NAS-Bench-Macro, {} evaluations, mean best over {} seeds: random {}, evolution {}", BUDGET, SEEDS,
        random, evolution);
    assertThat(evolution).isGreaterThan(random);
  }
}
