package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MatmulPeakTest {
  @Test
  void measuresAFiniteRateAndBenchPrintsTheFractionOfIt() {
    MatmulPeak.Result r = MatmulPeak.measure(128, 3, 1);
    assertThat(r.n()).isEqualTo(128);
    assertThat(r.runs()).isEqualTo(3);
    assertThat(r.gflops()).isPositive().isFinite();
    CliRun bench = CliRun.of("bench", "--preset", "cifar", "--batch", "1", "--runs", "10", "--warmup", "0");
    assertThat(bench.code()).as(bench.err()).isZero();
    assertThat(bench.out()).containsPattern("\\d+\\.\\d GFLOP/s = \\d+% of this machine's \\d+ GFLOP/s FP32 matmul peak");
  }
}
