package dev.nasnet.search;

import dev.nasnet.search.space.SearchSpace;

/**
 * NAS-Bench-Macro's space, written as a user would write their own: 8 layers, 3 choices each (identity, MobileNetV2
 * block k3 e3, k5 e6); an architecture is its digit string. It needs no change to the library.
 */
public final class NasBenchMacroSpace implements SearchSpace<String> {
  @Override
  public int length() {
    return 8;
  }

  @Override
  public int choices(int position, int[] prefix) {
    return 3;
  }

  @Override
  public String decode(int[] decisions) {
    validate(decisions);
    StringBuilder sb = new StringBuilder();
    for (int d : decisions) {
      sb.append(d);
    }
    return sb.toString();
  }
}
