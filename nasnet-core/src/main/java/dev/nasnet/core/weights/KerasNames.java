package dev.nasnet.core.weights;

import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Stem;
import dev.nasnet.core.spec.Cells;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one table from Keras applications' NASNet layer names to the slim scopes of our variables, e.g.
 * {@code separable_conv_1_bn_normal_left1_5} to {@code cell_4/comb_iter_0/left/bn_sep_5x5_1}.
 *
 * <p>Keras numbers its cells differently: stem cells are {@code stem_1}, {@code stem_2}; normal cells count on
 * across the stacks with the reductions taking a number each ({@code 0..N-1}, {@code reduce_N}, {@code N+1..2N},
 * {@code reduce_2N}, {@code 2N+1..3N}), where slim has {@code cell_0..cell_3N-1} and {@code reduction_cell_0/1}.
 * Inside a cell, block b's left/right separable conv j is Keras' {@code separable_conv_j_<cell>_<side>b_<id>}, except
 * that the reduction cell's fifth block reuses the name {@code left4} (Keras' fourth block there is a pool, which has
 * no weights). The kernel size is not in Keras' names; it is read off the model's own scopes.
 */
final class KerasNames {
  private static final String ID = "(stem_[12]|reduce_\\d+|\\d+)";

  /** The table: a Keras layer name pattern and the slim scope it names, {cell} being the cell the id maps to. */
  private static final List<Row> ROWS = List.of(
      new Row("stem_conv1", "conv0"),
      new Row("stem_bn1", "conv0_bn"),
      new Row("predictions", "final_layer/FC"),
      new Row("(?:normal|reduction)_conv_1_" + ID, "{cell}/1x1"),
      new Row("(?:normal|reduction)_bn_1_" + ID, "{cell}/beginning_bn"),
      new Row("adjust_conv_projection_" + ID, "{cell}/prev_1x1"),
      new Row("adjust_conv_1_" + ID, "{cell}/path1_conv"),
      new Row("adjust_conv_2_" + ID, "{cell}/path2_conv"),
      new Row("adjust_bn_" + ID, "{cell}/(?:prev_bn|final_path_bn)"),
      new Row("separable_conv_([12])_(normal|reduction)_(left|right)([1-5])_" + ID,
          "{cell}/comb_iter_{block}/{side}/separable_(\\d)x\\1_{layer}"),
      new Row("separable_conv_([12])_bn_(normal|reduction)_(left|right)([1-5])_" + ID,
          "{cell}/comb_iter_{block}/{side}/bn_sep_(\\d)x\\1_{layer}"));

  private record Row(Pattern keras, String slim) {
    Row(String keras, String slim) {
      this(Pattern.compile(keras), slim);
    }
  }

  private final Map<String, String> cellOfId;
  private final Set<String> scopes;

  private KerasNames(Map<String, String> cellOfId, Set<String> scopes) {
    this.cellOfId = cellOfId;
    this.scopes = scopes;
  }

  /**
   * The table for a network of {@code config} whose variables are {@code variableNames}.
   *
   * @throws WeightsException when the network is not one Keras applications can build (NASNet-A cells, ImageNet stem,
   *     two reductions, a multiple of 3 cells)
   */
  static KerasNames forModel(NasNetConfig config, List<String> variableNames) {
    if (config.stem() != Stem.IMAGENET || !config.hasReductionCell() || config.numReductionLayers() != 2
        || config.numCells() % 3 != 0 || !config.normalCell().blocks().equals(Cells.nasnetANormal().blocks())
        || !config.reductionCell().blocks().equals(Cells.nasnetAReduction().blocks())) {
      throw new WeightsException("Keras applications' NASNet has NASNet-A cells, the ImageNet stem, 2 reductions and "
          + "3N cells; model '" + config.name() + "' (" + config.stem() + " stem, " + config.numCells() + " cells, "
          + config.numReductionLayers() + " reductions, cells " + config.normalCell().name() + "/"
          + (config.hasReductionCell() ? config.reductionCell().name() : "none") + ") has no Keras counterpart");
    }
    int n = config.cellsPerStack();
    Map<String, String> cells = new HashMap<>();
    cells.put("stem_1", "cell_stem_0");
    cells.put("stem_2", "cell_stem_1");
    for (int k = 0; k < config.numCells(); k++) {
      cells.put(String.valueOf(k < n ? k : k + 1), "cell_" + k);
    }
    cells.put("reduce_" + n, "reduction_cell_0");
    cells.put("reduce_" + 2 * n, "reduction_cell_1");
    Set<String> scopes = variableNames.stream().map(v -> v.substring(0, v.lastIndexOf('/')))
        .collect(Collectors.toUnmodifiableSet());
    return new KerasNames(cells, scopes);
  }

  /**
   * The model scope holding Keras layer {@code layer}'s weights, or empty when the name is not a NASNet layer or the
   * model has no such scope (a headless model has no {@code final_layer/FC}).
   */
  Optional<String> scopeOf(String layer) {
    for (Row row : ROWS) {
      Matcher m = row.keras().matcher(layer);
      if (!m.matches()) {
        continue;
      }
      String slim = row.slim();
      if (m.groupCount() > 0) {
        String cell = cellOfId.get(m.group(m.groupCount()));
        if (cell == null) {
          return Optional.empty();
        }
        slim = slim.replace("{cell}", cell);
      }
      if (m.groupCount() == 5) {
        int block = Integer.parseInt(m.group(4));
        boolean reductionLeft4 = m.group(2).equals("reduction") && m.group(3).equals("left") && block == 4;
        slim = slim.replace("{block}", String.valueOf(reductionLeft4 ? 4 : block - 1)).replace("{side}", m.group(3))
            .replace("{layer}", m.group(1));
      }
      Pattern scope = Pattern.compile(slim);
      List<String> found = scopes.stream().filter(s -> scope.matcher(s).matches()).toList();
      return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
    return Optional.empty();
  }

  /** Our variable's last name component for a Keras weight kind. */
  static String variableOf(String kind) {
    return switch (kind) {
      case "kernel" -> "weights";
      case "depthwise_kernel" -> "depthwise_weights";
      case "pointwise_kernel" -> "pointwise_weights";
      case "bias" -> "biases";
      default -> kind; // gamma, beta, moving_mean, moving_variance: the same in both
    };
  }
}
