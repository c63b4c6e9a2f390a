package dev.nasnet.detection.boxes;

/** A box with its score (a proposal's objectness, a detection's class probability). */
public record ScoredBox(CornerBox box, double score) {}
