package dev.nasnet.core.checkpoint;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run directory's {@code state.json}: the last step and the checkpoint saved at it. Written atomically after the
 * checkpoint, so a crash at any moment leaves the previous state pointing at a complete checkpoint; older
 * checkpoints are then deleted.
 *
 * @param checkpoint the checkpoint prefix, resolved in the run directory
 */
public record TrainingState(long step, Path checkpoint) {
  public static final String FILE = "state.json";

  /** Empty when the directory has no state; a broken state file is a {@link CheckpointException} naming it. */
  public static Optional<TrainingState> read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      if (!o.has("step") || !o.has("checkpoint")) {
        throw new CheckpointException(file + " lacks 'step' or 'checkpoint'");
      }
      return Optional.of(new TrainingState(o.get("step").getAsLong(), dir.resolve(o.get("checkpoint").getAsString())));
    } catch (IOException | RuntimeException e) {
      if (e instanceof CheckpointException c) {
        throw c;
      }
      throw new CheckpointException("cannot read training state " + file + ": " + e.getMessage(), e);
    }
  }

  /** Records {@code dir/ckpt-step} (already saved) as the state and deletes older {@code ckpt-*} files. */
  public static TrainingState record(Path dir, long step) {
    String name = "ckpt-" + step;
    JsonObject state = new JsonObject();
    state.addProperty("step", step);
    state.addProperty("checkpoint", name);
    try {
      Durable.writeAtomically(dir.resolve(FILE), state.toString());
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.toList()) {
          String f = p.getFileName().toString();
          if (f.startsWith("ckpt-") && !f.startsWith(name + ".")) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record checkpoint state in " + dir, e);
    }
    return new TrainingState(step, dir.resolve(name));
  }

  /** The prefix a checkpoint of {@code step} is saved under. */
  public static Path checkpointPrefix(Path dir, long step) {
    return dir.resolve("ckpt-" + step);
  }
}
