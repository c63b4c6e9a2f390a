package dev.nasnet.examples.cli;

import com.google.gson.JsonObject;
import dev.nasnet.search.trial.PortableTrial;
import dev.nasnet.search.trial.TrialResult;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A trial that only waits ({@code sleepMs}) and rewards a hash of its decisions: it stands in for training in the
 * cluster benchmark, so what is measured is scheduling, not two cores shared by several trainings.
 */
public final class SleepTrial implements PortableTrial {
  @Override
  public TrialResult run(JsonObject config, int[] decisions, long trialId, Path workDir) throws Exception {
    Thread.sleep(config.get("sleepMs").getAsLong());
    return TrialResult.of((Arrays.hashCode(decisions) & 0xffff) / 65536.0);
  }
}
