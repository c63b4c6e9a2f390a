package dev.nasnet.search.space;

import java.util.SplittableRandom;

/**
 * A search space: a fixed-length sequence of categorical decisions, where the number of choices at a position may
 * depend on the decisions before it. It decodes a sequence into an architecture, recognises isomorphic duplicates
 * through a canonical hash, and knows how to mutate. Strategies see only sequences, so any space, the library's or
 * a user's, works with every strategy.
 *
 * @param <A> what a decision sequence decodes to
 */
public interface SearchSpace<A> {
  /** Number of decisions in every sequence. */
  int length();

  /** Number of choices at {@code position} given the decisions before it ({@code prefix[0..position-1]}). */
  int choices(int position, int[] prefix);

  /** What position {@code position} decides, for people (e.g. "normal/block 2/left input"). */
  default String describe(int position) {
    return "decision " + position;
  }

  /** The architecture a complete sequence describes. */
  A decode(int[] decisions);

  /** What this space is, recorded in a search directory so a resume with another space is refused. */
  default String description() {
    return getClass().getName() + "(length " + length() + ")";
  }

  /** Equal for sequences that describe the same network (default: the sequence itself). */
  default String canonicalHash(int[] decisions) {
    return java.util.Arrays.toString(decisions);
  }

  /** A sequence drawn uniformly at each position. */
  default int[] sample(SplittableRandom random) {
    int[] seq = new int[length()];
    for (int p = 0; p < seq.length; p++) {
      seq[p] = random.nextInt(choices(p, seq));
    }
    return seq;
  }

  /**
   * A copy of {@code parent} with one decision changed (default: one position redrawn to a different value, and any
   * later decision that is no longer valid redrawn).
   */
  default int[] mutate(int[] parent, SplittableRandom random) {
    int[] child = parent.clone();
    int tries = 0;
    while (tries++ < 100) {
      int p = random.nextInt(length());
      int n = choices(p, child);
      if (n < 2) {
        continue;
      }
      int v = random.nextInt(n - 1);
      child[p] = v >= parent[p] ? v + 1 : v;
      repair(child, p + 1, random);
      return child;
    }
    return child;
  }

  /** Redraws decisions from {@code from} on that fall outside their (possibly changed) choice counts. */
  default void repair(int[] seq, int from, SplittableRandom random) {
    for (int q = from; q < seq.length; q++) {
      int n = choices(q, seq);
      if (seq[q] >= n) {
        seq[q] = random.nextInt(n);
      }
    }
  }

  /**
   * Checks that the space can be searched: a positive length and at least one choice at every position along the
   * all-zeros sequence (the path every space has).
   *
   * @throws IllegalArgumentException naming the space and the first position that is unusable
   */
  default void checkUsable() {
    String name = getClass().getSimpleName();
    int n;
    try {
      n = length();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("search space " + name + " failed to give its length: " + e, e);
    }
    if (n <= 0) {
      throw new IllegalArgumentException("search space " + name + " has " + n + " decisions; it needs at least one");
    }
    int[] prefix = new int[n];
    for (int p = 0; p < n; p++) {
      int c;
      try {
        c = choices(p, prefix);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("search space " + name + " failed at position " + p + ": " + e, e);
      }
      if (c <= 0) {
        throw new IllegalArgumentException("search space " + name + " offers " + c + " choices at " + describe(p)
            + " (position " + p + "); every position needs at least one");
      }
    }
  }

  /**
   * Checks a sequence: right length, every decision within its choices.
   *
   * @throws IllegalArgumentException naming the first bad position
   */
  default void validate(int[] decisions) {
    if (decisions.length != length()) {
      throw new IllegalArgumentException("sequence has " + decisions.length + " decisions, the space " + length());
    }
    for (int p = 0; p < decisions.length; p++) {
      int n = choices(p, decisions);
      if (n <= 0) {
        throw new IllegalArgumentException("search space offers no choice at " + describe(p) + " (position " + p
            + ")");
      }
      if (decisions[p] < 0 || decisions[p] >= n) {
        throw new IllegalArgumentException(describe(p) + " (position " + p + ") is " + decisions[p] + ", expected 0.."
            + (n - 1));
      }
    }
  }
}
