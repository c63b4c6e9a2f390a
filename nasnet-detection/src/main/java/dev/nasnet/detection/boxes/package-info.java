/**
 * Boxes and anchors: corner and scored boxes, the grid anchor generator, the Faster R-CNN box coder, IoU, NMS,
 * and the same box math and the smooth-L1 loss as graph ops.
 */
package dev.nasnet.detection.boxes;
