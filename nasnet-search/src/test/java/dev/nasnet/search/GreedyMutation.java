package dev.nasnet.search;

import com.google.gson.JsonObject;
import dev.nasnet.search.space.SearchSpace;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.strategy.Strategy;
import dev.nasnet.search.strategy.TrialOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

// README custom strategy start
/** Hill climbing: mutate the best architecture seen so far (sample at random until there is one). */
public final class GreedyMutation implements Strategy {
  private final SearchSpace<?> space;
  private final SplittableRandom random;
  private int[] best;
  private double bestReward = Double.NEGATIVE_INFINITY;
  private long next;

  public GreedyMutation(SearchSpace<?> space, long seed) {
    this.space = space;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public List<Proposal> ask(int n) {
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Proposal(next++, best == null ? space.sample(random) : space.mutate(best, random)));
    }
    return out;
  }

  @Override
  public void tell(TrialOutcome o) {
    if (!o.isFailed() && o.reward() > bestReward) {
      best = o.decisions();
      bestReward = o.reward();
    }
  }

  @Override
  public JsonObject snapshot() {
    JsonObject s = new JsonObject();
    s.addProperty("next", next);
    s.addProperty("best", best == null ? "" : java.util.Arrays.toString(best));
    s.addProperty("bestReward", bestReward);
    return s;
  }

  @Override
  public void restore(JsonObject s) {
    next = s.get("next").getAsLong();
    String b = s.get("best").getAsString();
    best = b.isEmpty() ? null : java.util.Arrays.stream(b.replaceAll("[\\[\\] ]", "").split(","))
        .mapToInt(Integer::parseInt).toArray();
    bestReward = s.get("bestReward").getAsDouble();
  }
}
// README custom strategy end
