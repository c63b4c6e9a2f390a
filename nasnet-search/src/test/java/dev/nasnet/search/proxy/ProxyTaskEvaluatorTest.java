package dev.nasnet.search.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.nasnet.core.data.IdxReader;
import dev.nasnet.search.space.NasNetArchitecture;
import dev.nasnet.search.space.NasNetSearchSpace;
import dev.nasnet.search.trial.TrialResult;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyTaskEvaluatorTest {
  @TempDir Path dir;

  @Test
  void aSampledCellTrainedBrieflyOnFashionMnistBeatsChanceAndCostPenaltiesScaleTheReward() {
    assumeThat(IdxReader.isPresent(IdxReader.FASHION_MNIST_DIR)).as("Fashion-MNIST installed").isTrue();
    NasNetSearchSpace space = NasNetSearchSpace.paper();
    NasNetArchitecture arch = space.decode(space.sample(new SplittableRandom(3)));
    ProxyTask task = ProxyTask.fashionMnist().withData(IdxReader.FASHION_MNIST_DIR.toString(), 1024, 512)
        .withChild(1, 48).withTraining(2, 32, 0.05);
    TrialResult plain = new ProxyTaskEvaluator(task, dir).evaluate(arch, 1);
    double accuracy = plain.metrics().get("validation_top1");
    assertThat(plain.reward()).isEqualTo(accuracy);
    assertThat(accuracy).as("10 classes: chance is 0.1").isGreaterThan(0.4);
    assertThat(plain.metrics()).containsKeys("validation_loss", "parameters", "multiply_adds", "train_seconds")
        .doesNotContainKey("latency_ms");
    assertThat(dir.resolve("trial-1/metrics.csv")).exists();

    // Same seed, same child: only the MnasNet factor (cost / target)^w differs.
    double macs = plain.metrics().get("multiply_adds");
    TrialResult penalised = new ProxyTaskEvaluator(task.withPenalty(macs / 2, 0, -0.07), dir).evaluate(arch, 2);
    assertThat(penalised.metrics().get("validation_top1")).isEqualTo(accuracy);
    assertThat(penalised.reward()).isCloseTo(accuracy * Math.pow(2, -0.07), org.assertj.core.data.Offset.offset(1e-9));
    TrialResult timed = new ProxyTaskEvaluator(task.withPenalty(0, 1000, -0.5), dir).evaluate(arch, 3);
    double latency = timed.metrics().get("latency_ms");
    assertThat(latency).isPositive();
    assertThat(timed.reward()).isCloseTo(accuracy * Math.pow(latency / 1000, -0.5),
        org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void settingsRoundTripThroughJsonAndBadOnesAreNamed() {
    ProxyTask t = ProxyTask.fashionMnist().withPenalty(5e6, 3, -0.07).withSeed(9);
    assertThat(ProxyTask.fromJson(t.toJson())).isEqualTo(t);
    NasNetSearchSpace s = NasNetSearchSpace.paper();
    assertThat(NasNetSearchSpace.fromJson(s.toJson()).toJson()).isEqualTo(s.toJson());
    assertThatThrownBy(() -> ProxyTask.fashionMnist().withChild(1, 50))
        .hasMessageContaining("F must be a positive multiple of 24, got 50");
    ProxyTask missing = ProxyTask.fashionMnist().withData(dir.resolve("nothing").toString(), 10, 10);
    NasNetArchitecture arch = s.decode(s.sample(new SplittableRandom(1)));
    assertThatThrownBy(() -> new ProxyTaskEvaluator(missing, dir).evaluate(arch, 0))
        .hasMessageContaining("no data set at " + dir.resolve("nothing"));
  }
}
