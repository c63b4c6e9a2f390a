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
  private final long seed;
  private int[] best;
  private double bestReward = Double.NEGATIVE_INFINITY;

  public GreedyMutation(SearchSpace<?> space, long seed) {
    this.space = space;
    this.seed = seed;
  }

  @Override
  public List<Proposal> ask(long firstId, int n) {
    List<Proposal> out = new ArrayList<>();
    for (long id = firstId; id < firstId + n; id++) {
      // Randomness per trial id: a resumed search replays these proposals exactly.
      SplittableRandom random = Strategy.randomFor(seed, id);
      out.add(new Proposal(id, best == null ? space.sample(random) : space.mutate(best, random)));
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
    s.addProperty("best", best == null ? "" : java.util.Arrays.toString(best));
    s.addProperty("bestReward", bestReward);
    return s;
  }

  @Override
  public void restore(JsonObject s) {
    String b = s.get("best").getAsString();
    best = b.isEmpty() ? null : java.util.Arrays.stream(b.replaceAll("[\\[\\] ]", "").split(","))
        .mapToInt(Integer::parseInt).toArray();
    bestReward = s.get("bestReward").getAsDouble();
  }
}
// README custom strategy end
