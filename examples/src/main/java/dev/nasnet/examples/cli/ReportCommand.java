package dev.nasnet.examples.cli;

import dev.nasnet.search.report.NasNetArchitectureWriter;
import dev.nasnet.search.report.SearchPlot;
import dev.nasnet.search.report.SearchReport;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.trial.SearchHistory;
import dev.nasnet.search.trial.SearchJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true, showDefaultValues = true,
    versionProvider = NasnetVersion.class, description = "Write the ranking, trials.csv, ranked cells (DSL JSON and "
        + "DOT) and the best-so-far PNG of a search, running, finished or killed: it reads the journals only.")
final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "the search's --out folder, or one strategy's folder")
  Path dir;

  @Option(names = "--top", defaultValue = "5", description = "ranked architectures to export")
  int top;

  @Override
  public Integer call() throws Exception {
    CliChecks.atLeast("--top", top, 1);
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString());
    }
    List<Path> searches;
    Path root = dir;
    if (Files.exists(dir.resolve(SearchJournal.FILE))) {
      searches = List.of(dir);
      root = dir.toAbsolutePath().getParent();
    } else {
      try (Stream<Path> children = Files.list(dir)) {
        searches = children.filter(c -> Files.exists(c.resolve(SearchJournal.FILE))).sorted().toList();
      }
    }
    if (searches.isEmpty()) {
      throw new IllegalArgumentException(dir + " holds no search: no " + SearchJournal.FILE + " in it or in its "
          + "folders");
    }
    // The space the search was started with (blocks, ops, reduction), from the settings the search command saved.
    NasNetSearchSpace space = SearchCommand.spaceOf(root);
    Map<String, double[]> curves = new LinkedHashMap<>();
    for (Path search : searches) {
      SearchHistory history = SearchHistory.read(search);
      Path results = SearchReport.write(search, space, top, new NasNetArchitectureWriter());
      curves.put(search.getFileName().toString(), history.bestSoFar());
      long failed = history.finished().stream().filter(t -> t.outcome().isFailed()).count();
      System.out.printf("%s: %d trials finished (%d failed), %d running or lost; report in %s%n", search,
          history.finished().size(), failed, history.unfinished().size(), results);
    }
    if (curves.values().stream().flatMapToDouble(java.util.Arrays::stream).allMatch(Double::isNaN)) {
      System.out.println("no trial completed yet, so there is no best-so-far plot");
      return 0;
    }
    Path png = SearchPlot.write(curves, dir.resolve("best_so_far.png"), "NASNet search " + dir.getFileName());
    System.out.println("best reward so far against trials: " + png);
    return 0;
  }
}
