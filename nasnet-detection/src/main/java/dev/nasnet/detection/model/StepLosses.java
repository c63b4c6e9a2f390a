package dev.nasnet.detection.model;

/**
 * The named losses of one training step, before weighting except {@code total} (the weighted sum plus L2):
 * {@code rpnLocalization} and {@code rpnObjectness} of the first stage, {@code localization} and
 * {@code classification} of the box classifier, and {@code regularization} (weight decay).
 */
public record StepLosses(double rpnLocalization, double rpnObjectness, double localization, double classification,
    double regularization, double total) {}
