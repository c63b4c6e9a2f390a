package dev.nasnet.detection.targets;

import com.google.common.base.Preconditions;
import com.google.common.primitives.ImmutableIntArray;
import dev.nasnet.detection.boxes.BoxOps;
import dev.nasnet.detection.boxes.CornerBox;
import java.util.Arrays;
import java.util.List;

/**
 * Matches each column (anchor or proposal) to the row (ground-truth box) of highest similarity, as the TF Object
 * Detection API's ArgMaxMatcher does. With best similarity {@code v}:
 * {@code v >= matchedThreshold} matches; {@code v < unmatchedThreshold} is a negative when
 * {@code negativesLowerThanUnmatched} (otherwise ignored); values in between are ignored (otherwise negatives).
 * With {@code forceMatchForEachRow}, every row then also claims its own best column, overriding the threshold
 * result, so no ground-truth box goes without an anchor.
 *
 * <p>Ties take the lowest index: among rows for a column's argmax, among columns for a row's forced match, and among
 * rows that force the same column.
 */
public record ArgMaxMatcher(double matchedThreshold, double unmatchedThreshold, boolean negativesLowerThanUnmatched,
    boolean forceMatchForEachRow) {

  public ArgMaxMatcher {
    Preconditions.checkArgument(Double.isFinite(matchedThreshold) && Double.isFinite(unmatchedThreshold),
        "ArgMaxMatcher thresholds must be finite, got matched %s, unmatched %s", matchedThreshold, unmatchedThreshold);
    Preconditions.checkArgument(unmatchedThreshold <= matchedThreshold,
        "ArgMaxMatcher unmatchedThreshold %s must not exceed matchedThreshold %s", unmatchedThreshold,
        matchedThreshold);
    // With equal thresholds and the in-between band as negatives there would be no negatives at all.
    Preconditions.checkArgument(negativesLowerThanUnmatched || unmatchedThreshold < matchedThreshold,
        "ArgMaxMatcher: with negatives between the thresholds, they cannot be equal (both %s)", matchedThreshold);
  }

  /** First stage (RPN): IoU &ge; 0.7 positive, &lt; 0.3 negative, between ignored, each GT keeps its best anchor. */
  public static ArgMaxMatcher rpn() {
    return new ArgMaxMatcher(0.7, 0.3, true, true);
  }

  /** Second stage: IoU &ge; 0.5 positive, every other proposal negative (no ignore band), no forced matches. */
  public static ArgMaxMatcher secondStage() {
    return new ArgMaxMatcher(0.5, 0.5, true, false);
  }

  /** Matches {@code candidates} (columns) to {@code groundTruth} (rows) by IoU. */
  public Match matchByIou(List<CornerBox> groundTruth, List<CornerBox> candidates) {
    return match(BoxOps.iouMatrix(groundTruth, candidates), candidates.size());
  }

  /**
   * @param similarity {@code [numRows][numColumns]}, rows are ground truth; may have no rows (an image without
   *     objects), in which case every column is a negative
   * @param numColumns the number of columns, needed because a matrix without rows does not carry it
   */
  public Match match(double[][] similarity, int numColumns) {
    Preconditions.checkNotNull(similarity, "similarity");
    Preconditions.checkArgument(numColumns >= 0, "numColumns must be >= 0, got %s", numColumns);
    int numRows = similarity.length;
    for (int i = 0; i < numRows; i++) {
      Preconditions.checkArgument(similarity[i].length == numColumns,
          "similarity row %s has %s columns, expected %s", i, similarity[i].length, numColumns);
      for (int j = 0; j < numColumns; j++) {
        Preconditions.checkArgument(!Double.isNaN(similarity[i][j]), "similarity[%s][%s] is NaN", i, j);
      }
    }
    int[] result = new int[numColumns];
    if (numRows == 0) {
      Arrays.fill(result, Match.UNMATCHED);
      return new Match(ImmutableIntArray.copyOf(result));
    }
    int below = negativesLowerThanUnmatched ? Match.UNMATCHED : Match.IGNORED;
    int between = negativesLowerThanUnmatched ? Match.IGNORED : Match.UNMATCHED;
    for (int j = 0; j < numColumns; j++) {
      int best = 0;
      for (int i = 1; i < numRows; i++) {
        if (similarity[i][j] > similarity[best][j]) {
          best = i;
        }
      }
      double v = similarity[best][j];
      result[j] = v >= matchedThreshold ? best : v < unmatchedThreshold ? below : between;
    }
    if (forceMatchForEachRow && numColumns > 0) {
      // Iterate rows from last to first so that, when two rows force the same column, the lower row wins.
      for (int i = numRows - 1; i >= 0; i--) {
        int bestColumn = 0;
        for (int j = 1; j < numColumns; j++) {
          if (similarity[i][j] > similarity[i][bestColumn]) {
            bestColumn = j;
          }
        }
        result[bestColumn] = i;
      }
    }
    return new Match(ImmutableIntArray.copyOf(result));
  }
}
