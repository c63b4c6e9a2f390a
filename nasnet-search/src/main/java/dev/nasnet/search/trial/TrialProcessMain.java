package dev.nasnet.search.trial;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The entry point of a trial JVM started by {@link ProcessTrialExecutor}: reads {@value #INPUT} from the attempt
 * directory, runs the recipe's {@link PortableTrial}, and writes {@value #RESULT} (or {@value #ERROR}) there.
 */
public final class TrialProcessMain {
  static final String INPUT = "trial.json";
  static final String RESULT = "result.json";
  static final String ERROR = "error.txt";
  static final String LOG = "trial.log";
  /** Exit code when the parent search is gone. */
  static final int ORPHANED = 70;

  private TrialProcessMain() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: TrialProcessMain <attempt directory containing " + INPUT + ">");
      System.exit(2);
    }
    Path work = Path.of(args[0]);
    int code;
    try {
      JsonObject input = JsonParser.parseString(Files.readString(work.resolve(INPUT))).getAsJsonObject();
      watchParent(input.get("parentPid").getAsLong());
      if (input.has("session")) {
        dev.nasnet.core.runtime.SessionOptions.setDefaults(
            dev.nasnet.core.runtime.SessionOptions.fromJson(input.getAsJsonObject("session")));
      }
      TrialRecipe recipe = TrialRecipe.fromJson(input.getAsJsonObject("recipe"));
      JsonArray d = input.getAsJsonArray("decisions");
      int[] decisions = new int[d.size()];
      for (int i = 0; i < decisions.length; i++) {
        decisions[i] = d.get(i).getAsInt();
      }
      TrialResult r = recipe.instantiate().run(recipe.config(), decisions, input.get("id").getAsLong(), work);
      JsonObject out = new JsonObject();
      out.addProperty("reward", r.reward());
      JsonObject metrics = new JsonObject();
      for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
        metrics.addProperty(e.getKey(), e.getValue());
      }
      out.add("metrics", metrics);
      writeAtomically(work.resolve(RESULT), out.toString());
      code = 0;
    } catch (Throwable t) {
      // This JVM's stderr is the trial's log file; the trace goes there whatever SLF4J binding the user has (or not).
      t.printStackTrace();
      try {
        writeAtomically(work.resolve(ERROR), t.getClass().getSimpleName() + ": " + t.getMessage());
      } catch (IOException ignored) {
        // the exit code and the log still tell
      }
      code = 3;
    }
    // TensorFlow leaves non-daemon threads behind; exit explicitly.
    System.exit(code);
  }

  private static void watchParent(long pid) {
    Thread watchdog = new Thread(() -> {
      while (true) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            return;
          }
        } else {
          System.err.println("the search process " + pid + " is gone; stopping this trial");
          Runtime.getRuntime().halt(ORPHANED);
        }
      }
    }, "nasnet-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    dev.nasnet.core.checkpoint.Durable.writeAtomically(file, text);
  }
}
