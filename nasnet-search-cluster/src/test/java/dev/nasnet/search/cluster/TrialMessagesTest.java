package dev.nasnet.search.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.search.MacroTrial;
import dev.nasnet.search.cluster.ClusterSecret.RefusedException;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.trial.TrialRecipe;
import dev.nasnet.search.trial.TrialReport;
import dev.nasnet.search.trial.TrialResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialMessagesTest {
  private final Proposal p = new Proposal(4, new int[] {1, 0, 2});
  private final ClusterSecret secret = ClusterSecret.of("0123456789abcdef-the-secret".getBytes(StandardCharsets.UTF_8));
  private final ClusterSecret other = ClusterSecret.of("0123456789abcdef-another-one".getBytes(StandardCharsets.UTF_8));

  private TrialMessages.Ticket ticket(long id, int attempt) {
    return new TrialMessages.Ticket("s", id, attempt, new int[] {1, 0, 2}, TrialRecipe.of(MacroTrial.class, null)
        .toJson(), 1, 5000, "0.1.0");
  }

  @Test
  void aFailureOnAWorkerSaysWhichWorkerAndWhy() {
    String json = TrialMessages.result(secret, "s", 4, 1, TrialReport.failed(p, "IllegalArgumentException: proxy "
        + "task data: no IDX files in /data/fmnist", 1.5), "10.0.0.2:5701 (pid 812)");
    TrialReport back = TrialMessages.openResult(secret, json, "s", p, 1);
    assertThat(back.outcome().failure()).isEqualTo("on worker 10.0.0.2:5701 (pid 812): IllegalArgumentException: "
        + "proxy task data: no IDX files in /data/fmnist");
    assertThat(back.seconds()).isEqualTo(1.5);
  }

  @Test
  void resultsTicketsAndLeasesRoundTrip() {
    TrialReport done = TrialReport.completed(p, TrialResult.of(0.87, Map.of("multiply_adds", 2.2e7)), 101);
    TrialReport back = TrialMessages.openResult(secret, TrialMessages.result(secret, "s", 4, 2, done, "w"), "s", p, 2);
    assertThat(back.outcome().reward()).isEqualTo(0.87);
    assertThat(back.metrics()).containsEntry("multiply_adds", 2.2e7);
    TrialMessages.Ticket parsed = TrialMessages.Ticket.open(secret, ticket(4, 2).seal(secret));
    assertThat(parsed.proposal().decisions()).containsExactly(1, 0, 2);
    assertThat(parsed.attempt()).isEqualTo(2);
    assertThat(parsed.gpus()).isEqualTo(1);
    assertThat(parsed.trialRecipe().trialClass()).isEqualTo(MacroTrial.class.getName());
    assertThat(TrialMessages.Lease.open(secret, new TrialMessages.Lease("u", "w", 2, 7).seal(secret, "s", 4), "s", 4)
        .beat()).isEqualTo(7);
    assertThat(TrialMessages.openSession(secret, TrialMessages.session(secret, "abc"))).isEqualTo("abc");
  }

  @Test
  void aResultSignedWithAnotherSecretOrForAnotherAttemptIsRefused() {
    TrialReport done = TrialReport.completed(p, TrialResult.of(0.5), 1);
    String forged = TrialMessages.result(other, "s", 4, 1, done, "w");
    assertThatThrownBy(() -> TrialMessages.openResult(secret, forged, "s", p, 1)).isInstanceOf(RefusedException.class)
        .hasMessage("wrong signature");
    String genuine = TrialMessages.result(secret, "s", 4, 1, done, "w");
    // Replayed as the result of attempt 2, or of another trial.
    assertThatThrownBy(() -> TrialMessages.openResult(secret, genuine, "s", p, 2))
        .hasMessageContaining("signed for session s, trial 4 attempt 1 but found as trial 4 attempt 2");
    assertThatThrownBy(() -> TrialMessages.openResult(secret, genuine, "s", new Proposal(5, new int[] {1}), 1))
        .isInstanceOf(RefusedException.class);
    JsonObject unsigned = JsonParser.parseString(genuine).getAsJsonObject();
    unsigned.remove("hmac");
    assertThatThrownBy(() -> TrialMessages.openResult(secret, unsigned.toString(), "s", p, 1)).hasMessage("unsigned");
    // The body changed after signing: a better reward.
    JsonObject tampered = JsonParser.parseString(genuine).getAsJsonObject();
    tampered.addProperty("body", tampered.get("body").getAsString().replace("0.5", "0.9"));
    assertThatThrownBy(() -> TrialMessages.openResult(secret, tampered.toString(), "s", p, 1))
        .hasMessage("wrong signature");
  }

  @Test
  void aTicketIsRefusedWhenItIsNotSignedOrItsFieldsAreBad() {
    assertThatThrownBy(() -> TrialMessages.Ticket.open(secret, ticket(4, 1).seal(ClusterSecret.none())))
        .hasMessage("unsigned");
    assertThatThrownBy(() -> TrialMessages.Ticket.open(secret, ticket(-3, 1).seal(secret)))
        .hasMessageContaining("malformed ticket").hasMessageContaining("id -3");
    assertThatThrownBy(() -> TrialMessages.Ticket.open(secret, "{\"kind\":\"ticket\""))
        .hasMessageContaining("not a signed message");
    assertThatThrownBy(() -> TrialMessages.Ticket.open(secret, "x".repeat(ClusterSecret.MAX_MESSAGE_CHARS + 1)))
        .hasMessageContaining("characters (at most");
    // A result where a ticket is expected, though well signed.
    assertThatThrownBy(() -> TrialMessages.Ticket.open(secret, TrialMessages.result(secret, "s", 4, 1,
        TrialReport.failed(p, "x", 0), "w"))).hasMessage("a 'result' message where a 'ticket' was expected");
  }

  @Test
  void withoutASecretMessagesPassUnsigned() {
    ClusterSecret none = ClusterSecret.none();
    assertThat(TrialMessages.Ticket.open(none, ticket(4, 1).seal(none)).id()).isEqualTo(4);
    assertThat(none.clusterName("nasnet")).isEqualTo("nasnet");
  }

  @Test
  void theClusterNameDependsOnTheSecret() {
    assertThat(secret.clusterName("nasnet")).startsWith("nasnet-").hasSize("nasnet-".length() + 16);
    assertThat(secret.clusterName("nasnet")).isNotEqualTo(other.clusterName("nasnet"))
        .isNotEqualTo(secret.clusterName("other"));
  }

  @Test
  void badClusterAddressesAreNamed() {
    assertThatThrownBy(() -> ClusterSettings.parse("10.0.0.1:5701,10.0.0.2:port"))
        .hasMessageContaining("cluster member '10.0.0.2:port' is not HOST or HOST:PORT");
  }
}
