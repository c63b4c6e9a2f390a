package dev.nasnet.search.report;

import dev.nasnet.core.spec.CellSpec;
import dev.nasnet.core.spec.CellSpecDot;
import dev.nasnet.core.spec.CellSpecJson;
import dev.nasnet.search.space.NasNetArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a searched NASNet architecture as {@code normal_cell.json} / {@code reduction_cell.json} (the DSL's JSON,
 * which {@code CellSpecJson.fromJson} reads back into the builder) and {@code .dot} Graphviz drawings of each cell
 * ({@code dot -Tpng normal_cell.dot -o normal_cell.png}).
 */
public final class NasNetArchitectureWriter implements ArchitectureWriter<NasNetArchitecture> {
  @Override
  public void write(NasNetArchitecture a, Path dir) throws IOException {
    Files.createDirectories(dir);
    cell(a.normal(), dir, "normal_cell");
    if (a.reduction() != null) {
      cell(a.reduction(), dir, "reduction_cell");
    }
  }

  private static void cell(CellSpec spec, Path dir, String name) throws IOException {
    Files.writeString(dir.resolve(name + ".json"), CellSpecJson.toJson(spec));
    Files.writeString(dir.resolve(name + ".dot"), CellSpecDot.toDot(spec));
  }
}
