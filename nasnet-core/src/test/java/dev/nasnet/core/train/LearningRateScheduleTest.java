package dev.nasnet.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void cosineFallsFromBaseToZeroAfterWarmup() {
    LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 1000, 100);
    assertThat(s.at(0)).isCloseTo(0.1 * 0.5 * (1 + Math.cos(0)) / 100, within(1e-12));
    assertThat(s.at(49)).isCloseTo(0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.049)) * 0.5, within(1e-12));
    assertThat(s.at(500)).isCloseTo(0.05, within(1e-12));
    assertThat(s.at(1000)).isCloseTo(0.0, within(1e-12));
    assertThat(s.at(5000)).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void exponentialDecaysPerPeriod() {
    LearningRateSchedule stair = LearningRateSchedule.exponential(1.0, 0.97, 2.4, true, 0);
    assertThat(stair.at(2)).isEqualTo(1.0);
    assertThat(stair.at(3)).isCloseTo(0.97, within(1e-12));
    assertThat(stair.at(5)).isCloseTo(0.97 * 0.97, within(1e-12));
    assertThat(LearningRateSchedule.exponential(1.0, 0.5, 10, false, 0).at(5)).isCloseTo(Math.sqrt(0.5),
        within(1e-12));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> LearningRateSchedule.cosine(0.1, 10, 10)).hasMessageContaining("warm-up steps");
    assertThatThrownBy(() -> LearningRateSchedule.constant(-1)).hasMessageContaining("must be positive");
  }
}
