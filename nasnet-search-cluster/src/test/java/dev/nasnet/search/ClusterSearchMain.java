package dev.nasnet.search;

import com.google.gson.JsonObject;
import dev.nasnet.search.cluster.ClusterSettings;
import dev.nasnet.search.cluster.HazelcastTrialExecutor;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.trial.Search;
import dev.nasnet.search.trial.TrialRecipe;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A search controller for the cluster tests, in a JVM of its own so a test can SIGKILL it: random search over
 * NAS-Bench-Macro's space, {@link MacroTrial}s that sleep, trials on the cluster's workers.
 * Arguments: search directory, port, members, cluster name, trials, sleep per trial in ms[, cluster secret file].
 */
public final class ClusterSearchMain {
  private ClusterSearchMain() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    ClusterSettings settings = ClusterSettings.parse(args[2]).withPort(Integer.parseInt(args[1])).withName(args[3])
        .withLeaseTimeout(Duration.ofSeconds(5));
    if (args.length > 6) {
      settings = settings.withSecret(dev.nasnet.search.cluster.ClusterSecret.read(Path.of(args[6])));
    }
    JsonObject config = new JsonObject();
    config.addProperty("sleepMs", Long.parseLong(args[5]));
    NasBenchMacroSpace space = new NasBenchMacroSpace();
    Search<String> search = new Search<>(space, new RandomSearch(space, 7),
        new HazelcastTrialExecutor(settings, TrialRecipe.of(MacroTrial.class, config), 60_000, 0), dir,
        Integer.parseInt(args[4]));
    // A restarted controller continues the search its killed predecessor left.
    if (java.nio.file.Files.exists(dir.resolve(dev.nasnet.search.trial.SearchJournal.FILE))) {
      search.resuming();
    }
    search.run();
    System.exit(0);
  }
}
