package dev.nasnet.search.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.trial.TrialReport;
import dev.nasnet.search.trial.TrialResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialMessagesTest {
  private final Proposal p = new Proposal(4, new int[] {1, 0, 2});

  @Test
  void aFailureOnAWorkerSaysWhichWorkerAndWhy() {
    String json = TrialMessages.result(TrialReport.failed(p, "IllegalArgumentException: proxy task data: no IDX "
        + "files in /data/fmnist", 1.5), "10.0.0.2:5701 (pid 812)");
    TrialReport back = TrialMessages.parseResult(json, p);
    assertThat(back.outcome().failure()).isEqualTo("on worker 10.0.0.2:5701 (pid 812): IllegalArgumentException: "
        + "proxy task data: no IDX files in /data/fmnist");
    assertThat(back.seconds()).isEqualTo(1.5);
  }

  @Test
  void resultsTicketsAndLeasesRoundTrip() {
    TrialReport done = TrialReport.completed(p, TrialResult.of(0.87, Map.of("multiply_adds", 2.2e7)), 101);
    TrialReport back = TrialMessages.parseResult(TrialMessages.result(done, "w"), p);
    assertThat(back.outcome().reward()).isEqualTo(0.87);
    assertThat(back.metrics()).containsEntry("multiply_adds", 2.2e7);
    TrialMessages.Ticket t = new TrialMessages.Ticket("s", 4, 2, new int[] {1, 0, 2},
        dev.nasnet.search.trial.TrialRecipe.of(dev.nasnet.search.MacroTrial.class, null).toJson(), 1, 5000, "0.1.0");
    TrialMessages.Ticket parsed = TrialMessages.Ticket.parse(t.toJson());
    assertThat(parsed.proposal().decisions()).containsExactly(1, 0, 2);
    assertThat(parsed.attempt()).isEqualTo(2);
    assertThat(parsed.gpus()).isEqualTo(1);
    assertThat(parsed.trialRecipe().trialClass()).isEqualTo(dev.nasnet.search.MacroTrial.class.getName());
    assertThat(TrialMessages.Lease.parse(new TrialMessages.Lease("u", "w", 2, 7).toJson()).beat()).isEqualTo(7);
    assertThat(TrialMessages.queueItem("s", 4, 2)).isEqualTo("s/4#2");
  }

  @Test
  void badClusterAddressesAreNamed() {
    assertThatThrownBy(() -> ClusterSettings.parse("10.0.0.1:5701,10.0.0.2:port"))
        .hasMessageContaining("cluster member '10.0.0.2:port' is not HOST or HOST:PORT");
  }
}
