package dev.nasnet.core.inference;

/**
 * One ranked class.
 *
 * @param classIndex the class's index in the logits
 * @param label its human-readable name (ImageNet's for 1000 and 1001 classes, a user's label file, or "class N")
 * @param logit the network's raw score
 * @param probability the softmax probability
 */
public record Prediction(int classIndex, String label, float logit, float probability) {}
