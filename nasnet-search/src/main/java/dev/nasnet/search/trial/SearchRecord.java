package dev.nasnet.search.trial;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.core.checkpoint.Durable;
import dev.nasnet.core.checkpoint.RunDirectory.StartMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code search.json}: what a search directory holds a search of (space and strategy with its settings), written
 * when the search starts, so resuming with another space or strategy is refused with the difference named, and a
 * directory holding a search is only resumed or overwritten when asked.
 */
final class SearchRecord {
  static final String FILE = "search.json";
  static final String FORMAT = "nasnet-search/1";
  /** What {@link StartMode#OVERWRITE} deletes: the search's own files, nothing else in the directory. */
  private static final List<String> OWN = List.of(SearchJournal.FILE, StrategySnapshot.FILE, FILE, "trials",
      "results");

  private SearchRecord() {}

  static void prepare(Path dir, StartMode start, String space, String strategy) {
    Path file = dir.resolve(FILE);
    boolean holds = Files.exists(dir.resolve(SearchJournal.FILE)) || Files.exists(file);
    switch (start) {
      case NEW -> {
        if (holds) {
          throw new IllegalStateException(dir + " already holds a search (" + SearchJournal.FILE + "); resume it "
              + "(Search.resuming(), --resume) or start again (Search.overwriting(), --overwrite)");
        }
      }
      case RESUME -> {
        if (!holds) {
          throw new IllegalStateException("nothing to resume in " + dir + ": it holds no " + SearchJournal.FILE);
        }
        if (Files.exists(file)) {
          JsonObject saved = read(file);
          check(file, "space", saved, space);
          check(file, "strategy", saved, strategy);
        }
      }
      case OVERWRITE -> delete(dir);
    }
    if (!Files.exists(file)) {
      JsonObject o = new JsonObject();
      o.addProperty("format", FORMAT);
      o.addProperty("space", space);
      o.addProperty("strategy", strategy);
      try {
        Files.createDirectories(dir);
        Durable.writeAtomically(file, new GsonBuilder().setPrettyPrinting().create().toJson(o));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
  }

  private static void check(Path file, String key, JsonObject saved, String now) {
    String before = saved.has(key) ? saved.get(key).getAsString() : null;
    if (!now.equals(before)) {
      throw new IllegalStateException(file + " records the " + key + " " + before + "; this search has the " + key
          + " " + now + ": resume with the same " + key + " or start a new search elsewhere");
    }
  }

  private static JsonObject read(Path file) {
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      if (!FORMAT.equals(o.has("format") ? o.get("format").getAsString() : null)) {
        throw new IllegalStateException(file + " is not a " + FORMAT + " record");
      }
      return o;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalStateException s) {
        throw s;
      }
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path dir) {
    for (String name : OWN) {
      Path p = dir.resolve(name);
      if (!Files.exists(p)) {
        continue;
      }
      try (Stream<Path> tree = Files.walk(p)) {
        for (Path q : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(q);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + p + " to start the search again", e);
      }
    }
  }
}
