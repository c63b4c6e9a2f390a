package dev.nasnet.core.spec;

import java.util.Locale;

/** How a block merges its two branch outputs (paper §3, step 5). */
public enum Combine {
  /** Element-wise addition; NASNet-A uses it in every block. */
  ADD,
  /** Concatenation along the filter (channel) axis. */
  CONCAT;

  /** The name used in the JSON form and in drawings. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code "add"} or {@code "concat"}, in any case. */
  public static Combine fromJsonName(String name) {
    for (Combine c : values()) {
      if (c.jsonName().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown combine op '" + name + "'; expected 'add' or 'concat'");
  }
}
