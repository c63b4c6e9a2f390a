package dev.nasnet.core.spec;

import com.google.common.collect.ImmutableList;

/** The names of the paper's 13 ops, spelled as TF-slim spells them where slim has them. */
public final class OpNames {
  public static final String IDENTITY = "none";
  public static final String CONV_1X3_3X1 = "1x3_3x1";
  public static final String CONV_1X7_7X1 = "1x7_7x1";
  public static final String DILATED_CONV_3X3 = "dil_conv_3x3";
  public static final String AVG_POOL_3X3 = "avg_pool_3x3";
  public static final String MAX_POOL_3X3 = "max_pool_3x3";
  public static final String MAX_POOL_5X5 = "max_pool_5x5";
  public static final String MAX_POOL_7X7 = "max_pool_7x7";
  public static final String CONV_1X1 = "1x1";
  public static final String CONV_3X3 = "3x3";
  public static final String SEPARABLE_3X3 = "separable_3x3_2";
  public static final String SEPARABLE_5X5 = "separable_5x5_2";
  public static final String SEPARABLE_7X7 = "separable_7x7_2";

  /** The paper's search-space ops, in the order its §3 lists them. */
  public static final ImmutableList<String> PAPER_OPS = ImmutableList.of(IDENTITY, CONV_1X3_3X1, CONV_1X7_7X1,
      DILATED_CONV_3X3, AVG_POOL_3X3, MAX_POOL_3X3, MAX_POOL_5X5, MAX_POOL_7X7, CONV_1X1, CONV_3X3, SEPARABLE_3X3,
      SEPARABLE_5X5, SEPARABLE_7X7);

  private OpNames() {}
}
