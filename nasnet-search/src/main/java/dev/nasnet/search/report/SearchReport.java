package dev.nasnet.search.report;

import com.google.common.base.Preconditions;
import dev.nasnet.search.space.SearchSpace;
import dev.nasnet.search.strategy.TrialOutcome;
import dev.nasnet.search.trial.SearchHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The results of a search directory, from its journal: {@code trials.csv} (every finished trial in the order it
 * finished, with the best reward so far and the evaluator's metrics), {@code ranked.csv} (the best distinct
 * architectures, isomorphic duplicates merged by the space's canonical hash) and one folder per ranked architecture
 * written by an {@link ArchitectureWriter}.
 */
public final class SearchReport {
  public static final String DIR = "results";

  private SearchReport() {}

  /** The top {@code k} distinct completed trials, best first (ties: the earlier trial first). */
  public static List<SearchHistory.Trial> ranked(SearchHistory history, SearchSpace<?> space, int k) {
    List<SearchHistory.Trial> done = history.finished().stream().filter(t -> !t.outcome().isFailed())
        .sorted(Comparator.comparingDouble((SearchHistory.Trial t) -> -t.outcome().reward())
            .thenComparingLong(SearchHistory.Trial::id))
        .collect(Collectors.toCollection(ArrayList::new));
    Set<String> seen = new HashSet<>();
    List<SearchHistory.Trial> out = new ArrayList<>();
    for (SearchHistory.Trial t : done) {
      if (out.size() < k && seen.add(space.canonicalHash(t.outcome().decisions()))) {
        out.add(t);
      }
    }
    return out;
  }

  /** Writes the report into {@code searchDir/results} and returns that directory. */
  public static <A> Path write(Path searchDir, SearchSpace<A> space, int top, ArchitectureWriter<A> writer) {
    Preconditions.checkArgument(top > 0, "top must be positive, got %s", top);
    SearchHistory history = SearchHistory.read(searchDir);
    Path out = searchDir.resolve(DIR);
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("trials.csv"), trialsCsv(history));
      List<SearchHistory.Trial> best = ranked(history, space, top);
      StringBuilder csv = new StringBuilder("rank,id,reward,decisions,folder\n");
      for (int r = 0; r < best.size(); r++) {
        SearchHistory.Trial t = best.get(r);
        String folder = String.format(Locale.ROOT, "rank-%02d", r + 1);
        writer.write(space.decode(t.outcome().decisions()), out.resolve(folder));
        csv.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s%n", r + 1, t.id(), t.outcome().reward(),
            decisions(t.outcome()), folder));
      }
      Files.writeString(out.resolve("ranked.csv"), csv.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the search report in " + out, e);
    }
    return out;
  }

  static String trialsCsv(SearchHistory history) {
    Set<String> metricNames = new TreeSet<>();
    history.finished().forEach(t -> metricNames.addAll(t.metrics().keySet()));
    StringBuilder sb = new StringBuilder("order,id,status,reward,best_so_far,seconds");
    metricNames.forEach(m -> sb.append(',').append(m));
    sb.append(",decisions,error\n");
    double[] best = history.bestSoFar();
    for (int i = 0; i < history.finished().size(); i++) {
      SearchHistory.Trial t = history.finished().get(i);
      TrialOutcome o = t.outcome();
      sb.append(i + 1).append(',').append(t.id()).append(',').append(o.isFailed() ? "failed" : "completed")
          .append(',').append(o.isFailed() ? "" : Double.toString(o.reward())).append(',')
          .append(Double.isNaN(best[i]) ? "" : Double.toString(best[i])).append(',')
          .append(Double.isNaN(t.seconds()) ? "" : String.format(Locale.ROOT, "%.3f", t.seconds()));
      for (String m : metricNames) {
        Double v = t.metrics().get(m);
        sb.append(',').append(v == null ? "" : v.toString());
      }
      sb.append(',').append(decisions(o)).append(',').append(o.isFailed() ? quote(o.failure()) : "").append('\n');
    }
    return sb.toString();
  }

  private static String decisions(TrialOutcome o) {
    return Arrays.stream(o.decisions()).mapToObj(Integer::toString).collect(Collectors.joining(" "));
  }

  private static String quote(String s) {
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
  }
}
