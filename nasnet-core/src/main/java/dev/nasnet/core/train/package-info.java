/**
 * Training: the one {@code TrainingLoop} every trainer runs (resume, metrics, checkpoints, guards), the classifier's
 * {@code Trainer}, {@code EpochTraining} for "E epochs on these images", optimizers, schedules and evaluation.
 */
package dev.nasnet.core.train;
