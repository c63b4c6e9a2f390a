package dev.nasnet.search.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.nasnet.search.MacroTrial;
import dev.nasnet.search.NasBenchMacroSpace;
import dev.nasnet.search.strategy.RandomSearch;
import dev.nasnet.search.strategy.TrialOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTrialExecutorTest {
  @TempDir Path dir;
  private final NasBenchMacroSpace space = new NasBenchMacroSpace();

  @Test
  void eachTrialRunsInItsOwnJvmAndCrashesThrowsAndHangsAreFailedTrials() throws Exception {
    JsonObject config = new JsonObject();
    config.addProperty("haltOn", 2);
    config.addProperty("throwOn", 3);
    config.addProperty("hangOn", 4);
    TrialRecipe recipe = TrialRecipe.of(MacroTrial.class, config);
    Search.Result r = new Search<>(space, new RandomSearch(space, 5),
        new ProcessTrialExecutor(recipe, dir, 2, 8_000, List.of("-Xmx64m")), dir, 7).run();

    Map<Long, TrialOutcome> byId = r.trials().stream().collect(Collectors.toMap(TrialOutcome::id, t -> t));
    assertThat(byId).hasSize(7);
    assertThat(byId.get(2L).failure()).contains("exited with code 134").contains("without a result");
    assertThat(byId.get(3L).failure()).isEqualTo("IllegalStateException: child diverged at trial 3");
    assertThat(byId.get(4L).failure()).startsWith("timed out after 8000 ms");
    for (long id : List.of(0L, 1L, 5L, 6L)) {
      TrialOutcome t = byId.get(id);
      assertThat(t.isFailed()).as("trial %s", id).isFalse();
      assertThat(t.reward()).isEqualTo(space.decode(t.decisions()).chars().filter(c -> c == '2').count());
    }
    // Every completed trial ran in a process of its own, none in this one.
    Set<Double> pids = new HashSet<>();
    SearchJournal.read(dir).stream().filter(e -> e.get("type").getAsString().equals("completed"))
        .forEach(e -> pids.add(e.getAsJsonObject("metrics").get("pid").getAsDouble()));
    assertThat(pids).hasSize(4).doesNotContain((double) ProcessHandle.current().pid());
    assertThat(dir.resolve("trials/4/attempt-1/trial.json")).exists();
    assertThat(Files.readString(dir.resolve("trials/3/attempt-1/trial.log"))).contains("child diverged");
  }

  @Test
  void aRecipeWhoseClassCannotBeMadeIsRejectedBeforeAnyTrialStarts() {
    assertThatThrownBy(() -> new ProcessTrialExecutor(new TrialRecipe("com.example.Missing", null), dir, 1, 0,
        List.of())).hasMessageContaining("com.example.Missing is not on the class path");
    assertThatThrownBy(() -> new ProcessTrialExecutor(new TrialRecipe(String.class.getName(), null), dir, 1, 0,
        List.of())).hasMessageContaining("does not implement");
  }
}
