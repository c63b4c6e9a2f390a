/**
 * Faster R-CNN on a NASNet backbone, the public front: {@code FasterRcnnConfig} and its presets, {@code FasterRcnnTrainer}
 * ({@code fit}, {@code step}), {@code FasterRcnnDetector} ({@code load}, {@code detect}, export), {@code Detection} and evaluation.
 */
package dev.nasnet.detection;
