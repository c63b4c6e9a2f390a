package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.checkpoint.TrainingState;
import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.OpLibrary;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import picocli.CommandLine;

/** Bad options are named with their allowed range before any work; run directories are never overwritten silently. */
class OptionChecksTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "train {0} {1}")
  @CsvSource({"--batch, 0, 1..65536", "--subset, -5, at least 1", "--epochs, 0, positive", "--epochs, -1, positive",
      "--epochs, NaN, positive", "--filters, 100, multiple of 24", "--cells, 0, 1..64", "--lr, 0, positive",
      "--warmup-epochs, 20, '[0.0, 10.0]'", "--drop-path-keep, 0, '(0.0, 1.0]'", "--checkpoint-every, 0, at least 1"})
  void trainNamesTheOptionAndItsRange(String option, String value, String range) {
    CliRun r = CliRun.of("train", option, value, "--data-dir", dir.resolve("no-data").toString(), "--out",
        dir.resolve("run").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(option).contains(range);
    assertThat(dir.resolve("run")).doesNotExist();
  }

  @ParameterizedTest(name = "train-detector {0} {1}")
  @CsvSource({"--batch, 0, 1..1024", "--epochs, -2, positive", "--input-size, 8, 32..4096"})
  void trainDetectorNamesTheOptionBeforeMakingData(String option, String value, String range) {
    CliRun r = CliRun.of("train-detector", "--shapes", "10", option, value, "--out", dir.resolve("d").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(option).contains(range);
  }

  @Test
  void aRunDirectoryIsResumedOrOverwrittenOnlyWhenAsked() throws Exception {
    Path run = Files.createDirectories(dir.resolve("finished"));
    Files.writeString(run.resolve("metrics.csv"), "step,loss\n100,0.5\n");
    TrainingState.record(run, 100);
    CliRun fresh = CliRun.of("train", "--out", run.toString(), "--data-dir", dir.toString());
    assertThat(fresh.code()).isEqualTo(1);
    assertThat(fresh.err()).contains("already holds a run").contains("step 100").contains("--resume")
        .contains("--overwrite");
    assertThat(run.resolve("metrics.csv")).hasContent("step,loss\n100,0.5");
    CliRun detector = CliRun.of("train-detector", "--shapes", "10", "--out", run.toString());
    assertThat(detector.err()).contains("already holds a run");
    CliRun both = CliRun.of("train", "--out", run.toString(), "--resume", "--overwrite");
    assertThat(both.err()).contains("give one");
    CliRun nothing = CliRun.of("train", "--out", dir.resolve("empty").toString(), "--resume");
    assertThat(nothing.err()).contains("nothing to resume");
  }

  @Test
  void everyExampleInTheHelpTextsIsValid() {
    // search --ops: every op of the example is an op.
    String ops = new CommandLine(new SearchCommand()).getCommandSpec().findOption("--ops").description()[0];
    Matcher m = Pattern.compile("e\\.g\\. (\\S+)").matcher(ops);
    assertThat(m.find()).as(ops).isTrue();
    for (String op : m.group(1).split(",")) {
      assertThat(OpLibrary.standard().find(op)).as("op '%s' of the --ops example", op).isPresent();
    }
    // train --freeze-below: the example names a scope of the network train builds.
    String freeze = new CommandLine(new TrainCommand()).getCommandSpec().findOption("--freeze-below")
        .description()[0];
    Matcher f = Pattern.compile("e\\.g\\. (\\S+)").matcher(freeze);
    assertThat(f.find()).isTrue();
    try (Graph g = new Graph()) {
      NasNetModel model = new NasNetBuilder(ExampleModels.fashionMnist(2, 384)).build(g, Mode.TRAINING);
      assertThat(model.variables()).anyMatch(v -> v.name().startsWith(f.group(1) + "/"));
    }
    // And search refuses an op that is not one, naming it, before anything runs.
    CliRun bad = CliRun.of("search", "--ops", "sep_conv_3x3", "--out", dir.resolve("s").toString());
    assertThat(bad.err()).contains("'sep_conv_3x3'").contains("not an op");
  }
}
