package dev.nasnet.search.trial;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * A trial that another JVM can run from data alone: a public class with a public no-argument constructor, given the
 * JSON configuration of its {@link TrialRecipe}, the decision sequence and the trial id. It decodes the sequence with
 * whatever space the configuration describes and evaluates the result. This is what lets
 * {@link ProcessTrialExecutor} (and executors on other machines) run a user's own space and evaluator.
 */
public interface PortableTrial {
  /**
   * @param workDir a directory of this trial's own, for checkpoints and logs
   */
  TrialResult run(JsonObject config, int[] decisions, long trialId, Path workDir) throws Exception;
}
