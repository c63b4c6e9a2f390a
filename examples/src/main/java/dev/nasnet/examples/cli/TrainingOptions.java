package dev.nasnet.examples.cli;

import picocli.CommandLine.Option;

/** {@code --epochs}, {@code --batch}, {@code --lr}: how long and how fast a network trains; defaults per command. */
final class TrainingOptions {
  @Option(names = "--epochs", description = "passes over the training images")
  double epochs;

  @Option(names = "--batch", description = "images per step")
  int batch;

  @Option(names = "--lr", description = "peak learning rate (momentum 0.9, cosine decay)")
  double lr;

  TrainingOptions(double epochs, int batch, double lr) {
    this.epochs = epochs;
    this.batch = batch;
    this.lr = lr;
  }

  /** Ranges, before any data is read. */
  void check(int maxBatch) {
    CliChecks.positive("--epochs", epochs);
    CliChecks.inRange("--batch", batch, 1, maxBatch);
    CliChecks.positive("--lr", lr);
  }
}
