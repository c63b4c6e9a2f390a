package dev.nasnet.core.fuzz;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Seeded random mutations of a valid file, fed to its reader: each case must load or fail with the library's own
 * exception, within a time limit, never with an unchecked exception from deep inside, an OutOfMemoryError or a
 * hang. Shared by the readers' fuzz tests in every module (this module's test jar).
 */
public final class Mutations {
  /** What one case's reader does with the mutated bytes. */
  public interface Reader {
    void read(byte[] mutated) throws Exception;
  }

  private Mutations() {}

  /** One mutation: flips, overwrites with boundary bytes, deletions, duplications, insertions or a cut. */
  public static byte[] mutate(byte[] in, SplittableRandom r) {
    byte[] b = in.clone();
    int kind = r.nextInt(8);
    int at = b.length == 0 ? 0 : r.nextInt(b.length);
    switch (kind) {
      case 0 -> {
        for (int i = 0, n = 1 + r.nextInt(8); i < n && b.length > 0; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> {
        byte[] boundary = {0, (byte) 0xff, (byte) 0x7f, (byte) 0x80, '9', '-', '"', '{', '[', ']', '}', ',', ':'};
        for (int i = 0, n = 1 + r.nextInt(4); i < n && b.length > 0; i++) {
          b[r.nextInt(b.length)] = boundary[r.nextInt(boundary.length)];
        }
      }
      case 2 -> {
        int len = Math.min(b.length - at, 1 + r.nextInt(64));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        b = out;
      }
      case 3 -> {
        int len = Math.min(b.length - at, 1 + r.nextInt(64));
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, at + len);
        System.arraycopy(b, at, out, at + len, b.length - at);
        b = out;
      }
      case 4 -> {
        byte[] junk = new byte[1 + r.nextInt(32)];
        r.nextBytes(junk);
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(b, at, out, at + junk.length, b.length - at);
        b = out;
      }
      case 5 -> b = Arrays.copyOf(b, at);
      case 6 -> {
        // A number grown huge or negative: sizes, counts and offsets are where readers over-allocate.
        byte[] digits = ("" + (r.nextBoolean() ? "-" : "") + "9".repeat(1 + r.nextInt(19))).getBytes();
        byte[] out = new byte[b.length + digits.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(digits, 0, out, at, digits.length);
        System.arraycopy(b, at, out, at + digits.length, b.length - at);
        b = out;
      }
      default -> {
        for (int i = 0; i < 4 && b.length >= 4; i++) {
          int p = r.nextInt(b.length - 3);
          int v = r.nextInt();
          b[p] = (byte) v;
          b[p + 1] = (byte) (v >> 8);
          b[p + 2] = (byte) (v >> 16);
          b[p + 3] = (byte) (v >> 24);
        }
      }
    }
    return b;
  }

  /**
   * Runs {@code cases} seeded mutations of {@code original} through {@code reader}; {@code expected} accepts the
   * reader's own failures. Fails with the case number, the seed and the unexpected throwable.
   *
   * @return how many cases loaded and how many failed as expected
   */
  public static int[] check(String what, byte[] original, int cases, long seed, Duration perCase,
      Reader reader, Predicate<Throwable> expected) {
    SplittableRandom random = new SplittableRandom(seed);
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-" + what);
      t.setDaemon(true);
      return t;
    });
    int loaded = 0;
    int refused = 0;
    try {
      for (int i = 0; i < cases; i++) {
        byte[] mutated = mutate(original, random);
        Future<?> f = pool.submit(() -> {
          reader.read(mutated);
          return null;
        });
        try {
          f.get(perCase.toMillis(), TimeUnit.MILLISECONDS);
          loaded++;
        } catch (TimeoutException e) {
          f.cancel(true);
          fail(what + " case " + i + " (seed " + seed + "): no answer within " + perCase);
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable t = e.getCause();
          if (t instanceof Error || !expected.test(t)) {
            throw new AssertionError(what + " case " + i + " (seed " + seed + ", " + mutated.length + " bytes): "
                + "unexpected " + t, t);
          }
          refused++;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new int[] {loaded, refused};
  }

  /** Whether {@code t} is one of {@code types} and its message names {@code source}. */
  public static Predicate<Throwable> ownException(String source, List<Class<? extends Throwable>> types) {
    return t -> types.stream().anyMatch(c -> c.isInstance(t)) && t.getMessage() != null
        && t.getMessage().contains(source);
  }
}
