package dev.nasnet.search.proxy;

import com.google.gson.JsonObject;
import dev.nasnet.core.spec.CellSpecJson;
import dev.nasnet.search.space.NasNetArchitecture;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.trial.PortableTrial;
import dev.nasnet.search.trial.TrialRecipe;
import dev.nasnet.search.trial.TrialResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The proxy-task trial as a {@link PortableTrial}, so each child trains in a JVM of its own. Configuration:
 * {@code {"space": NasNetSearchSpace JSON, "task": ProxyTask JSON}}. The decoded cells are written next to the trial's
 * log as DSL JSON, so a trial directory says what it trained.
 */
public final class ProxyTaskTrial implements PortableTrial {
  public static TrialRecipe recipe(NasNetSearchSpace space, ProxyTask task) {
    JsonObject config = new JsonObject();
    config.add("space", space.toJson());
    config.add("task", task.toJson());
    return TrialRecipe.of(ProxyTaskTrial.class, config);
  }

  @Override
  public TrialResult run(JsonObject config, int[] decisions, long trialId, Path workDir) throws Exception {
    NasNetSearchSpace space = NasNetSearchSpace.fromJson(config.getAsJsonObject("space"));
    ProxyTask task = ProxyTask.fromJson(config.getAsJsonObject("task"));
    NasNetArchitecture a = space.decode(decisions);
    Files.writeString(workDir.resolve("normal_cell.json"), CellSpecJson.toJson(a.normal()));
    if (a.reduction() != null) {
      Files.writeString(workDir.resolve("reduction_cell.json"), CellSpecJson.toJson(a.reduction()));
    }
    return new ProxyTaskEvaluator(task, workDir).evaluate(a, workDir.resolve("train"));
  }
}
