package dev.nasnet.examples.cli;

import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "summary", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Print parameters, multiply-adds and every endpoint's shape.")
final class SummaryCommand implements Callable<Integer> {
  @Mixin PresetOption preset;

  @Option(names = "--training", description = "summarise the training graph (with the aux head)")
  boolean training;

  @Option(names = "--json", description = "print the summary as one JSON object (endpoints, parameters per cell, "
      + "multiply-adds) and nothing else")
  boolean json;

  @Override
  public Integer call() {
    NasNetConfig config = preset.config();
    try (Graph g = new Graph()) {
      var summary = new NasNetBuilder(config).build(g, training ? Mode.TRAINING : Mode.INFERENCE).summary();
      System.out.print(json ? summary.toJson() + "\n" : summary.format());
    }
    return 0;
  }
}
