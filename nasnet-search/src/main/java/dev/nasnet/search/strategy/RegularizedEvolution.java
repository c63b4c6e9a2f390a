package dev.nasnet.search.strategy;

import com.google.common.base.Preconditions;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.nasnet.search.space.SearchSpace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Regularized (aging) evolution (Real et al. 2019): until the population holds P members, propose random
 * architectures; then draw S members at random, mutate the best, and when its outcome arrives add it and remove the
 * oldest member, not the worst. Failed trials do not join the population.
 */
public final class RegularizedEvolution implements Strategy {
  private final SearchSpace<?> space;
  private final int populationSize;
  private final int sampleSize;
  private final long seed;
  private final Deque<Member> population = new ArrayDeque<>();

  private record Member(int[] decisions, double reward) {}

  /**
   * Population size P and tournament sample size S.
   *
   * @param populationSize P, the members kept (the oldest leaves when a new one arrives)
   * @param sampleSize S, how many members a tournament draws to pick a parent
   */
  public record Settings(int populationSize, int sampleSize) {
    /** P = 20, S = 5: a small-budget setting in the spirit of Real et al.'s (P = 100, S = 25 at 20,000 trials). */
    public static Settings defaults() {
      return new Settings(20, 5);
    }

    /** Real et al.'s AmoebaNet search: P = 100, S = 25. */
    public static Settings paper() {
      return new Settings(100, 25);
    }
  }

  public RegularizedEvolution(SearchSpace<?> space, Settings settings, long seed) {
    this(space, settings.populationSize(), settings.sampleSize(), seed);
  }

  public RegularizedEvolution(SearchSpace<?> space, int populationSize, int sampleSize, long seed) {
    Preconditions.checkArgument(populationSize >= 2, "population must be at least 2, got %s", populationSize);
    Preconditions.checkArgument(sampleSize >= 1 && sampleSize <= populationSize,
        "sample size must be in 1..%s, got %s", populationSize, sampleSize);
    this.space = space;
    this.populationSize = populationSize;
    this.sampleSize = sampleSize;
    this.seed = seed;
  }

  @Override
  public List<Proposal> ask(long firstId, int n) {
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = firstId + i;
      SplittableRandom r = Seeds.forProposal(seed, id);
      if (population.size() < populationSize) {
        out.add(new Proposal(id, space.sample(r)));
      } else {
        List<Member> members = new ArrayList<>(population);
        Member best = null;
        for (int s = 0; s < sampleSize; s++) {
          // Sampling without replacement: swap the drawn member out of the remaining range.
          int j = s + r.nextInt(members.size() - s);
          Member m = members.get(j);
          members.set(j, members.get(s));
          members.set(s, m);
          if (best == null || m.reward() > best.reward()) {
            best = m;
          }
        }
        out.add(new Proposal(id, space.mutate(best.decisions(), r)));
      }
    }
    return out;
  }

  @Override
  public void tell(TrialOutcome outcome) {
    if (outcome.isFailed()) {
      return;
    }
    population.addLast(new Member(outcome.decisions(), outcome.reward()));
    while (population.size() > populationSize) {
      population.removeFirst();
    }
  }

  @Override
  public String describe() {
    return "evolution(P=" + populationSize + ", S=" + sampleSize + ", seed=" + seed + ")";
  }

  @Override
  public JsonObject snapshot() {
    JsonObject o = new JsonObject();
    o.addProperty("strategy", "evolution");
    JsonArray pop = new JsonArray();
    for (Member m : population) {
      JsonObject e = new JsonObject();
      JsonArray d = new JsonArray();
      for (int v : m.decisions()) {
        d.add(v);
      }
      e.add("decisions", d);
      e.addProperty("reward", m.reward());
      pop.add(e);
    }
    o.add("population", pop);
    return o;
  }

  @Override
  public void restore(JsonObject state) {
    population.clear();
    for (var e : state.getAsJsonArray("population")) {
      JsonObject m = e.getAsJsonObject();
      JsonArray d = m.getAsJsonArray("decisions");
      int[] decisions = new int[d.size()];
      for (int i = 0; i < decisions.length; i++) {
        decisions[i] = d.get(i).getAsInt();
      }
      population.addLast(new Member(decisions, m.get("reward").getAsDouble()));
    }
  }
}
