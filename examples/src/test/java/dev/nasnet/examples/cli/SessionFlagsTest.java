package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.runtime.SessionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session flags every command inherits set the library's session defaults, and bad values are named. */
class SessionFlagsTest {
  @AfterEach
  void resetDefaults() {
    CliRun.of("summary", "--preset", "cifar"); // every parse applies the flags' defaults again
  }

  @Test
  void flagsOnAnyCommandSetTheSessionDefaults() {
    CliRun run = CliRun.of("summary", "--preset", "cifar", "--threads", "2", "--inter-op-threads", "3",
        "--gpu-memory-growth", "false", "--visible-gpus", "none");
    assertThat(run.code()).as(run.err()).isZero();
    SessionOptions o = SessionOptions.defaults();
    assertThat(o.intraOpThreads()).isEqualTo(2);
    assertThat(o.interOpThreads()).isEqualTo(3);
    assertThat(o.gpuMemoryGrowth()).isFalse();
    assertThat(o.visibleGpus()).isEqualTo(SessionOptions.NO_GPU);
    CliRun.of("summary", "--preset", "cifar");
    SessionOptions auto = SessionOptions.branchParallel(Runtime.getRuntime().availableProcessors());
    assertThat(SessionOptions.defaults().intraOpThreads()).as("defaults come back on the next parse")
        .isEqualTo(auto.intraOpThreads());
    assertThat(SessionOptions.defaults().interOpThreads()).isEqualTo(auto.interOpThreads());
    CliRun.of("summary", "--preset", "cifar", "--threads", "0", "--inter-op-threads", "0");
    assertThat(SessionOptions.defaults().intraOpThreads()).as("0: TensorFlow's choice").isZero();
    assertThat(SessionOptions.defaults().gpuMemoryGrowth()).isTrue();
  }

  @Test
  void theDefaultSplitsTheCoresForNasnetsBranches() {
    assertThat(SessionOptions.branchParallel(1)).extracting("intraOpThreads", "interOpThreads").containsExactly(1, 1);
    assertThat(SessionOptions.branchParallel(2)).extracting("intraOpThreads", "interOpThreads").containsExactly(1, 2);
    assertThat(SessionOptions.branchParallel(16)).extracting("intraOpThreads", "interOpThreads")
        .containsExactly(4, 4);
  }

  @Test
  void badValuesAreNamedBeforeAnythingRuns() {
    CliRun threads = CliRun.of("summary", "--preset", "cifar", "--threads", "-1");
    assertThat(threads.code()).isEqualTo(2);
    assertThat(threads.err()).startsWith("--threads must be in 0..1024, got -1");
    assertThat(CliRun.of("summary", "--preset", "cifar", "--inter-op-threads", "many").err())
        .startsWith("--inter-op-threads takes a thread count or auto, got 'many'");
    assertThat(CliRun.of("train", "--visible-gpus", "first").err())
        .startsWith("--visible-gpus takes GPU indices such as 0 or 0,1, or none, got 'first'");
  }
}
