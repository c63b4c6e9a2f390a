package dev.nasnet.search.cluster;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.nasnet.search.trial.TrialRecipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A member that joined a search cluster (it learnt the cluster name, which travels in clear) but does not have the
 * secret: it forges results of running trials (reward 999, wrong HMAC) and fuzzes the queue and the results with
 * random and mutated messages. With the real secret it also queues tickets that name classes no worker may run,
 * as a compromised controller would. Prints what it sent, for the test to compare with what was refused.
 * Arguments: port, members, cluster name, real secret file, number of fuzz messages, seed.
 */
public final class RogueMember {
  private static final ClusterSecret WRONG = ClusterSecret.of("not-the-secret-0123456789".getBytes(
      StandardCharsets.UTF_8));
  private final Random random;
  private final List<String> genuine = new ArrayList<>();
  private String session = "no-session";
  private int tickets;
  private int results;

  private RogueMember(long seed) {
    random = new Random(seed);
  }

  public static void main(String[] args) throws Exception {
    ClusterSecret real = ClusterSecret.read(Path.of(args[3]));
    ClusterSettings s = ClusterSettings.parse(args[1]).withPort(Integer.parseInt(args[0])).withName(args[2])
        .withSecret(real);
    HazelcastInstance hz = ClusterNode.start(s, "rogue", Map.of());
    new RogueMember(Long.parseLong(args[5])).attack(hz, real, Integer.parseInt(args[4]));
    hz.shutdown();
    System.exit(0);
  }

