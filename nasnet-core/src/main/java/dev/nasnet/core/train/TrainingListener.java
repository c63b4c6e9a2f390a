package dev.nasnet.core.train;

/** Hooks for progress display; called on the training thread. */
public interface TrainingListener {
  /** After every step. */
  default void onStep(long step, long totalSteps, double loss, double accuracy, double imagesPerSecond) {}

  /** After each evaluation on the validation split. */
  default void onEvaluation(long step, EvalResult result) {}

  TrainingListener NONE = new TrainingListener() {};
}
