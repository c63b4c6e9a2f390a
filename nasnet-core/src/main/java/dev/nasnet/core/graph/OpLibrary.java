package dev.nasnet.core.graph;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import dev.nasnet.core.spec.OpNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps op names used in cell specs to their implementations. Immutable; {@link #with(String, CellOp)} returns a
 * larger library, so users add ops without touching the compiler.
 */
public final class OpLibrary {
  private static final OpLibrary STANDARD = new OpLibrary(ImmutableMap.<String, CellOp>builder()
      .put(OpNames.IDENTITY, StandardOps.identity())
      .put(OpNames.CONV_1X3_3X1, StandardOps.factorizedConv(3))
      .put(OpNames.CONV_1X7_7X1, StandardOps.factorizedConv(7))
      .put(OpNames.DILATED_CONV_3X3, StandardOps.dilatedConv3x3())
      .put(OpNames.AVG_POOL_3X3, StandardOps.avgPool(3))
      .put(OpNames.MAX_POOL_3X3, StandardOps.maxPool(3))
      .put(OpNames.MAX_POOL_5X5, StandardOps.maxPool(5))
      .put(OpNames.MAX_POOL_7X7, StandardOps.maxPool(7))
      .put(OpNames.CONV_1X1, StandardOps.conv(1))
      .put(OpNames.CONV_3X3, StandardOps.conv(3))
      .put(OpNames.SEPARABLE_3X3, StandardOps.separable(3, 2))
      .put(OpNames.SEPARABLE_5X5, StandardOps.separable(5, 2))
      .put(OpNames.SEPARABLE_7X7, StandardOps.separable(7, 2))
      .build());

  private final ImmutableMap<String, CellOp> ops;

  private OpLibrary(ImmutableMap<String, CellOp> ops) {
    this.ops = ops;
  }

  /** The paper's 13 ops under the names in {@link OpNames}. */
  public static OpLibrary standard() {
    return STANDARD;
  }

  /** This library plus {@code op} under {@code name}; replaces an op of the same name. */
  public OpLibrary with(String name, CellOp op) {
    Preconditions.checkArgument(name.matches("[A-Za-z0-9_]+"), "op name '%s' must use letters, digits and '_'",
        name);
    Map<String, CellOp> copy = new LinkedHashMap<>(ops);
    copy.put(name, Preconditions.checkNotNull(op, "op"));
    return new OpLibrary(ImmutableMap.copyOf(copy));
  }

  public Optional<CellOp> find(String name) {
    return Optional.ofNullable(ops.get(name));
  }

  public ImmutableSortedSet<String> names() {
    return ImmutableSortedSet.copyOf(ops.keySet());
  }
}
