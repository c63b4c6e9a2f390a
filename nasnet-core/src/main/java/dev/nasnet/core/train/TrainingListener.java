package dev.nasnet.core.train;

import java.util.Map;

/** Hooks for progress display, the same for every trainer; called on the training thread. */
public interface TrainingListener {
  /**
   * After every step.
   *
   * @param step steps done so far (1 after the first)
   * @param examplesPerSecond over the current logging window
   */
  default void onStep(long step, long totalSteps, StepMetrics metrics, double examplesPerSecond) {}

  /** After each validation (the end of every epoch, for trainers that validate). */
  default void onValidation(long step, Map<String, Double> metrics) {}

  TrainingListener NONE = new TrainingListener() {};

  /** A listener that only watches steps, e.g. {@code TrainingListener.ofSteps((step, total, m) -> bar.step())}. */
  static TrainingListener ofSteps(StepCallback callback) {
    return new TrainingListener() {
      @Override
      public void onStep(long step, long totalSteps, StepMetrics metrics, double examplesPerSecond) {
        callback.onStep(step, totalSteps, metrics);
      }
    };
  }

  /** The per-step part of a listener, as a lambda. */
  @FunctionalInterface
  interface StepCallback {
    void onStep(long step, long totalSteps, StepMetrics metrics);
  }
}
