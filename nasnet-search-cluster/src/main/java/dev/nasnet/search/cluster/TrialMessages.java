package dev.nasnet.search.cluster;

import com.google.common.collect.ImmutableMap;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.trial.TrialRecipe;
import dev.nasnet.search.trial.TrialReport;
import dev.nasnet.search.trial.TrialResult;
import java.util.Map;

/**
 * The JSON messages controller and workers exchange through the cluster's maps: a ticket (what to run), a lease (who
 * runs it, with a heartbeat counter) and a result. Plain JSON strings keep Hazelcast's serialisation out of the way
 * and make the maps readable in the Management Center.
 */
final class TrialMessages {
  private TrialMessages() {}

  static String key(String session, long id) {
    return session + "/" + id;
  }

  static String queueItem(String session, long id, int attempt) {
    return key(session, id) + "#" + attempt;
  }

  static String resultKey(String session, long id, int attempt) {
    return queueItem(session, id, attempt);
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

    static Ticket parse(String json) {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      JsonArray d = o.getAsJsonArray("decisions");
      int[] decisions = new int[d.size()];
      for (int i = 0; i < decisions.length; i++) {
        decisions[i] = d.get(i).getAsInt();
      }
      return new Ticket(o.get("session").getAsString(), o.get("id").getAsLong(), o.get("attempt").getAsInt(),
          decisions, o.getAsJsonObject("recipe"), o.get("gpus").getAsInt(), o.get("timeoutMillis").getAsLong(),
          o.get("version").getAsString());
    }

    Proposal proposal() {
      return new Proposal(id, decisions);
    }

    TrialRecipe trialRecipe() {
      return TrialRecipe.fromJson(recipe);
    }
  }

  record Lease(String worker, String workerName, int attempt, long beat) {
    String toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("worker", worker);
      o.addProperty("workerName", workerName);
      o.addProperty("attempt", attempt);
      o.addProperty("beat", beat);
      return o.toString();
    }

    static Lease parse(String json) {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      return new Lease(o.get("worker").getAsString(), o.get("workerName").getAsString(), o.get("attempt").getAsInt(),
          o.get("beat").getAsLong());
    }
  }

  static String result(TrialReport r, String workerName) {
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
    return o.toString();
  }

  static TrialReport parseResult(String json, Proposal p) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    double seconds = o.get("seconds").getAsDouble();
    String worker = o.get("worker").getAsString();
    if (o.has("error")) {
      return TrialReport.failed(p, "on worker " + worker + ": " + o.get("error").getAsString(), seconds);
    }
    ImmutableMap.Builder<String, Double> metrics = ImmutableMap.builder();
    for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("metrics").entrySet()) {
      metrics.put(e.getKey(), e.getValue().getAsDouble());
    }
    return TrialReport.completed(p, new TrialResult(o.get("reward").getAsDouble(), metrics.build()), seconds);
  }
}
