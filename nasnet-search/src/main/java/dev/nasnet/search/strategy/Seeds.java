package dev.nasnet.search.strategy;

import java.util.SplittableRandom;

/** The random stream of one proposal: a function of (strategy seed, proposal id), so a restored strategy repeats it. */
final class Seeds {
  private Seeds() {}

  static SplittableRandom forProposal(long seed, long id) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
  }
}
