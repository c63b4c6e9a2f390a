/**
 * The second stage: the box classifier over cropped proposal features and its class-specific boxes, and the
 * targets it trains on: assigned in Java ({@link dev.nasnet.detection.secondstage.SecondStageTargets}, the reference)
 * and in the graph ({@link dev.nasnet.detection.secondstage.SecondStageTargetGraph}, what training runs).
 */
package dev.nasnet.detection.secondstage;
