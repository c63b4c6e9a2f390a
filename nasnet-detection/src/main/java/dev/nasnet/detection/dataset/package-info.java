/**
 * Training data for detectors: a COCO-format dataset or generated shapes as checked examples (boxes clipped,
 * categories mapped) and the samples a training step takes.
 */
package dev.nasnet.detection.dataset;
