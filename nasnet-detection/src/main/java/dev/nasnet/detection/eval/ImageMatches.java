package dev.nasnet.detection.eval;

/**
 * The outcome of matching one image's detections of one category against its GT, for one area range: pycocotools'
 * {@code evaluateImg} result. Detections are in descending score order, capped at the largest maxDets.
 *
 * @param truePositive [iou threshold][detection]: matched to a GT that counts
 * @param falsePositive [iou threshold][detection]: unmatched, and not excused by the area range
 * @param countedGt GTs that are neither crowd nor outside the area range (the recall denominator)
 */
record ImageMatches(double[] scores, boolean[][] truePositive, boolean[][] falsePositive, int countedGt) {}
