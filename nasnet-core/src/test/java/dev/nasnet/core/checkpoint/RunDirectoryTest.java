package dev.nasnet.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.checkpoint.RunDirectory.StartMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path dir;

  @Test
  void aRunIsContinuedOrStartedAgainOnlyWhenAsked() throws IOException {
    RunDirectory.prepare(dir.resolve("fresh"), StartMode.NEW, Set.of());
    Files.writeString(dir.resolve("metrics.csv"), "step,loss\n1,2.3\n");
    Files.writeString(dir.resolve("ckpt-500.index"), "x");
    Files.writeString(dir.resolve("notes.txt"), "the user's own file");
    TrainingState.record(dir, 500);
    assertThatThrownBy(() -> RunDirectory.prepare(dir, StartMode.NEW, Set.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(dir.toString())
        .hasMessageContaining("state.json at step 500").hasMessageContaining("--resume")
        .hasMessageContaining("--overwrite");
    RunDirectory.prepare(dir, StartMode.RESUME, Set.of());
    RunDirectory.prepare(dir, StartMode.OVERWRITE, Set.of());
    assertThat(dir.resolve("metrics.csv")).doesNotExist();
    assertThat(dir.resolve("state.json")).doesNotExist();
    assertThat(dir.resolve("ckpt-500.index")).doesNotExist();
    assertThat(dir.resolve("notes.txt")).hasContent("the user's own file");
    RunDirectory.prepare(dir, StartMode.NEW, Set.of());
  }

  @Test
  void resumingWhereThereIsNothingToResumeFails() throws IOException {
    assertThatThrownBy(() -> RunDirectory.prepare(dir, StartMode.RESUME, Set.of()))
        .hasMessageContaining("nothing to resume in " + dir);
    Files.writeString(dir.resolve("metrics.csv"), "step\n");
    assertThatThrownBy(() -> RunDirectory.prepare(dir, StartMode.RESUME, Set.of()))
        .hasMessageContaining("nothing to resume").hasMessageContaining("metrics.csv");
  }
}
