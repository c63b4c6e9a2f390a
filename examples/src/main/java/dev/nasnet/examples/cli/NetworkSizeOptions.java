package dev.nasnet.examples.cli;

import dev.nasnet.core.model.CellFiles;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --cells}, {@code --stack-cells}, {@code --filters}: a network's size in the paper's "N @ F", and optionally
 * the cells a search found instead of NASNet-A's. Unset values fall back to the command's preset.
 */
final class NetworkSizeOptions {
  @Option(names = "--cells", paramLabel = "N|DIR|FILE", description = "N normal cells per stack; or the cells to use "
      + "instead of NASNet-A's: a search's results/rank-NN folder (normal_cell.json, reduction_cell.json) or a cell "
      + "JSON file, with --stack-cells N")
  String cells;

  @Option(names = "--stack-cells", defaultValue = "2", description = "N when --cells names cells")
  int stackCells;

  @Option(names = "--filters", paramLabel = "F", description = "filters of the penultimate layer, a multiple of 24")
  Integer filters;

  private CellFiles.Pair searched;

  NetworkSizeOptions(String cells, Integer filters) {
    this.cells = cells;
    this.filters = filters;
  }

  /** Checks the ranges and reads named cell files, before any data is read. */
  void check() {
    if (cells != null && !cells.matches("\\d+")) {
      searched = CellFiles.read(Path.of(cells));
      CliChecks.inRange("--stack-cells", stackCells, 1, 64);
    } else if (cells != null) {
      CliChecks.inRange("--cells", Long.parseLong(cells), 1, 64);
    }
    if (filters != null) {
      CliChecks.multipleOf("--filters", filters, 24);
      CliChecks.inRange("--filters", filters, 24, 24 * 1024);
    }
  }

  /** As {@link #check()}, for commands whose networks are always NASNet-A's cells. */
  void checkNumberOnly(String command) {
    if (cells != null && !cells.matches("\\d+")) {
      throw new IllegalArgumentException(command + " --cells takes a number N, got '" + cells + "'");
    }
    check();
  }

  /** N, or null for the preset's. */
  Integer cellsPerStack() {
    return cells == null ? null : searched != null ? stackCells : Integer.parseInt(cells);
  }

  /** The cells named by {@code --cells DIR|FILE}, if any ({@link #check()} reads them). */
  Optional<CellFiles.Pair> searchedCells() {
    return Optional.ofNullable(searched);
  }
}
