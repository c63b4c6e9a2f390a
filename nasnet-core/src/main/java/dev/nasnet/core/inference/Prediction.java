package dev.nasnet.core.inference;

/** One ranked class: its index in the logits and its softmax probability. */
public record Prediction(int classIndex, float probability) {}
