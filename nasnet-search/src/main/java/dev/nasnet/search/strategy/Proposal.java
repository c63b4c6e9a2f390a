package dev.nasnet.search.strategy;

/** An architecture a strategy asks to have evaluated; {@code id} ties the result back to it. */
public record Proposal(long id, int[] decisions) {
  public Proposal {
    decisions = decisions.clone();
  }

  @Override
  public int[] decisions() {
    return decisions.clone();
  }
}
