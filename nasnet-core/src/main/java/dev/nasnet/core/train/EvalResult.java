package dev.nasnet.core.train;

/** Accuracy and mean cross-entropy of a network on one split. */
public record EvalResult(long examples, double top1, double top5, double loss) {}
