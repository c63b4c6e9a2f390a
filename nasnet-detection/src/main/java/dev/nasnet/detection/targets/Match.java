package dev.nasnet.detection.targets;

import com.google.common.base.Preconditions;
import com.google.common.primitives.ImmutableIntArray;

/**
 * The result of matching columns (anchors or proposals) to rows (ground-truth boxes): for each column either the
 * matched row index (&ge; 0), {@link #UNMATCHED} (a negative, trained as background) or {@link #IGNORED} (neither
 * positive nor negative, left out of sampling and the losses).
 */
public record Match(ImmutableIntArray columnToRow) {

  public static final int UNMATCHED = -1;
  public static final int IGNORED = -2;

  public Match {
    Preconditions.checkNotNull(columnToRow, "columnToRow");
    for (int j = 0; j < columnToRow.length(); j++) {
      int v = columnToRow.get(j);
      Preconditions.checkArgument(v >= IGNORED, "match of column %s must be a row index, -1 or -2, got %s", j, v);
    }
    columnToRow = columnToRow.trimmed();
  }

  public int numColumns() {
    return columnToRow.length();
  }

  public boolean isMatched(int column) {
    return columnToRow.get(column) >= 0;
  }

  public boolean isUnmatched(int column) {
    return columnToRow.get(column) == UNMATCHED;
  }

  public boolean isIgnored(int column) {
    return columnToRow.get(column) == IGNORED;
  }

  /** The matched row of {@code column}; fails for a column that is unmatched or ignored. */
  public int matchedRow(int column) {
    int row = columnToRow.get(column);
    Preconditions.checkState(row >= 0, "column %s is not matched (value %s)", column, row);
    return row;
  }

  /** Ascending indices of matched columns. */
  public ImmutableIntArray matchedColumns() {
    return columnsWith(Kind.MATCHED);
  }

  /** Ascending indices of unmatched (negative) columns. */
  public ImmutableIntArray unmatchedColumns() {
    return columnsWith(Kind.UNMATCHED);
  }

  /** Ascending indices of ignored columns. */
  public ImmutableIntArray ignoredColumns() {
    return columnsWith(Kind.IGNORED);
  }

  private enum Kind { MATCHED, UNMATCHED, IGNORED }

  private ImmutableIntArray columnsWith(Kind kind) {
    ImmutableIntArray.Builder out = ImmutableIntArray.builder();
    for (int j = 0; j < columnToRow.length(); j++) {
      int v = columnToRow.get(j);
      Kind k = v >= 0 ? Kind.MATCHED : v == UNMATCHED ? Kind.UNMATCHED : Kind.IGNORED;
      if (k == kind) {
        out.add(j);
      }
    }
    return out.build();
  }
}
