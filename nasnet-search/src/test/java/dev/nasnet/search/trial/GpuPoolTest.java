package dev.nasnet.search.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GpuPoolTest {
  @Test
  void trialsHoldDisjointGpusAndATrialNeedingMoreThanTheMachineIsRefused() throws Exception {
    GpuPool pool = new GpuPool(3);
    List<Integer> a = pool.take(2);
    assertThat(pool.tryTake(2)).as("only one is left").isNull();
    List<Integer> b = pool.take(1);
    assertThat(a).doesNotContainAnyElementsOf(b);
    assertThat(GpuPool.environment(a)).containsEntry("CUDA_VISIBLE_DEVICES", a.get(0) + "," + a.get(1));
    assertThat(GpuPool.environment(List.of())).containsEntry("CUDA_VISIBLE_DEVICES", "");
    pool.release(a);
    assertThat(pool.tryTake(2)).hasSize(2);
    assertThatThrownBy(() -> pool.checkServes(4)).hasMessageContaining("asks for 4 GPU(s) but this machine offers 3");
    assertThatThrownBy(() -> new ProcessTrialExecutor(null, java.nio.file.Path.of("x"), 1, 0, List.of(), 1, 2))
        .hasMessageContaining("asks for 2 GPU(s) but this machine offers 1");
  }

  @Test
  void aWaitingTrialGetsTheGpusWhenTheyAreReleased() throws Exception {
    GpuPool pool = new GpuPool(1);
    List<Integer> held = pool.take(1);
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pool.release(held);
    });
    t.start();
    assertThat(pool.take(1)).containsExactly(0);
    t.join();
  }
}
