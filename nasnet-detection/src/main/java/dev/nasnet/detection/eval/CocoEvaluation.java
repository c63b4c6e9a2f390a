package dev.nasnet.detection.eval;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.util.Optional;

/** What {@link CocoEvaluator} returns: the 12-number summary and one entry per GT category (ascending id). */
public record CocoEvaluation(CocoSummary summary, ImmutableList<CategoryResult> categories) {

  public CocoEvaluation {
    Preconditions.checkNotNull(summary, "summary");
    Preconditions.checkNotNull(categories, "categories");
  }

  public Optional<CategoryResult> category(int categoryId) {
    return categories.stream().filter(c -> c.categoryId() == categoryId).findFirst();
  }
}
