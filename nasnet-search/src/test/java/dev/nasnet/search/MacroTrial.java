package dev.nasnet.search;

import com.google.gson.JsonObject;
import dev.nasnet.search.trial.PortableTrial;
import dev.nasnet.search.trial.TrialResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * A portable trial for the process-executor tests: decodes with {@link NasBenchMacroSpace}, rewards the number of
 * '2' layers after an optional sleep, and misbehaves on the trial ids its configuration names (crash the JVM, throw, hang).
 */
public final class MacroTrial implements PortableTrial {
  @Override
  public TrialResult run(JsonObject config, int[] decisions, long trialId, Path workDir) throws Exception {
    if (config.has("haltOn") && config.get("haltOn").getAsLong() == trialId) {
      Runtime.getRuntime().halt(134); // what an abort in native code looks like from outside
    }
    if (config.has("throwOn") && config.get("throwOn").getAsLong() == trialId) {
      throw new IllegalStateException("child diverged at trial " + trialId);
    }
    if (config.has("hangOn") && config.get("hangOn").getAsLong() == trialId) {
      Thread.sleep(600_000);
    }
    if (config.has("sleepMs")) {
      Thread.sleep(config.get("sleepMs").getAsLong()); // stands in for training, so scheduling shows
    }
    String arch = new NasBenchMacroSpace().decode(decisions);
    double twos = arch.chars().filter(c -> c == '2').count();
    return TrialResult.of(twos, Map.of("pid", (double) ProcessHandle.current().pid()));
  }
}
