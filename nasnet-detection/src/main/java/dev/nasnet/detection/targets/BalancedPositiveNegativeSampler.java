package dev.nasnet.detection.targets;

import com.google.common.base.Preconditions;
import com.google.common.primitives.ImmutableIntArray;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks a minibatch of at most {@code batchSize} candidates with at most {@code floor(positiveFraction * batchSize)}
 * positives, then fills the rest with negatives (so with few positives the batch is mostly negatives), each drawn
 * uniformly at random without replacement. Deterministic for a given seed.
 *
 * @param allCandidatesWhenNone when no index is a candidate, take every index as one; the second stage does this so an
 *     image whose proposals are all ignored still yields a batch
 */
public record BalancedPositiveNegativeSampler(int batchSize, double positiveFraction, boolean allCandidatesWhenNone) {

  public BalancedPositiveNegativeSampler {
    Preconditions.checkArgument(batchSize > 0, "sampler batchSize must be positive, got %s", batchSize);
    Preconditions.checkArgument(positiveFraction > 0 && positiveFraction < 1,
        "sampler positiveFraction must be in (0, 1), got %s", positiveFraction);
  }

  /** First stage: 256 anchors per image, up to half positive. */
  public static BalancedPositiveNegativeSampler rpn() {
    return new BalancedPositiveNegativeSampler(256, 0.5, false);
  }

  /** Second stage (proto default and the 500-proposal NASNet config): 64 proposals per image, up to a quarter positive. */
  public static BalancedPositiveNegativeSampler secondStage() {
    return new BalancedPositiveNegativeSampler(64, 0.25, true);
  }

  /** The most positives a batch may hold: {@code floor(positiveFraction * batchSize)}. */
  public int maxPositives() {
    return (int) (positiveFraction * batchSize);
  }

  /** Samples a match: matched columns are positives, unmatched ones negatives, ignored ones are never taken. */
  public Minibatch sample(Match match, long seed) {
    Preconditions.checkNotNull(match, "match");
    int n = match.numColumns();
    boolean[] candidates = new boolean[n];
    boolean[] positive = new boolean[n];
    for (int j = 0; j < n; j++) {
      candidates[j] = !match.isIgnored(j);
      positive[j] = match.isMatched(j);
    }
    return sample(candidates, positive, seed);
  }

  /**
   * @param candidates which indices may be sampled at all
   * @param positive the label of each index; only meaningful where {@code candidates} is true
   */
  public Minibatch sample(boolean[] candidates, boolean[] positive, long seed) {
    Preconditions.checkNotNull(candidates, "candidates");
    Preconditions.checkNotNull(positive, "positive");
    Preconditions.checkArgument(candidates.length == positive.length,
        "sample: %s candidate flags but %s labels", candidates.length, positive.length);
    boolean anyCandidate = false;
    for (boolean c : candidates) {
      anyCandidate |= c;
    }
    boolean all = allCandidatesWhenNone && !anyCandidate;
    ImmutableIntArray.Builder pos = ImmutableIntArray.builder();
    ImmutableIntArray.Builder neg = ImmutableIntArray.builder();
    for (int i = 0; i < candidates.length; i++) {
      if (candidates[i] || all) {
        (positive[i] ? pos : neg).add(i);
      }
    }
    // One stream for both draws so a seed fixes the whole batch.
    SplittableRandom random = new SplittableRandom(seed);
    int[] sampledPos = choose(pos.build(), maxPositives(), random);
    int[] sampledNeg = choose(neg.build(), batchSize - sampledPos.length, random);
    return new Minibatch(ImmutableIntArray.copyOf(sampledPos), ImmutableIntArray.copyOf(sampledNeg));
  }

  /** {@code k} of the pool chosen uniformly without replacement (partial Fisher-Yates), returned ascending. */
  private static int[] choose(ImmutableIntArray pool, int k, SplittableRandom random) {
    int[] a = pool.toArray();
    int take = Math.min(k, a.length);
    for (int i = 0; i < take; i++) {
      int j = i + random.nextInt(a.length - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    int[] out = Arrays.copyOf(a, take);
    Arrays.sort(out);
    return out;
  }
}
