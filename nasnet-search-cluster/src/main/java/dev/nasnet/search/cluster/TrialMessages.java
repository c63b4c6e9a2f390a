package dev.nasnet.search.cluster;

import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.search.cluster.ClusterSecret.Opened;
import dev.nasnet.search.cluster.ClusterSecret.RefusedException;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.trial.TrialRecipe;
import dev.nasnet.search.trial.TrialReport;
import dev.nasnet.search.trial.TrialResult;
import java.util.Map;

/**
 * The JSON messages controller and workers exchange through the cluster's maps: a ticket (what to run), a lease (who
 * runs it, with a heartbeat counter), a result, and the controller's session. Each is sealed by {@link ClusterSecret}
 * with its session, trial id and attempt, and is checked field by field when opened: whatever another member wrote
 * is refused with a {@link RefusedException} that says why, never a parse error in the middle of the search. Plain
 * JSON strings keep Hazelcast's serialisation (and its class loading) out of the way.
 */
final class TrialMessages {
  static final String TICKET = "ticket";
  static final String LEASE = "lease";
  static final String RESULT = "result";
  static final String SESSION = "session";
  private static final int MAX_DECISIONS = 100_000;

  private TrialMessages() {}

  static String key(String session, long id) {
    return session + "/" + id;
  }

  static String resultKey(String session, long id, int attempt) {
    return key(session, id) + "#" + attempt;
  }

  record Ticket(String session, long id, int attempt, int[] decisions, JsonObject recipe, int gpus,
      long timeoutMillis, String version) {
    String toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("session", session);
      o.addProperty("id", id);
      o.addProperty("attempt", attempt);
      JsonArray d = new JsonArray();
      for (int v : decisions) {
        d.add(v);
      }
      o.add("decisions", d);
      o.add("recipe", recipe);
      o.addProperty("gpus", gpus);
      o.addProperty("timeoutMillis", timeoutMillis);
      o.addProperty("version", version);
      return o.toString();
    }

    String seal(ClusterSecret secret) {
      return secret.seal(TICKET, session, id, attempt, toJson());
    }

    /** Checks the signature, then every field. */
    static Ticket open(ClusterSecret secret, String envelope) {
      Opened m = secret.open(TICKET, envelope);
      Ticket t;
      try {
        t = parse(m.body());
      } catch (RuntimeException e) {
        throw new RefusedException("malformed ticket (" + e.getMessage() + ")");
      }
      agree(m, t.session, t.id, t.attempt);
      return t;
    }

    static Ticket parse(String json) {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      JsonArray d = o.getAsJsonArray("decisions");
      check(d.size() <= MAX_DECISIONS, "%s decisions", d.size());
      int[] decisions = new int[d.size()];
      for (int i = 0; i < decisions.length; i++) {
        decisions[i] = d.get(i).getAsInt();
        check(decisions[i] >= 0, "decision %s is %s", i, decisions[i]);
      }
      Ticket t = new Ticket(o.get("session").getAsString(), o.get("id").getAsLong(), o.get("attempt").getAsInt(),
          decisions, o.getAsJsonObject("recipe"), o.get("gpus").getAsInt(), o.get("timeoutMillis").getAsLong(),
          o.get("version").getAsString());
      check(t.id >= 0 && t.attempt >= 1 && t.gpus >= 0 && t.timeoutMillis >= 0,
          "id %s, attempt %s, gpus %s, timeout %s", t.id, t.attempt, t.gpus, t.timeoutMillis);
      t.trialRecipe(); // the class name is there and a string
      return t;
    }

    Proposal proposal() {
      return new Proposal(id, decisions);
    }

    TrialRecipe trialRecipe() {
      return TrialRecipe.fromJson(recipe);
    }
  }

  record Lease(String worker, String workerName, int attempt, long beat) {
    String seal(ClusterSecret secret, String session, long id) {
      JsonObject o = new JsonObject();
      o.addProperty("worker", worker);
      o.addProperty("workerName", workerName);
      o.addProperty("attempt", attempt);
      o.addProperty("beat", beat);
      return secret.seal(LEASE, session, id, attempt, o.toString());
    }

    static Lease open(ClusterSecret secret, String envelope, String session, long id) {
      Opened m = secret.open(LEASE, envelope);
      Lease l;
      try {
        JsonObject o = JsonParser.parseString(m.body()).getAsJsonObject();
        l = new Lease(o.get("worker").getAsString(), o.get("workerName").getAsString(), o.get("attempt").getAsInt(),
            o.get("beat").getAsLong());
      } catch (RuntimeException e) {
        throw new RefusedException("malformed lease (" + e.getMessage() + ")");
      }
      agree(m, session, id, l.attempt);
      return l;
    }
  }

  static String result(ClusterSecret secret, String session, long id, int attempt, TrialReport r,
      String workerName) {
    JsonObject o = new JsonObject();
    o.addProperty("worker", workerName);
    o.addProperty("seconds", r.seconds());
    if (r.outcome().isFailed()) {
      o.addProperty("error", r.outcome().failure());
    } else {
      o.addProperty("reward", r.outcome().reward());
      JsonObject m = new JsonObject();
      r.metrics().forEach(m::addProperty);
      o.add("metrics", m);
    }
    return secret.seal(RESULT, session, id, attempt, o.toString());
  }

  /** The result of this trial's attempt, once its signature and fields checked. */
  static TrialReport openResult(ClusterSecret secret, String envelope, String session, Proposal p, int attempt) {
    Opened m = secret.open(RESULT, envelope);
    agree(m, session, p.id(), attempt);
    try {
      JsonObject o = JsonParser.parseString(m.body()).getAsJsonObject();
      double seconds = o.get("seconds").getAsDouble();
      check(Double.isFinite(seconds) && seconds >= 0, "seconds %s", seconds);
      String worker = o.get("worker").getAsString();
      if (o.has("error")) {
        return TrialReport.failed(p, "on worker " + worker + ": " + o.get("error").getAsString(), seconds);
      }
      ImmutableMap.Builder<String, Double> metrics = ImmutableMap.builder();
      for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("metrics").entrySet()) {
        metrics.put(e.getKey(), e.getValue().getAsDouble());
      }
      return TrialReport.completed(p, new TrialResult(o.get("reward").getAsDouble(), metrics.build()), seconds);
    } catch (RuntimeException e) {
      throw new RefusedException("malformed result (" + e.getMessage() + ")");
    }
  }

  static String session(ClusterSecret secret, String session) {
    return secret.seal(SESSION, session, 0, 0, session);
  }

  static String openSession(ClusterSecret secret, String envelope) {
    Opened m = secret.open(SESSION, envelope);
    agree(m, m.body(), 0, 0);
    return m.session();
  }

  /** A signed envelope must say the same session, id and attempt as the place it was found in. */
  private static void agree(Opened m, String session, long id, int attempt) {
    if (!m.session().equals(session) || m.id() != id || m.attempt() != attempt) {
      throw new RefusedException("signed for session " + m.session() + ", trial " + m.id() + " attempt "
          + m.attempt() + " but found as trial " + id + " attempt " + attempt + " of session " + session);
    }
  }

  private static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException("bad value: " + String.format(format, args));
    }
  }
}