  private void attack(HazelcastInstance hz, ClusterSecret real, int n) throws InterruptedException {
    IMap<Object, Object> ticketMap = hz.getMap(ClusterNode.TICKETS);
    IMap<Object, Object> queue = hz.getMap(ClusterNode.QUEUE);
    IMap<Object, Object> resultMap = hz.getMap(ClusterNode.RESULTS);
    while (ticketMap.isEmpty()) {
      Thread.sleep(50);
    }
    // Members learn of a new member a moment after it joined; until then its writes carry no name.
    Thread.sleep(3000);
    ticketMap.values().forEach(v -> genuine.add((String) v));
    session = JsonParser.parseString(genuine.get(0)).getAsJsonObject().get("session").getAsString();
    // Forged results for the trials now running: well formed, current attempt, a reward to die for, wrong HMAC.
    for (String t : genuine) {
      TrialMessages.Ticket ticket = TrialMessages.Ticket.parse(body(t));
      resultMap.put(TrialMessages.resultKey(session, ticket.id(), ticket.attempt()), forgedResult(ticket.id(),
          ticket.attempt(), 999.0));
      results++;
    }
    int fuzz = n - results;
    List<Object> mine = new ArrayList<>();
    for (int i = 0; i < fuzz; i++) {
      if (random.nextBoolean()) {
        // A key of its own for each, so no message overwrites another before a worker sees it.
        Object key = random.nextInt(10) == 0 ? (Object) (long) i : session + "/fuzz-" + i + "#1";
        queue.put(key, fuzzTicket());
        mine.add(key);
        tickets++;
      } else {
        Object[] kv = fuzzResult();
        resultMap.put(kv[0], kv[1]);
        results++;
      }
    }
    // Correctly signed tickets, as from a controller, naming classes no worker may run.
    int classes = 0;
    for (String cls : new String[] {"java.lang.Runtime", Tripwire.class.getName()}) {
      long id = 900_000 + classes;
      String sealed = new TrialMessages.Ticket(session, id, 1, new int[] {0}, new TrialRecipe(cls, null).toJson(), 0,
          0, NasNetVersion.current()).seal(real);
      ticketMap.put(TrialMessages.key(session, id), sealed);
      queue.put(TrialMessages.resultKey(session, id, 1), sealed);
      mine.add(TrialMessages.resultKey(session, id, 1));
      classes++;
    }
    System.out.println("rogue sent tickets=" + tickets + " results=" + results + " classes=" + classes);
    long deadline = System.currentTimeMillis() + 60_000;
    while (mine.stream().anyMatch(queue::containsKey) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    System.out.println("rogue queue drained=" + mine.stream().noneMatch(queue::containsKey));
  }

  private static String body(String envelope) {
    return JsonParser.parseString(envelope).getAsJsonObject().get("body").getAsString();
  }

  private String forgedResult(long id, int attempt, double reward) {
    JsonObject r = new JsonObject();
    r.addProperty("worker", "rogue");
    r.addProperty("seconds", 1.0);
    r.addProperty("reward", reward);
    r.add("metrics", new JsonObject());
    return WRONG.seal(TrialMessages.RESULT, session, id, attempt, r.toString());
  }

  private String someGenuine() {
    return genuine.get(random.nextInt(genuine.size()));
  }

  private String huge() {
    int size = random.nextInt(10) == 0 ? ClusterSecret.MAX_MESSAGE_CHARS + 10 : 100_000 + random.nextInt(400_000);
    return "{\"kind\":\"ticket\",\"body\":\"" + "x".repeat(size) + "\"}";
  }

  private Object fuzzTicket() {
    String g = someGenuine();
    JsonObject o = JsonParser.parseString(g).getAsJsonObject();
    return switch (random.nextInt(10)) {
      case 0 -> g.substring(0, random.nextInt(g.length())); // truncated
      case 1 -> { // the body changed, the genuine HMAC kept
        o.addProperty("body", body(g).replace("\"attempt\":", "\"attempt\":1" + random.nextInt(9)));
        yield o.toString();
      }
      case 2 -> { // a ticket for java.lang.Runtime, signed with the wrong key
        TrialMessages.Ticket t = TrialMessages.Ticket.parse(body(g));
        yield new TrialMessages.Ticket(t.session(), t.id(), t.attempt(), t.decisions(),
            new TrialRecipe("java.lang.Runtime", null).toJson(), 0, 0, "x").seal(WRONG);
      }
      case 3 -> { // unsigned
        o.remove("hmac");
        yield o.toString();
      }
      case 4 -> { // wrong types
        o.addProperty(random.nextBoolean() ? "id" : "attempt", "not a number " + random.nextInt());
        yield random.nextBoolean() ? o.toString() : "{\"kind\":\"ticket\",\"body\":" + random.nextInt() + "}";
      }
      case 5 -> random.nextInt(5) == 0 ? huge() : randomText(random.nextInt(200));
      case 6 -> random.nextBoolean() ? (Object) random.nextInt() : new byte[] {1, 2, (byte) random.nextInt()};
      case 7 -> { // negative id and NaN timeout, wrong key
        TrialMessages.Ticket t = TrialMessages.Ticket.parse(body(g));
        String b = t.toJson().replace("\"id\":" + t.id(), "\"id\":-" + (1 + random.nextInt(1000)))
            .replace("\"timeoutMillis\":" + t.timeoutMillis(), "\"timeoutMillis\":NaN");
        yield WRONG.seal(TrialMessages.TICKET, t.session(), -1 - random.nextInt(1000), t.attempt(), b);
      }
      case 8 -> "{\"kind\":\"ticket\",\"session\":null,\"id\":[],\"attempt\":{},\"body\":\"\",\"hmac\":\"zz"
          + random.nextInt() + "\"}";
      default -> "[".repeat(1 + random.nextInt(2000)); // deep nesting
    };
  }

  private Object[] fuzzResult() {
    TrialMessages.Ticket t = TrialMessages.Ticket.parse(body(someGenuine()));
    String key = random.nextBoolean() ? TrialMessages.resultKey(session, t.id(), t.attempt())
        : session + "/" + (random.nextBoolean() ? -random.nextInt(1000) : random.nextInt()) + "#" + random.nextInt(4)
            + "-" + random.nextLong();
    Object value = switch (random.nextInt(8)) {
      case 0 -> forgedResult(t.id(), t.attempt(), random.nextDouble());
      case 1 -> forgedResult(t.id(), t.attempt(), Double.NaN);
      case 2 -> {
        String r = forgedResult(t.id(), t.attempt(), 1);
        yield r.substring(0, random.nextInt(r.length()));
      }
      case 3 -> "{\"kind\":\"result\",\"session\":\"" + session + "\",\"id\":\"" + t.id() + "\",\"attempt\":true,"
          + "\"body\":{\"reward\":\"high\"}," + "\"hmac\":" + random.nextInt() + "}";
      case 4 -> random.nextInt(4) == 0 ? huge().replace("ticket", "result") : randomText(random.nextInt(300));
      case 5 -> WRONG.seal(TrialMessages.RESULT, session, -1 - random.nextInt(100), -random.nextInt(5), "{}");
      case 6 -> random.nextInt();
      default -> WRONG.seal(TrialMessages.TICKET, session, t.id(), t.attempt(), "{\"reward\":1e308}");
    };
    if (random.nextInt(20) == 0) {
      return new Object[] {random.nextLong(), value}; // not even a string key
    }
    return new Object[] {key, value};
  }

  private String randomText(int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append((char) (random.nextInt(0x2FF) + 1));
    }
    return b.toString();
  }
}
