package dev.nasnet.search.trial;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.core.checkpoint.Durable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The strategy's state as of a journal position: {@code snapshot.json}, replaced atomically (written, fsynced,
 * renamed), so a crash leaves either the previous snapshot or the new one, never a torn file.
 *
 * @param position the number of journal events the state reflects; a resume replays the events after it
 */
public record StrategySnapshot(long position, JsonObject state) {
  public static final String FILE = "snapshot.json";

  /** A write cut short by a crash leaves its temporary file; the next write clears it. */
  private static void deleteLeftovers(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith(FILE + ".tmp-")).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  public static Optional<StrategySnapshot> read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      return Optional.of(new StrategySnapshot(o.get("position").getAsLong(), o.getAsJsonObject("strategy")));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read strategy snapshot " + file + ": " + e.getMessage()
          + " (delete it to replay the whole journal instead)", e);
    }
  }

  /** Replaces the snapshot in {@code dir}; the journal must already hold the {@code position} events durably. */
  public void write(Path dir) {
    deleteLeftovers(dir);
    JsonObject o = new JsonObject();
    o.addProperty("position", position);
    o.add("strategy", state);
    try {
      Durable.writeAtomically(dir.resolve(FILE), o.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write strategy snapshot in " + dir, e);
    }
  }
}
