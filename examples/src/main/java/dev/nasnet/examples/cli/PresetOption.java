package dev.nasnet.examples.cli;

import dev.nasnet.core.model.NasNetConfig;
import picocli.CommandLine.Option;

/** The shared {@code --preset} and {@code --classes} options. */
final class PresetOption {
  @Option(names = {"-p", "--preset"}, defaultValue = "mobile",
      description = "mobile, large, cifar, pnasnet-large or pnasnet-mobile (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--classes", description = "number of classes (default: the preset's; 1001 for slim checkpoints)")
  Integer classes;

  NasNetConfig config() {
    NasNetConfig c = NasNetConfig.preset(preset);
    return classes == null ? c : c.toBuilder().numClasses(classes).build();
  }
}
