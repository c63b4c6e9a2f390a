package dev.nasnet.search.trial;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only JSON-lines log of a search: every trial transition (proposed, completed, failed) and the strategy's
 * state after each change, flushed line by line. A line cut short by a crash, or otherwise unreadable, is reported
 * with its line number and skipped when the journal is read back.
 */
public final class SearchJournal implements AutoCloseable {
  public static final String FILE = "journal.jsonl";
  private static final Logger LOG = LoggerFactory.getLogger(SearchJournal.class);

  private final Path file;
  private final BufferedWriter out;

  public SearchJournal(Path dir) {
    try {
      Files.createDirectories(dir);
      file = dir.resolve(FILE);
      boolean torn = endsWithoutNewline(file);
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      if (torn) {
        // A crash cut the last line short: end it, so the next event starts a line of its own.
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open search journal in " + dir, e);
    }
  }

  private static boolean endsWithoutNewline(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return false;
    }
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
      java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
      ch.read(last, ch.size() - 1);
      return last.get(0) != '\n';
    }
  }

  public Path file() {
    return file;
  }

  public void proposed(long id, int[] decisions) {
    JsonObject o = event("proposed", id);
    JsonArray d = new JsonArray();
    for (int v : decisions) {
      d.add(v);
    }
    o.add("decisions", d);
    append(o);
  }

  public void completed(long id, double reward, double seconds, java.util.Map<String, Double> metrics) {
    JsonObject o = event("completed", id);
    o.addProperty("reward", reward);
    o.addProperty("seconds", seconds);
    JsonObject m = new JsonObject();
    metrics.forEach(m::addProperty);
    o.add("metrics", m);
    append(o);
  }

  public void failed(long id, String error, double seconds) {
    JsonObject o = event("failed", id);
    o.addProperty("error", error);
    o.addProperty("seconds", seconds);
    append(o);
  }

  public void strategy(JsonObject state) {
    JsonObject o = new JsonObject();
    o.addProperty("type", "strategy");
    o.add("state", state);
    append(o);
  }

  private static JsonObject event(String type, long id) {
    JsonObject o = new JsonObject();
    o.addProperty("type", type);
    o.addProperty("id", id);
    return o;
  }

  private synchronized void append(JsonObject o) {
    try {
      out.write(o.toString());
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  /** The readable events of a journal, oldest first; unreadable lines are logged with their number and skipped. */
  public static List<JsonObject> read(Path dir) {
    Path file = dir.resolve(FILE);
    List<JsonObject> events = new ArrayList<>();
    if (!Files.exists(file)) {
      return events;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        if (!o.has("type")) {
          throw new IllegalArgumentException("no 'type' field");
        }
        events.add(o);
      } catch (RuntimeException e) {
        LOG.warn("{} line {} is unreadable and skipped ({}): {}", file, i + 1, e.getMessage(),
            line.length() > 80 ? line.substring(0, 80) + "..." : line);
      }
    }
    return events;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
