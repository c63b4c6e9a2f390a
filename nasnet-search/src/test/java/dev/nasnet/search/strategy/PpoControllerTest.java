package dev.nasnet.search.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.nasnet.search.NasBenchMacroSpace;
import dev.nasnet.search.space.NasNetSearchSpace;
import java.util.List;
import org.junit.jupiter.api.Test;

class PpoControllerTest {

  @Test
  void proposalsRespectTheSpaceAndRewardedChoicesBecomeLikelier() {
    NasNetSearchSpace space = NasNetSearchSpace.paper();
    PpoController.Settings s = PpoController.Settings.paper().withLearningRate(0.01).withBatchSize(8)
        .withEpochsPerUpdate(4);
    try (PpoController c = new PpoController(space, s, 3)) {
      List<Proposal> first = c.ask(0, 8);
      first.forEach(p -> space.validate(p.decisions()));
      // Sampling runs one LSTM step at a time; its log-probabilities must be the unrolled graph's (PPO's ratio).
      double[] unrolled = c.logProbabilities(first.stream().map(Proposal::decisions).toArray(int[][]::new));
      for (int b = 0; b < first.size(); b++) {
        assertThat(c.samplingLogProbability(first.get(b).id()).getAsDouble())
            .isCloseTo(unrolled[b], org.assertj.core.data.Offset.offset(1e-3));
      }
      assertThat(space.decode(first.get(0).decisions()).reduction()).isNotNull();
      int[] target = first.get(0).decisions();
      double before = c.logProbabilities(new int[][] {target})[0];
      // Reward agreement with one target architecture; four minibatches.
      List<Proposal> batch = first;
      for (int round = 0; round < 4; round++) {
        for (Proposal p : batch) {
          int same = 0;
          for (int i = 0; i < target.length; i++) {
            same += p.decisions()[i] == target[i] ? 1 : 0;
          }
          c.tell(TrialOutcome.completed(p, (double) same / target.length));
        }
        batch = c.ask(8L * (round + 1), 8);
      }
      double after = c.logProbabilities(new int[][] {target})[0];
      assertThat(after - before).as("log-prob gain of the rewarded architecture").isGreaterThan(1.0);
    }
  }

  @Test
  void proposalsDoNotDependOnHowTheyAreBatched() {
    NasBenchMacroSpace space = new NasBenchMacroSpace();
    PpoController.Settings s = PpoController.Settings.smallBudget();
    try (PpoController a = new PpoController(space, s, 9); PpoController b = new PpoController(space, s, 9)) {
      List<Proposal> together = a.ask(100, 20);
      for (int k = 0; k < 20; k++) {
        Proposal alone = b.ask(100 + k, 1).get(0);
        assertThat(alone.id()).isEqualTo(100 + k);
        assertThat(alone.decisions()).isEqualTo(together.get(k).decisions());
        assertThat(b.samplingLogProbability(100 + k)).isEqualTo(a.samplingLogProbability(100 + k));
      }
      assertThat(b.snapshot().toString()).isEqualTo(a.snapshot().toString());
    }
  }

  @Test
  void snapshotRestoresTheSameFutureProposals() {
    NasBenchMacroSpace space = new NasBenchMacroSpace();
    PpoController.Settings s = PpoController.Settings.paper().withLearningRate(0.01).withBatchSize(4);
    try (PpoController a = new PpoController(space, s, 5); PpoController b = new PpoController(space, s, 5)) {
      List<Proposal> outstanding = a.ask(0, 7);
      for (Proposal p : outstanding.subList(0, 6)) {
        a.tell(TrialOutcome.completed(p, p.decisions()[0]));
      }
      // b starts like a did; a has since made one update and buffered two outcomes.
      JsonObject state = a.snapshot();
      b.restore(com.google.gson.JsonParser.parseString(state.toString()).getAsJsonObject());
      // The proposal still out when the state was saved teaches both the same way.
      a.tell(TrialOutcome.completed(outstanding.get(6), 2));
      b.tell(TrialOutcome.completed(outstanding.get(6), 2));
      for (int i = 0; i < 3; i++) {
        List<Proposal> pa = a.ask(7 + 2L * i, 2);
        List<Proposal> pb = b.ask(7 + 2L * i, 2);
        for (int k = 0; k < 2; k++) {
          assertThat(pb.get(k).id()).isEqualTo(pa.get(k).id());
          assertThat(pb.get(k).decisions()).isEqualTo(pa.get(k).decisions());
        }
        pa.forEach(p -> a.tell(TrialOutcome.completed(p, 1)));
        pb.forEach(p -> b.tell(TrialOutcome.completed(p, 1)));
      }
      assertThat(b.logProbabilities(new int[][] {{0, 1, 2, 0, 1, 2, 0, 1}}))
          .containsExactly(a.logProbabilities(new int[][] {{0, 1, 2, 0, 1, 2, 0, 1}}));
    }
  }
}
