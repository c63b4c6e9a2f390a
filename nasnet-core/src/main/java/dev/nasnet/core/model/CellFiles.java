package dev.nasnet.core.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.core.spec.CellSpec;
import dev.nasnet.core.spec.CellSpecJson;
import dev.nasnet.core.spec.Cells;
import dev.nasnet.core.spec.InvalidCellSpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cells to train, from what a search leaves or a user writes: a folder with {@code normal_cell.json} and optionally
 * {@code reduction_cell.json} (a search's {@code results/rank-01/}), or one JSON file holding a single cell (the
 * normal cell) or both ({@code {"normal_cell": ..., "reduction_cell": ...}}). Without a reduction cell, NASNet-A's
 * is used, as a search of the normal cell only assumes.
 */
public final class CellFiles {
  /** The two cells; the reduction cell is NASNet-A's when the source has none. */
  public record Pair(CellSpec normal, CellSpec reduction) {}

  private CellFiles() {}

  public static Pair read(Path source) {
    try {
      if (Files.isDirectory(source)) {
        Path normal = source.resolve("normal_cell.json");
        if (!Files.exists(normal)) {
          throw new IllegalArgumentException(source + " has no normal_cell.json (a search's results/rank-NN "
              + "folder has one)");
        }
        Path reduction = source.resolve("reduction_cell.json");
        return new Pair(cell(Files.readString(normal), normal),
            Files.exists(reduction) ? cell(Files.readString(reduction), reduction) : Cells.nasnetAReduction());
      }
      if (!Files.isRegularFile(source)) {
        throw new IllegalArgumentException("no such file or folder: " + source);
      }
      JsonElement root = JsonParser.parseString(Files.readString(source));
      if (root.isJsonObject() && root.getAsJsonObject().has("normal_cell")) {
        JsonObject o = root.getAsJsonObject();
        return new Pair(tree(o.get("normal_cell"), source),
            o.has("reduction_cell") ? tree(o.get("reduction_cell"), source) : Cells.nasnetAReduction());
      }
      return new Pair(tree(root, source), Cells.nasnetAReduction());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cells from " + source, e);
    } catch (com.google.gson.JsonParseException e) {
      throw new IllegalArgumentException(source + " is not JSON: " + e.getMessage(), e);
    }
  }

  private static CellSpec cell(String json, Path file) {
    try {
      return CellSpecJson.fromJson(json);
    } catch (InvalidCellSpecException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static CellSpec tree(JsonElement json, Path file) {
    try {
      return CellSpecJson.fromTree(json);
    } catch (InvalidCellSpecException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
