package dev.nasnet.examples.cli;

import dev.nasnet.core.inference.NasNetClassifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, showDefaultValues = true, versionProvider = NasnetVersion.class, description = "Export the inference graph as a SavedModel or as a GraphDef + checkpoint.")
final class ExportCommand implements Callable<Integer> {
  @Mixin PresetOption preset;

  @Option(names = "--checkpoint", description = "checkpoint prefix to restore before exporting")
  Path checkpoint;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--saved-model", description = "SavedModel directory (tag 'serve', signature serving_default)")
    Path savedModel;

    @Option(names = "--graph-def", description = "binary GraphDef file; variables go to FILE.ckpt beside it")
    Path graphDef;
  }

  @Override
  public Integer call() throws Exception {
    try (NasNetClassifier net = NasNetClassifier.create(preset.config())) {
      if (checkpoint != null) {
        net.restore(checkpoint);
      }
      if (target.savedModel != null) {
        net.exportSavedModel(target.savedModel);
        System.out.println("SavedModel written to " + target.savedModel);
      } else {
        Path ckpt = net.exportGraphDef(target.graphDef);
        System.out.println("GraphDef written to " + target.graphDef + ", variables to " + ckpt);
      }
    }
    return 0;
  }
}
