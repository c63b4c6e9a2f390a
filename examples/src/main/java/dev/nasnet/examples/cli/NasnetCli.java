package dev.nasnet.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nasnet} command-line tool. */
@Command(name = "nasnet", mixinStandardHelpOptions = true, versionProvider = NasnetVersion.class,
    description = "NASNet models on TensorFlow Java: summaries, classification, export and benchmarks.",
    subcommands = {DemoCommand.class, SummaryCommand.class, ClassifyCommand.class, ExportCommand.class,
        BenchCommand.class, TrainCommand.class, SearchCommand.class, WorkerCommand.class,
        ClusterBenchCommand.class, CocoEvalCommand.class, ShapesCommand.class, TrainDetectorCommand.class,
        EvaluateDetectorCommand.class, DetectCommand.class, ExportDetectorCommand.class, CommandLine.HelpCommand.class})
public final class NasnetCli {
  private NasnetCli() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the tool and returns its exit code; for tests. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new NasnetCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // Bad input deserves a sentence, not a stack trace.
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }
}
