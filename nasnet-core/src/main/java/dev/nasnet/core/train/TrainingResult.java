package dev.nasnet.core.train;

import java.nio.file.Path;

/**
 * What a finished run produced.
 *
 * @param validation the last validation result, or null without a validation split
 * @param checkpoint the final checkpoint's prefix, or null without a run directory
 */
public record TrainingResult(long steps, double finalTrainLoss, EvalResult validation, Path checkpoint,
    double wallSeconds) {}
