package dev.nasnet.examples.cli;

import dev.nasnet.core.checkpoint.RunDirectory;
import dev.nasnet.core.train.TrainingRun;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out}, {@code --resume}, {@code --overwrite}, {@code --divergence-factor}: where and how a training run goes. */
final class RunOptions {
  @Option(names = "--out", description = "run directory")
  Path out;

  @Option(names = "--resume", description = "continue the run in --out from its last checkpoint")
  boolean resume;

  @Option(names = "--overwrite", description = "delete the run in --out (checkpoints, state, metrics, events, "
      + "learning_curves.png and this command's own files) and start again")
  boolean overwrite;

  @Option(names = "--divergence-factor", defaultValue = "100", description = "stop when the loss exceeds this "
      + "multiple of the first step's; 0 turns the guard off")
  double divergenceFactor;

  RunOptions(Path out) {
    this.out = out;
  }

  RunDirectory.StartMode mode() {
    return CliChecks.startMode(resume, overwrite);
  }

  /** Checks the options, then applies the directory rule to --out with this command's extra files. */
  void prepare(java.util.Set<String> extraRunFiles) {
    if (divergenceFactor != 0) {
      CliChecks.inRange("--divergence-factor", divergenceFactor, 1, false, Double.MAX_VALUE);
    }
    RunDirectory.prepare(out, mode(), extraRunFiles);
  }

  /** The library's run for --out. */
  TrainingRun run() {
    return TrainingRun.in(out).startingAs(mode()).withDivergenceFactor(divergenceFactor);
  }
}
