package dev.nasnet.search.cluster;

import com.google.gson.JsonObject;
import dev.nasnet.search.trial.PortableTrial;
import dev.nasnet.search.trial.TrialResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trial class on the class path but on no allow-list, whose static initialiser leaves a mark: a system property,
 * and a file where {@code NASNET_TRIPWIRE} says. If a worker initialises it, the tests see it.
 */
public final class Tripwire implements PortableTrial {
  static {
    System.setProperty("nasnet.tripwire", "fired");
    String file = System.getenv("NASNET_TRIPWIRE");
    if (file != null) {
      try {
        Files.writeString(Path.of(file), "static initialiser ran in pid " + ProcessHandle.current().pid());
      } catch (java.io.IOException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  @Override
  public TrialResult run(JsonObject config, int[] decisions, long trialId, Path workDir) {
    return TrialResult.of(0);
  }
}
