package dev.nasnet.detection;

import dev.nasnet.core.checkpoint.Durable;
import dev.nasnet.core.checkpoint.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A detector's model directory: {@code detector.json}, {@code state.json} and the checkpoint it names. */
final class ModelDirectory {
  private ModelDirectory() {}

  static Path latestCheckpoint(Path dir) throws IOException {
    return TrainingState.read(dir).orElseThrow(() -> new IOException(dir + " holds no trained weights: no "
        + TrainingState.FILE + " (train-detector writes it with each checkpoint)")).checkpoint();
  }

  static void writeConfig(Path dir, FasterRcnnConfig config) throws IOException {
    Files.createDirectories(dir);
    Durable.writeAtomically(dir.resolve(FasterRcnnDetector.CONFIG_FILE), FasterRcnnConfigJson.toJson(config));
  }
}
