package dev.nasnet.core.spec;

import java.util.List;

/**
 * The published cells, written as TF-slim writes them: three short lists each (ops, inputs, "left out of the output"
 * mask). Sources: slim {@code nasnet_utils.py} and {@code pnasnet.py}; AmoebaNet-A from tensorflow/tpu's model specs.
 */
public final class Cells {
  private Cells() {}

  /** NASNet-A normal cell: output concat of [h_{i-1}, all five blocks], 6F channels. */
  public static CellSpec nasnetANormal() {
    return CellSpec.fromSlimLists("nasnet_a_normal",
        List.of("separable_5x5_2", "separable_3x3_2", "separable_5x5_2", "separable_3x3_2", "avg_pool_3x3", "none",
            "avg_pool_3x3", "avg_pool_3x3", "separable_3x3_2", "none"),
        List.of(0, 1, 1, 1, 0, 1, 1, 1, 0, 0),
        List.of(1, 0, 0, 0, 0, 0, 0));
  }

  /** NASNet-A reduction cell: output concat of blocks 1..4, 4F channels (block 1 is read by block 3 as well). */
  public static CellSpec nasnetAReduction() {
    return CellSpec.fromSlimLists("nasnet_a_reduction",
        List.of("separable_5x5_2", "separable_7x7_2", "max_pool_3x3", "separable_7x7_2", "avg_pool_3x3",
            "separable_5x5_2", "none", "avg_pool_3x3", "separable_3x3_2", "max_pool_3x3"),
        List.of(0, 1, 0, 1, 0, 1, 3, 2, 2, 0),
        List.of(1, 1, 1, 0, 0, 0, 0));
  }

  /** PNASNet-5: one cell for every position, strided where a reduction goes; output 5F channels. */
  public static CellSpec pnasnet5() {
    return CellSpec.fromSlimLists("pnasnet_5",
        List.of("separable_5x5_2", "max_pool_3x3", "separable_7x7_2", "max_pool_3x3", "separable_5x5_2",
            "separable_3x3_2", "separable_3x3_2", "max_pool_3x3", "separable_3x3_2", "none"),
        List.of(1, 1, 0, 0, 0, 0, 4, 0, 1, 0),
        List.of(1, 1, 0, 0, 0, 0, 0));
  }

  /** AmoebaNet-A normal cell. */
  public static CellSpec amoebaNetANormal() {
    return CellSpec.fromSlimLists("amoebanet_a_normal",
        List.of("avg_pool_3x3", "max_pool_3x3", "separable_3x3_2", "none", "none", "avg_pool_3x3",
            "separable_3x3_2", "separable_5x5_2", "avg_pool_3x3", "separable_3x3_2"),
        List.of(0, 0, 1, 1, 0, 1, 0, 2, 5, 0),
        List.of(1, 0, 1, 0, 0, 1, 0));
  }

  /** AmoebaNet-A reduction cell. */
  public static CellSpec amoebaNetAReduction() {
    return CellSpec.fromSlimLists("amoebanet_a_reduction",
        List.of("separable_3x3_2", "avg_pool_3x3", "max_pool_3x3", "separable_7x7_2", "max_pool_3x3",
            "max_pool_3x3", "separable_3x3_2", "1x7_7x1", "avg_pool_3x3", "separable_7x7_2"),
        List.of(1, 0, 0, 2, 1, 0, 4, 0, 1, 0),
        List.of(1, 1, 0, 0, 0, 0, 0));
  }
}
