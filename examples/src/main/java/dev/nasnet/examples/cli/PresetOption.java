package dev.nasnet.examples.cli;

import dev.nasnet.core.model.NasNetConfig;
import picocli.CommandLine.Option;

/** The shared {@code --preset} and {@code --classes} options. */
final class PresetOption {
  @Option(names = {"-p", "--preset"}, defaultValue = "mobile",
      description = "mobile, large, cifar, pnasnet-large, pnasnet-mobile, or fashion-mnist (the 2 @ 384 model of "
          + "docs/results.md)")
  String preset;

  @Option(names = "--classes", description = "number of classes (default: the preset's; 1001 for slim checkpoints)")
  Integer classes;

  NasNetConfig config() {
    if (classes != null) {
      CliChecks.inRange("--classes", classes, 1, 1_000_000);
    }
    NasNetConfig c;
    try {
      c = preset.equals("fashion-mnist") ? ExampleModels.fashionMnist(2, 384) : NasNetConfig.preset(preset);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown preset '" + preset + "'; known: mobile, large, cifar, "
          + "pnasnet-large, pnasnet-mobile, fashion-mnist", e);
    }
    return classes == null ? c : c.toBuilder().numClasses(classes).build();
  }
}
