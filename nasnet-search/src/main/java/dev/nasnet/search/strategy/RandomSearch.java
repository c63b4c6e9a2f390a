package dev.nasnet.search.strategy;

import com.google.gson.JsonObject;
import dev.nasnet.search.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/** Uniform sampling of the space: the paper's "difficult baseline". Reproducible from its seed. */
public final class RandomSearch implements Strategy {
  private final SearchSpace<?> space;
  private final long seed;

  public RandomSearch(SearchSpace<?> space, long seed) {
    this.space = space;
    this.seed = seed;
  }

  @Override
  public List<Proposal> ask(long firstId, int n) {
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = firstId + i;
      out.add(new Proposal(id, space.sample(Seeds.forProposal(seed, id))));
    }
    return out;
  }

  @Override
  public void tell(TrialOutcome outcome) {
    // Random search learns nothing.
  }

  @Override
  public JsonObject snapshot() {
    JsonObject o = new JsonObject();
    o.addProperty("strategy", "random");
    return o;
  }

  @Override
  public void restore(JsonObject state) {
    // Stateless: every proposal is a function of the seed and the trial id.
  }

  @Override
  public String describe() {
    return "random(seed=" + seed + ")";
  }
}
