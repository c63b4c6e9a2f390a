package dev.nasnet.search.trial;

import com.google.common.base.Preconditions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The GPUs of one machine handed to trial JVMs: each running trial holds its own, given to it as
 * {@code CUDA_VISIBLE_DEVICES}, and returns them when it ends. A trial that needs more GPUs than the machine has is
 * refused up front, with the numbers.
 */
public final class GpuPool {
  private final int total;
  private final Deque<Integer> free = new ArrayDeque<>();

  /** @param gpus the machine's GPUs offered to trials, ids 0..gpus-1 */
  public GpuPool(int gpus) {
    Preconditions.checkArgument(gpus >= 0, "GPUs must be >= 0, got %s", gpus);
    this.total = gpus;
    for (int g = 0; g < gpus; g++) {
      free.add(g);
    }
  }

  public int total() {
    return total;
  }

  /** Refuses a trial need this machine can never meet. */
  public void checkServes(int perTrial) {
    Preconditions.checkArgument(perTrial >= 0, "GPUs per trial must be >= 0, got %s", perTrial);
    if (perTrial > total) {
      throw new IllegalArgumentException("a trial asks for " + perTrial + " GPU(s) but this machine offers " + total
          + " to trials; lower the GPUs per trial (--trial-gpus) or offer more (--machine-gpus / worker --gpus)");
    }
  }

  /** {@code n} free GPUs, or null when fewer are free now. */
  public synchronized List<Integer> tryTake(int n) {
    if (free.size() < n) {
      return null;
    }
    List<Integer> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      taken.add(free.poll());
    }
    return taken;
  }

  /** {@code n} GPUs, waiting until as many are free. */
  public synchronized List<Integer> take(int n) throws InterruptedException {
    checkServes(n);
    List<Integer> taken;
    while ((taken = tryTake(n)) == null) {
      wait();
    }
    return taken;
  }

  public synchronized void release(List<Integer> gpus) {
    free.addAll(gpus);
    notifyAll();
  }

  /** The environment giving a trial JVM these GPUs (and only these), or none when it has none. */
  public static Map<String, String> environment(List<Integer> gpus) {
    // With no GPUs a trial must not grab the machine's: an empty list hides them all.
    return Map.of("CUDA_VISIBLE_DEVICES", gpus.stream().map(String::valueOf).collect(Collectors.joining(",")));
  }
}
