package dev.nasnet.search.trial;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.TrialOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A search directory's journal read back: the finished trials in the order they finished (with metrics and time)
 * and the trials that were proposed but never finished. A trial finished twice (it cannot happen through
 * {@link Search}, but journals can be edited) counts once: the first record wins. Pruned trials count as finished,
 * failed with the reason "pruned".
 */
public final class SearchHistory {
  private static final Logger LOG = LoggerFactory.getLogger(SearchHistory.class);

  /** One finished trial as the journal recorded it. */
  public record Trial(TrialOutcome outcome, ImmutableMap<String, Double> metrics, double seconds) {
    public long id() {
      return outcome.id();
    }
  }

  private final ImmutableList<Trial> finished;
  private final ImmutableList<Proposal> unfinished;

  private SearchHistory(List<Trial> finished, List<Proposal> unfinished) {
    this.finished = ImmutableList.copyOf(finished);
    this.unfinished = ImmutableList.copyOf(unfinished);
  }

  public static SearchHistory read(Path dir) {
    return of(SearchJournal.read(dir), dir.toString());
  }

  /** The history of journal {@code events} (read from {@code where}). */
  public static SearchHistory of(List<JsonObject> events, String where) {
    Map<Long, int[]> proposed = new LinkedHashMap<>();
    Map<Long, Trial> finished = new LinkedHashMap<>();
    for (JsonObject e : events) {
      String type = e.get("type").getAsString();
      switch (type) {
        case "proposed" -> {
          long id = e.get("id").getAsLong();
          int[] d = ints(e.getAsJsonArray("decisions"));
          int[] before = proposed.putIfAbsent(id, d);
          if (before != null && !java.util.Arrays.equals(before, d)) {
            LOG.warn("{}: trial {} was proposed twice with different architectures; the first counts", where, id);
          }
        }
        case "completed", "failed", "pruned" -> {
          long id = e.get("id").getAsLong();
          int[] d = proposed.get(id);
          if (d == null) {
            LOG.warn("{}: trial {} finished but was never proposed; skipped", where, id);
          } else if (finished.containsKey(id)) {
            LOG.warn("{}: trial {} finished twice; the first record counts", where, id);
          } else {
            finished.put(id, outcome(type, id, d, e));
          }
        }
        // Journals written before snapshots moved to their own file: their strategy lines are not events.
        case "strategy", "report" -> { }
        default -> LOG.warn("unknown journal event type '{}' skipped", type);
      }
    }
    List<Proposal> unfinished = new ArrayList<>();
    proposed.forEach((id, d) -> {
      if (!finished.containsKey(id)) {
        unfinished.add(new Proposal(id, d));
      }
    });
    return new SearchHistory(new ArrayList<>(finished.values()), unfinished);
  }

  /** One finished trial from its journal event ({@code completed}, {@code failed} or {@code pruned}). */
  static Trial outcome(String type, long id, int[] d, JsonObject e) {
    double seconds = e.has("seconds") ? e.get("seconds").getAsDouble() : Double.NaN;
    if (type.equals("failed")) {
      return new Trial(new TrialOutcome(id, d, Double.NaN, e.get("error").getAsString()), ImmutableMap.of(), seconds);
    }
    if (type.equals("pruned")) {
      return new Trial(new TrialOutcome(id, d, Double.NaN, "pruned at step " + e.get("step").getAsLong()),
          ImmutableMap.of(), seconds);
    }
    ImmutableMap.Builder<String, Double> metrics = ImmutableMap.builder();
    if (e.has("metrics")) {
      for (Map.Entry<String, JsonElement> m : e.getAsJsonObject("metrics").entrySet()) {
        metrics.put(m.getKey(), m.getValue().getAsDouble());
      }
    }
    return new Trial(new TrialOutcome(id, d, e.get("reward").getAsDouble(), null), metrics.build(), seconds);
  }

  /** Finished trials (completed or failed), in the order they finished. */
  public ImmutableList<Trial> finished() {
    return finished;
  }

  /** Proposed trials with no outcome: they were running when the search stopped. */
  public ImmutableList<Proposal> unfinished() {
    return unfinished;
  }

  /** The best reward after each finished trial (NaN until the first success). */
  public double[] bestSoFar() {
    double[] out = new double[finished.size()];
    double best = Double.NaN;
    for (int i = 0; i < out.length; i++) {
      TrialOutcome o = finished.get(i).outcome();
      if (!o.isFailed() && (Double.isNaN(best) || o.reward() > best)) {
        best = o.reward();
      }
      out[i] = best;
    }
    return out;
  }

  static int[] ints(JsonArray a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsInt();
    }
    return out;
  }
}
