package dev.nasnet.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nasnet} command-line tool. */
@Command(name = "nasnet", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class,
    description = {"NASNet models and neural architecture search on TensorFlow Java.",
        "Models: summary, classify (Keras or slim ImageNet weights), export, bench. Training: train. Search: search, "
            + "report, worker, bench-cluster. Detection: shapes, train-detector, detect, evaluate-detector, export-detector, "
            + "coco-eval. A tour: demo. 'nasnet COMMAND --help' tells more."},
    subcommands = {DemoCommand.class, SummaryCommand.class, ClassifyCommand.class, ExportCommand.class,
        BenchCommand.class, TrainCommand.class, SearchCommand.class, ReportCommand.class, WorkerCommand.class,
        ClusterBenchCommand.class, CocoEvalCommand.class, ShapesCommand.class, TrainDetectorCommand.class,
        EvaluateDetectorCommand.class, DetectCommand.class, ExportDetectorCommand.class, CommandLine.HelpCommand.class})
public final class NasnetCli {
  /** --threads, --gpus, ...: inherited by every command. */
  @picocli.CommandLine.Mixin
  SessionFlags session = new SessionFlags();

  private NasnetCli() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** What went wrong, in words: file-system exceptions carry only the path as their message. */
  static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof java.nio.file.FileSystemException) && t.getMessage() == null) {
      t = t.getCause();
    }
    if (t instanceof java.nio.file.NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (t instanceof java.nio.file.AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (t instanceof java.nio.file.FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  /** Runs the tool and returns its exit code; for tests. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new NasnetCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // Bad input deserves a sentence, not a stack trace.
      cmd.getErr().println("error: " + message(e));
      return 1;
    });
    return cli.execute(args);
  }
}
