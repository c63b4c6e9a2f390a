package dev.nasnet.search.trial;

import dev.nasnet.search.NasBenchMacroSpace;
import dev.nasnet.search.strategy.PpoController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PPO search over the NAS-Bench-Macro space with a deterministic synthetic reward, one worker and a snapshot every
 * few events, run in a JVM of its own so a test can SIGKILL it at any moment. Prints "started" once the search runs.
 * Arguments: directory, trials, milliseconds per trial, snapshot every N events.
 */
public final class KillableSearchMain {
  private KillableSearchMain() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int trials = Integer.parseInt(args[1]);
    long sleep = Long.parseLong(args[2]);
    int every = Integer.parseInt(args[3]);
    NasBenchMacroSpace space = new NasBenchMacroSpace();
    Search<String> search = new Search<>(space, new PpoController(space, PpoController.Settings.smallBudget(), 11),
        (String arch, long id) -> {
          Thread.sleep(sleep);
          return TrialResult.of(reward(arch));
        }, dir, trials, 1, 0).withSnapshotEvery(every, Duration.ofHours(1));
    if (Files.exists(dir.resolve(SearchJournal.FILE))) {
      search.resuming();
    }
    search.withListener(new Search.Listener() {
      @Override
      public void started(int finished, int budget) {
        System.out.println("started " + finished);
        System.out.flush();
      }
    }).run();
    System.exit(0);
  }

  /** Deterministic, with structure for the controller to learn: '2' layers early count most. */
  static double reward(String arch) {
    double r = 0;
    for (int i = 0; i < arch.length(); i++) {
      r += arch.charAt(i) == '2' ? 1.0 / (i + 1) : arch.charAt(i) == '1' ? 0.3 / (i + 1) : 0;
    }
    return r;
  }
}
