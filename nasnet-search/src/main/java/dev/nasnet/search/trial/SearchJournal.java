package dev.nasnet.search.trial;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A search's append-only JSON-lines event log: {@code proposed}, {@code completed}, {@code failed}, {@code pruned}
 * and {@code report} (an intermediate result), one line each, a few hundred bytes per trial. The strategy's state is
 * not here: {@link StrategySnapshot} keeps it in a file of its own, tagged with the number of events it reflects.
 *
 * <p>Appends are buffered and made durable in groups: {@link #sync()} flushes and fsyncs them, which the search calls
 * after every {@link #GROUP} events, before each snapshot, and when it is about to wait. A line cut short by a crash is
 * ended on reopening and skipped (with its line number) when the journal is read back.
 */
public final class SearchJournal implements AutoCloseable {
  public static final String FILE = "journal.jsonl";
  /** Events buffered before a sync at the latest. */
  public static final int GROUP = 64;
  private static final Logger LOG = LoggerFactory.getLogger(SearchJournal.class);

  private final Path file;
  private final FileChannel channel;
  private final StringBuilder pending = new StringBuilder();
  private int pendingEvents;
  private long position;

  /** Opens (creating) the journal in {@code dir} for appending; {@code position} is the number of events it holds. */
  public SearchJournal(Path dir, long position) {
    try {
      Files.createDirectories(dir);
      file = dir.resolve(FILE);
      boolean torn = endsWithoutNewline(file);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      if (torn) {
        // A crash cut the last line short: end it, so the next event starts a line of its own.
        pending.append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open search journal in " + dir, e);
    }
    this.position = position;
  }

  private static boolean endsWithoutNewline(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      ch.read(last, ch.size() - 1);
      return last.get(0) != '\n';
    }
  }

  public Path file() {
    return file;
  }

  /** Events written so far (durable or still buffered): the position a snapshot taken now reflects. */
  public long position() {
    return position;
  }

  public void proposed(long id, int[] decisions) {
    JsonObject o = event("proposed", id);
    o.add("decisions", ints(decisions));
    append(o);
  }

  public void completed(long id, double reward, double seconds, Map<String, Double> metrics) {
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

  /** A trial stopped early by a pruner at {@code step} with intermediate {@code value}. */
  public void pruned(long id, long step, double value, double seconds) {
    JsonObject o = event("pruned", id);
    o.addProperty("step", step);
    o.addProperty("value", value);
    o.addProperty("seconds", seconds);
    append(o);
  }

  /** An intermediate result of a running trial (e.g. validation accuracy after an epoch). */
  public void report(long id, long step, double value) {
    JsonObject o = event("report", id);
    o.addProperty("step", step);
    o.addProperty("value", value);
    append(o);
  }

  private static JsonArray ints(int[] values) {
    JsonArray a = new JsonArray();
    for (int v : values) {
      a.add(v);
    }
    return a;
  }

  private static JsonObject event(String type, long id) {
    JsonObject o = new JsonObject();
    o.addProperty("type", type);
    o.addProperty("id", id);
    return o;
  }

  private synchronized void append(JsonObject o) {
    pending.append(o).append('\n');
    pendingEvents++;
    position++;
    if (pendingEvents >= GROUP) {
      sync();
    }
  }

  /** Whether events are buffered that a crash would lose. */
  public synchronized boolean hasPending() {
    return pending.length() > 0;
  }

  /** Writes the buffered events and forces them to disk. */
  public synchronized void sync() {
    if (pending.length() == 0) {
      return;
    }
    try {
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(pending.toString());
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    pending.setLength(0);
    pendingEvents = 0;
  }

  /**
   * The readable events of a journal, oldest first, streamed line by line; unreadable lines (a line torn by a crash)
   * are logged with their number and skipped.
   */
  public static List<JsonObject> read(Path dir) {
    Path file = dir.resolve(FILE);
    List<JsonObject> events = new ArrayList<>();
    if (!Files.exists(file)) {
      return events;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
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
          LOG.warn("{} line {} is unreadable and skipped ({}): {}", file, number, e.getMessage(),
              line.length() > 80 ? line.substring(0, 80) + "..." : line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return events;
  }

  @Override
  public synchronized void close() {
    try {
      sync();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
