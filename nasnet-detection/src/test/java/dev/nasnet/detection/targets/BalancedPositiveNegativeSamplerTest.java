package dev.nasnet.detection.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.primitives.ImmutableIntArray;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BalancedPositiveNegativeSamplerTest {

  /** {@code numPos} positives first, then negatives, all candidates. */
  private static boolean[] labels(int numPos, int n) {
    boolean[] labels = new boolean[n];
    Arrays.fill(labels, 0, numPos, true);
    return labels;
  }

  private static boolean[] all(int n) {
    boolean[] c = new boolean[n];
    Arrays.fill(c, true);
    return c;
  }

  @Test
  void presetsCarryTheReferenceSizes() {
    assertThat(BalancedPositiveNegativeSampler.rpn().batchSize()).isEqualTo(256);
    assertThat(BalancedPositiveNegativeSampler.rpn().maxPositives()).isEqualTo(128);
    assertThat(BalancedPositiveNegativeSampler.secondStage().batchSize()).isEqualTo(64);
    assertThat(BalancedPositiveNegativeSampler.secondStage().maxPositives()).isEqualTo(16);
    // The low-proposal config's batch of 49: floor(0.25 * 49) = 12.
    assertThat(new BalancedPositiveNegativeSampler(49, 0.25, true).maxPositives()).isEqualTo(12);
  }

  @Test
  void manyPositivesAreCappedAtTheFraction() {
    Minibatch b = BalancedPositiveNegativeSampler.rpn().sample(all(1300), labels(300, 1300), 7);
    assertThat(b.positives().length()).isEqualTo(128);
    assertThat(b.negatives().length()).isEqualTo(128);
    assertThat(b.positives().asList()).allMatch(i -> i < 300).doesNotHaveDuplicates().isSorted();
    assertThat(b.negatives().asList()).allMatch(i -> i >= 300 && i < 1300).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void fewPositivesAreFilledUpWithNegatives() {
    Minibatch b = BalancedPositiveNegativeSampler.rpn().sample(all(1010), labels(10, 1010), 7);
    assertThat(b.positives().asList()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(b.negatives().length()).isEqualTo(246);
    assertThat(b.size()).isEqualTo(256);
  }

  @Test
  void smallPoolsAreTakenWhole() {
    Minibatch b = BalancedPositiveNegativeSampler.secondStage().sample(all(8), labels(3, 8), 1);
    assertThat(b.positives().asList()).containsExactly(0, 1, 2);
    assertThat(b.negatives().asList()).containsExactly(3, 4, 5, 6, 7);
    float[] mask = b.sampledMask(10);
    assertThat(mask[7]).isEqualTo(1f);
    assertThat(mask[8]).isZero();
  }

  @Test
  void ignoredColumnsAreNeverSampled() {
    int[] columns = new int[400];
    for (int j = 0; j < columns.length; j++) {
      columns[j] = j % 4 == 0 ? Match.IGNORED : j % 4 == 1 ? 0 : Match.UNMATCHED;
    }
    Match match = new Match(ImmutableIntArray.copyOf(columns));
    Minibatch b = new BalancedPositiveNegativeSampler(64, 0.5, false).sample(match, 3);
    assertThat(b.positives().asList()).hasSize(32).allMatch(j -> j % 4 == 1);
    assertThat(b.negatives().asList()).hasSize(32).allMatch(j -> j % 4 == 2 || j % 4 == 3);
  }

  @Test
  void allIgnoredFallsBackToEverythingOnlyWhenAsked() {
    Match allIgnored = new Match(ImmutableIntArray.of(Match.IGNORED, Match.IGNORED, Match.IGNORED));
    assertThat(BalancedPositiveNegativeSampler.rpn().sample(allIgnored, 1).size()).isZero();
    Minibatch second = BalancedPositiveNegativeSampler.secondStage().sample(allIgnored, 1);
    assertThat(second.negatives().asList()).containsExactly(0, 1, 2);
  }

  @Test
  void sameSeedSameBatchOtherSeedOtherBatch() {
    BalancedPositiveNegativeSampler s = BalancedPositiveNegativeSampler.rpn();
    Minibatch a = s.sample(all(5000), labels(400, 5000), 11);
    assertThat(s.sample(all(5000), labels(400, 5000), 11)).isEqualTo(a);
    Minibatch c = s.sample(all(5000), labels(400, 5000), 12);
    assertThat(c.positives()).isNotEqualTo(a.positives());
    assertThat(c.negatives()).isNotEqualTo(a.negatives());
  }

  @Test
  void drawsAreRoughlyUniform() {
    // 4 of 10 positives per draw: each should be picked about 40% of the time.
    BalancedPositiveNegativeSampler s = new BalancedPositiveNegativeSampler(8, 0.5, false);
    int[] counts = new int[10];
    int draws = 4000;
    for (int seed = 0; seed < draws; seed++) {
      s.sample(all(20), labels(10, 20), seed).positives().forEach(i -> counts[i]++);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(counts[i] / (double) draws).as("positive %s", i).isBetween(0.36, 0.44);
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new BalancedPositiveNegativeSampler(0, 0.5, false)).hasMessageContaining("batchSize")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> new BalancedPositiveNegativeSampler(64, 1.5, false)).hasMessageContaining("1.5");
    assertThatThrownBy(() -> BalancedPositiveNegativeSampler.rpn().sample(new boolean[3], new boolean[2], 0))
        .hasMessageContaining("3 candidate flags but 2 labels");
  }
}
